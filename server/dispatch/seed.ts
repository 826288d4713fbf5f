/**
 * SYNTHETIC party registry for the demo district, written once at first start (like the population seed,
 * server/population/seed.ts): only when every grid of the region dataset is synthetic and it is the demo's
 * size, never for a deployment's own boundaries (it imports its registry). Deterministic: the same dataset
 * gives the same ids, names and invented contacts, so several nodes starting together write the same rows.
 * Every party is marked `synthetic: true`.
 */
import type { Party } from '#common/dispatch/types';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import { SEED_MAX_GRIDS } from '../population/seed.ts';
import type { Store } from '../store/types.ts';

const SEEDED_KEY = 'parties_seeded';

/** Department kinds of the district, with the categories each handles. */
const DEPARTMENTS: { key: string; suffix: string; categories: string[] }[] = [
  {
    key: 'cg',
    suffix: '综合行政执法局（城管）',
    categories: ['garbage_exposed', 'road_cleaning', 'garbage_accumulated', 'illegal_posting', 'illegal_outdoor_ad', 'graffiti', 'road_spill', 'illegal_parking', 'street_vending', 'unlicensed_vendor', 'bike_parking', 'construction_noise', 'public_toilet', 'greenbelt_damaged', 'tree_fallen', 'streetlight_out'],
  },
  {
    key: 'zj',
    suffix: '住房和城乡建设局',
    categories: ['illegal_construction', 'construction_dust', 'construction_noise', 'dangerous_building', 'road_collapse', 'road_damaged', 'manhole_cover', 'pipe_burst', 'waterlogging', 'guardrail_damaged'],
  },
  { key: 'scjg', suffix: '市场监督管理局', categories: ['unlicensed_vendor', 'street_vending', 'elevator', 'elevator_fault', 'illegal_outdoor_ad'] },
  { key: 'xf', suffix: '消防救援大队', categories: ['fire', 'fire_lane_blocked', 'ebike_charging', 'hydrant_damaged', 'gas_leak', 'safety_hazard', 'elevator'] },
];
const POLICE_CATEGORIES = ['dispute', 'group_rental', 'noise', 'falling_objects', 'illegal_parking', 'emergency_call'];
const PROPERTY_CATEGORIES = ['garbage_exposed', 'garbage_accumulated', 'elevator', 'elevator_fault', 'fire_lane_blocked', 'ebike_charging', 'bike_parking', 'noise', 'greenbelt_damaged', 'illegal_posting', 'pipe_burst', 'public_toilet'];
const SOCIAL_CATEGORIES = ['elderly_care', 'elderly_alone_anomaly', 'dispute', 'emergency_call'];
const VOLUNTEER_CATEGORIES = ['elderly_care', 'garbage_exposed', 'illegal_posting', 'road_cleaning', 'bike_parking'];

const ESTATES = ['锦苑', '华庭', '翠园', '景城', '和苑', '福邸', '春晓', '嘉园'];
const PROPERTY_FIRMS = ['蜀韵物业', '锦城物业', '安居物业', '华信物业', '天府物业', '和美物业'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华';

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
const pick = (list: ArrayLike<string>, seed: string): string => list[hash32(seed) % list.length]!;

/** An invented person: a name from common characters and a phone in the 1380000xxxx block the demo uses. */
function contactFor(seed: string): Party['contact'] {
  const name = `${pick(SURNAMES, `${seed}/s`)}${pick(GIVEN, `${seed}/g1`)}${hash32(seed) % 2 ? pick(GIVEN, `${seed}/g2`) : ''}`;
  return { name, phone: `1380000${String(hash32(`${seed}/p`) % 10_000).padStart(4, '0')}` };
}

/** The demo registry for a region tree: district departments, a police station and a social organisation per
 *  street, per community two estates' property companies (each covering half its grids) and a volunteer team. */
export function syntheticParties(regions: Regions): Party[] {
  const root = regions.root;
  const byLevel = (level: string) => regions.features.filter((f) => f.properties.level === level).map((f) => f.properties);
  const party = (id: string, kind: Party['kind'], name: string, categories: string[], regionIds: string[]): Party => ({
    id, kind, name, categories, regionIds: [...regionIds].sort(), contact: contactFor(id), synthetic: true,
  });
  const out: Party[] = DEPARTMENTS.map((d) => party(`PTY-${d.key}-${root.id}`, 'department', `${root.name}${d.suffix}`, d.categories, [root.id]));
  for (const street of byLevel('street')) {
    out.push(party(`PTY-pcs-${street.id}`, 'department', `${street.name.replace(/街道$/, '')}派出所`, POLICE_CATEGORIES, [street.id]));
    out.push(party(`PTY-sg-${street.id}`, 'social_org', `${street.name}社工服务中心`, SOCIAL_CATEGORIES, [street.id]));
  }
  const grids = byLevel('grid');
  for (const c of byLevel('community')) {
    const own = grids.filter((g) => g.parentId === c.id).map((g) => g.id).sort();
    const halves = own.length > 1 ? [own.slice(0, Math.ceil(own.length / 2)), own.slice(Math.ceil(own.length / 2))] : [own.length ? own : [c.id]];
    halves.forEach((gridIds, i) => {
      const estate = pick(ESTATES, `${c.id}/estate${i}`);
      const firm = pick(PROPERTY_FIRMS, `${c.id}/firm${i}`);
      out.push(party(`PTY-wy-${c.id}-${i + 1}`, 'property', `${firm}（${c.name}·${estate}小区）`, PROPERTY_CATEGORIES, gridIds));
    });
    out.push(party(`PTY-zy-${c.id}`, 'volunteer_team', `${c.name}志愿服务队`, VOLUNTEER_CATEGORIES, [c.id]));
  }
  return out;
}

/** Seeds once per database (a settings key, so parties an admin deleted do not come back). Returns how many. */
export async function seedParties(store: Store, regions: Regions, log?: Logger, now = new Date()): Promise<number> {
  const grids = regions.features.filter((f) => f.properties.level === 'grid');
  if (!grids.length || !grids.every((f) => f.properties.synthetic === true) || grids.length > SEED_MAX_GRIDS) return 0;
  if ((await store.settings.get(SEEDED_KEY)) !== null || (await store.parties.count()) > 0) return 0;
  const parties = syntheticParties(regions);
  // Deterministic ids and upserts: nodes racing here write the same rows.
  await store.parties.put(parties, now);
  await store.settings.setIfAbsent(SEEDED_KEY, now.toISOString());
  log?.info({ parties: parties.length }, 'parties: seeded the synthetic demo registry');
  return parties.length;
}

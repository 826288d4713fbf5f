/**
 * SYNTHETIC demo season of community life, written once at first start on the demo dataset only (like the
 * population and party seeds): invented elderly residents per grid, two recurring activities per community at
 * its service centre and day-care centre, eight weeks of registrations and attendance, visits (some residents
 * left overdue) and volunteer hours for the seeded volunteer teams. Residents and activities are marked
 * `synthetic: true`; names are invented. One node seeds (a settings claim), the others skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Activity, ActivityKind, CareCondition, CareResident, Registration, Visit, VolunteerHours } from '#common/care/types';
import { BUNDLED_GEO_DIR } from '../geo/dataset.ts';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import { SEED_MAX_GRIDS } from '../population/seed.ts';
import { mulberry32 } from '../population/synthetic.ts';
import type { Store } from '../store/types.ts';
import { occurrences } from './ics.ts';
import { gridCentre } from './places.ts';

const SEEDED_KEY = 'care_seeded';
const DAY = 86_400_000;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = '桂英秀兰淑珍玉梅国华建国德明志刚素芬凤琴永福文礼';
const PROGRAMMES: { kind: ActivityKind; title: string; venue: 'community_service_centre' | 'elderly_daycare'; weekday: string; hour: number; groups: Activity['targetGroups'] }[] = [
  { kind: 'calligraphy', title: '书画班', venue: 'community_service_centre', weekday: 'TU', hour: 9, groups: ['elderly'] },
  { kind: 'choir', title: '合唱团排练', venue: 'community_service_centre', weekday: 'TH', hour: 15, groups: ['all'] },
  { kind: 'health_talk', title: '健康讲座', venue: 'elderly_daycare', weekday: 'WE', hour: 10, groups: ['elderly'] },
  { kind: 'elder_college', title: '老年大学 智能手机课', venue: 'elderly_daycare', weekday: 'MO', hour: 14, groups: ['elderly'] },
  { kind: 'square_dance', title: '广场舞', venue: 'community_service_centre', weekday: 'FR', hour: 19, groups: ['all'] },
  { kind: 'sichuan_opera', title: '川剧欣赏', venue: 'community_service_centre', weekday: 'SA', hour: 14, groups: ['elderly', 'resettled'] },
  { kind: 'parent_child', title: '亲子手工', venue: 'community_service_centre', weekday: 'SU', hour: 10, groups: ['children', 'families'] },
  { kind: 'newcomer', title: '新市民融入茶话会', venue: 'elderly_daycare', weekday: 'SA', hour: 10, groups: ['newcomers', 'resettled'] },
];

interface Poi {
  id: string;
  kind: string;
  name: string;
  gridId: string;
}
function readPois(geoDir: string): Poi[] {
  for (const dir of [geoDir, BUNDLED_GEO_DIR]) {
    const file = join(dir, 'pois.geojson');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { features: { properties: Poi }[] }).features.map((f) => f.properties);
  }
  return [];
}

/** Monday 00:00 CST `weeks` weeks before `now`'s week, as an ISO date with the hour given. */
function cstIso(dayMs: number, hour: number): string {
  const d = new Date(dayMs + 8 * 3600_000);
  return `${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+08:00`;
}

export async function seedCare(store: Store, regions: Regions, geoDir: string, now: Date, log?: Logger): Promise<boolean> {
  const grids = regions.features.filter((f) => f.properties.level === 'grid');
  if (!grids.length || !grids.every((f) => f.properties.synthetic === true) || grids.length > SEED_MAX_GRIDS) return false;
  if ((await store.care.countResidents()) > 0 || (await store.care.countActivities()) > 0) return false;
  const token = `${process.pid}-${now.getTime()}-${Math.random()}`;
  if ((await store.settings.setIfAbsent(SEEDED_KEY, token)) !== token) return false;

  const rand = mulberry32(20261);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const name = () => pick([...SURNAMES]) + pick([...GIVEN]) + (rand() < 0.6 ? pick([...GIVEN]) : '');
  const phone = () => `13${Math.floor(rand() * 10)}${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
  const year = now.getUTCFullYear();
  const residents: CareResident[] = [];
  const visits: Visit[] = [];
  const hours: VolunteerHours[] = [];
  for (const g of grids) {
    const gridId = g.properties.id;
    const centre = gridCentre(regions, gridId);
    const n = 2 + Math.floor(rand() * 6);
    for (let i = 0; i < n; i++) {
      const age = 62 + Math.floor(rand() * 30);
      const conditions: CareCondition[] = rand() < 0.15 ? [pick(['disabled', 'dementia', 'tekun'] as const)] : [];
      const id = `CR-${gridId}-${i + 1}`;
      const r: CareResident = {
        id, gridId, name: name(), phone: phone(), birthDate: `${year - age}-${String(1 + Math.floor(rand() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rand() * 28)).padStart(2, '0')}`,
        livingAlone: rand() < 0.45, emptyNest: rand() < 0.3, conditions, address: `${regions.get(gridId)?.name ?? ''}${1 + Math.floor(rand() * 30)}栋`,
        location: centre ? { lng: centre.lng + (rand() - 0.5) * 0.0015, lat: centre.lat + (rand() - 0.5) * 0.0015 } : null,
        registeredAt: new Date(now.getTime() - 200 * DAY).toISOString(), synthetic: true,
      };
      residents.push(r);
      // Most were visited lately; about one in six has not been for a while (the demo's overdue list).
      const back = rand() < 0.17 ? 40 + Math.floor(rand() * 60) : Math.floor(rand() * 6);
      const community = gridId.slice(0, 12);
      const volunteer = rand() < 0.4;
      const v: Visit = {
        id: `VS-${id}`, residentId: id, gridId, visitedAt: new Date(now.getTime() - back * DAY - 3 * 3600_000).toISOString(),
        visitorKind: volunteer ? 'volunteer' : 'worker', visitorName: name(), partyId: volunteer ? `PTY-zy-${community}` : null,
        outcome: 'well', note: '(synthetic) 身体状况良好', hours: volunteer ? 1.5 : 0, incidentId: null, createdBy: 'seed',
      };
      visits.push(v);
      if (volunteer) hours.push({ id: `VH-${v.id}`, partyId: v.partyId!, member: v.visitorName, regionId: gridId, hours: 1.5, at: v.visitedAt, activityId: null, visitId: v.id });
    }
  }

  const pois = readPois(geoDir);
  const activities: Activity[] = [];
  const registrations: (Registration & { regionId: string })[] = [];
  const communities = regions.features.filter((f) => f.properties.level === 'community').map((f) => f.properties);
  const firstMonday = now.getTime() - 8 * 7 * DAY - ((new Date(now.getTime() + 8 * 3600_000).getUTCDay() + 6) % 7) * DAY;
  communities.forEach((c, ci) => {
    for (const k of [0, 1]) {
      const p = PROGRAMMES[(ci * 2 + k) % PROGRAMMES.length]!;
      const poi = pois.find((x) => x.kind === p.venue && x.gridId.startsWith(c.id));
      const weekdayOffset = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].indexOf(p.weekday);
      const id = `ACT-${c.id}-${k + 1}`;
      const a: Activity = {
        id, uid: `${id}@gridops.synthetic`, regionId: c.id, title: `${c.name}${p.title}`, kind: p.kind,
        venue: { poiId: poi?.id ?? null, name: poi?.name ?? `${c.name}党群服务中心` },
        organiserPartyId: k === 1 ? `PTY-zy-${c.id}` : null, targetGroups: p.groups, capacity: 40,
        start: cstIso(firstMonday + weekdayOffset * DAY, p.hour), durationMinutes: 90, rrule: `FREQ=WEEKLY;BYDAY=${p.weekday};COUNT=20`,
        exdates: [], description: '(synthetic) 演示数据', synthetic: true,
      };
      // One week off (a holiday): the EXDATE the calendar shows.
      a.exdates = occurrences(a, new Date(now.getTime() + 14 * DAY), new Date(now.getTime() + 21 * DAY)).slice(0, 1);
      activities.push(a);
      const mine = residents.filter((r) => r.gridId.startsWith(c.id));
      for (const occ of occurrences(a, new Date(0), now)) {
        const n = 6 + Math.floor(rand() * 14);
        for (let i = 0; i < n; i++) {
          const linked = p.groups.includes('elderly') && mine.length && rand() < 0.3 ? pick(mine) : null;
          registrations.push({
            id: `RG-${id}-${occ.slice(0, 10)}-${i}`, activityId: id, regionId: c.id, occurrence: occ, name: linked?.name ?? name(), phone: rand() < 0.5 ? phone() : null,
            age: linked ? year - Number(linked.birthDate.slice(0, 4)) : 20 + Math.floor(rand() * 60), residentId: linked?.id ?? null, attended: rand() < 0.85, createdAt: occ,
          });
        }
        if (a.organiserPartyId) hours.push({ id: `VH-${id}-${occ.slice(0, 10)}`, partyId: a.organiserPartyId, member: name(), regionId: c.id, hours: 2, at: occ, activityId: id, visitId: null });
      }
    }
  });
  await store.care.putResidents(residents);
  for (const v of visits) await store.care.addVisit(v);
  await store.care.putActivities(activities);
  await store.care.addRegistrations(registrations);
  await store.care.addHours(hours);
  log?.info({ residents: residents.length, activities: activities.length, registrations: registrations.length }, 'care: seeded synthetic demo season');
  return true;
}

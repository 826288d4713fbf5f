/** The worker roster: one grid worker (网格员) per grid, two staff per community. All people are invented. */
import type { Feature, Point } from 'geojson';
import { GIVEN, SURNAMES } from './names.ts';
import { marginPoint } from './pois.ts';
import type { Hierarchy } from './regions.ts';
import type { Rng } from './rng.ts';
import type { PoiProps, Worker } from './types.ts';

const PREFIXES = ['138', '139', '137', '150', '151', '158', '186', '187', '177', '199'];

/** Synthetic mobile number "1xx 0000 xxxx": the all-zero middle block marks it as made up; unique per index. */
function phone(index: number): string {
  const prefix = PREFIXES[Math.floor(index / 10000) % PREFIXES.length]!;
  return `${prefix}0000${String((index * 7919 + 2663) % 10000).padStart(4, '0')}`;
}

function personName(rng: Rng, used: Set<string>): [string, string] {
  for (let attempt = 0; ; attempt++) {
    const [sz, se] = rng.pick(SURNAMES);
    const [g1, e1] = rng.pick(GIVEN);
    const two = rng.chance(0.7);
    const [g2, e2] = two ? rng.pick(GIVEN) : ['', ''];
    const zh = `${sz}${g1}${g2}`;
    if (!used.has(zh) || attempt >= 4) {
      used.add(zh);
      const given = `${e1}${e2}`;
      return [zh, `${se} ${given.charAt(0).toUpperCase()}${given.slice(1)}`];
    }
  }
}

export function generateWorkers(rng: Rng, h: Hierarchy, pois: Array<Feature<Point, PoiProps>>): Worker[] {
  const out: Worker[] = [];
  const used = new Set<string>();
  for (const grid of h.grids) {
    const [name, nameEn] = personName(rng, used);
    const [lng, lat] = marginPoint(rng, h.lattice, grid);
    out.push({ id: `gw-${grid.id}`, name, nameEn, phone: phone(out.length), gridId: grid.id, regionId: grid.id, role: 'grid_worker', base: { lng, lat } });
  }
  const centres = new Map<string, Feature<Point, PoiProps>>();
  for (const p of pois) if (p.properties.kind === 'community_service_centre') centres.set(p.properties.gridId.slice(0, 12), p);
  for (const community of h.communities) {
    const centre = centres.get(community.id);
    for (let k = 1; k <= 2; k++) {
      const [name, nameEn] = personName(rng, used);
      const grid = centre ? centre.properties.gridId : community.children[0]!.id;
      const [lng, lat] = centre ? (centre.geometry.coordinates as [number, number]) : marginPoint(rng, h.lattice, community.children[0]!);
      out.push({ id: `cs-${community.id}-${k}`, name, nameEn, phone: phone(out.length), gridId: grid, regionId: community.id, role: 'community_staff', base: { lng, lat } });
    }
  }
  return out;
}

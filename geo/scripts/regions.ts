/** Builds the district → street → community → grid hierarchy on the lattice. */
import type { RegionLevel } from '../../common/geo/types.ts';
import { buildLattice, traceRing, type Lattice } from './lattice.ts';
import { COMMUNITIES, STREETS, ZHIQIANG, nthName } from './names.ts';
import { partition } from './partition.ts';
import type { Rng } from './rng.ts';

export const DISTRICT_ID = '510108';
export const CELLS_PER_GRID = 9.5;

export interface BuiltRegion {
  id: string;
  level: RegionLevel;
  parentId: string | null;
  name: string;
  nameEn: string;
  /** Short name without the 社区 / Community suffix (communities only). */
  shortName: string;
  shortNameEn: string;
  cells: number[];
  /** Closed counter-clockwise ring of lattice vertex indices. */
  ring: number[];
  children: BuiltRegion[];
  households: number;
}

export interface Hierarchy {
  lattice: Lattice;
  district: BuiltRegion;
  streets: BuiltRegion[];
  communities: BuiltRegion[];
  grids: BuiltRegion[];
  zhiqiang: BuiltRegion;
}

const pad3 = (n: number): string => String(n).padStart(3, '0');

/** Splits `total` into `parts` positive integers of varied size (never below `min`). */
function allocate(rng: Rng, total: number, parts: number, min: number): number[] {
  const out = new Array<number>(parts).fill(Math.floor(total / parts));
  for (let r = total - out[0]! * parts, i = 0; r > 0; r--, i++) out[i % parts]!++;
  for (let m = 0; m < parts * 2; m++) {
    const a = rng.int(0, parts - 1);
    const b = rng.int(0, parts - 1);
    if (a !== b && out[a]! > min && out[b]! < out[a]! + 2) {
      out[a]!--;
      out[b]!++;
    }
  }
  return out;
}

function split(lat: Lattice, rng: Rng, cells: number[], counts: number[], inParent: Uint8Array, owner: Int32Array, base: number, childMin: number[]): number[][] {
  const total = counts.reduce((a, b) => a + b, 0);
  const targets = counts.map((c) => (cells.length * c) / total);
  for (const c of cells) inParent[c] = 1;
  const parts = partition({ lattice: lat, cells, weights: counts, minCells: targets.map((t) => 0.5 * t), hardMin: childMin, owner, base }, rng, inParent);
  for (const c of cells) inParent[c] = 0;
  return parts;
}

/** Orders children north to south in bands, then west to east, carrying `extra` along. */
function spatialOrder<T>(lat: Lattice, parts: Array<{ cells: number[]; extra: T }>): Array<{ cells: number[]; extra: T }> {
  const total = parts.reduce((a, p) => a + p.cells.length, 0);
  const band = Math.max(1, Math.sqrt(total / parts.length));
  const keyed = parts.map((p) => {
    let sx = 0;
    let sy = 0;
    for (const c of p.cells) {
      sx += c % lat.nx;
      sy += Math.floor(c / lat.nx);
    }
    return { p, bandKey: -Math.floor(sy / p.cells.length / band), x: sx / p.cells.length, first: Math.min(...p.cells) };
  });
  keyed.sort((a, b) => a.bandKey - b.bandKey || a.x - b.x || a.first - b.first);
  return keyed.map((k) => k.p);
}

function region(lat: Lattice, id: string, level: RegionLevel, parentId: string | null, names: [string, string, string, string], cells: number[], owner: Int32Array | Uint8Array, value: number): BuiltRegion {
  const ring = traceRing(lat, cells, (c) => owner[c] === value);
  return { id, level, parentId, name: names[0], nameEn: names[1], shortName: names[2], shortNameEn: names[3], cells, ring, children: [], households: 0 };
}

export function buildHierarchy(rng: Rng, grids: number, centre: { lng: number; lat: number }): Hierarchy {
  const nCommunities = Math.max(1, Math.round(grids / 9.2));
  const nStreets = Math.max(1, Math.min(999, Math.round(nCommunities / 4)));
  if (nCommunities / nStreets > 999 || grids / nCommunities > 999) throw new Error('too many regions for 3-digit codes');
  const lat = buildLattice(rng.fork('lattice'), { cells: Math.round(grids * CELLS_PER_GRID), centre, roadSpacing: 7 });
  const N = lat.nx * lat.ny;
  const inParent = new Uint8Array(N);
  const communitiesPerStreet = allocate(rng, nCommunities, nStreets, 2);
  const gridsPerCommunity = allocate(rng, grids, nCommunities, 4);

  const district = region(lat, DISTRICT_ID, 'district', null, ['成华区', 'Chenghua District', '成华', 'Chenghua'], lat.cells, lat.inside, 1);
  // Streets.
  const streetGridCounts: number[] = [];
  let ci = 0;
  const streetCommunityCounts: number[][] = communitiesPerStreet.map((n) => {
    const list = gridsPerCommunity.slice(ci, ci + n);
    ci += n;
    streetGridCounts.push(list.reduce((a, b) => a + b, 0));
    return list;
  });
  const streetOwner = new Int32Array(N).fill(-1);
  const communityOwner = new Int32Array(N).fill(-1);
  const gridOwner = new Int32Array(N).fill(-1);
  const sParts = split(lat, rng.fork('streets'), lat.cells, streetGridCounts, inParent, streetOwner, 0, streetCommunityCounts.map((l) => l.reduce((a, b) => a + b, 0) * 2));
  const streets: BuiltRegion[] = [];
  const communities: BuiltRegion[] = [];
  const gridList: BuiltRegion[] = [];
  const streetOrder = spatialOrder(lat, sParts.map((cells, s) => ({ cells, extra: { s, counts: streetCommunityCounts[s]! } })));
  streetOrder.forEach((sp, si) => {
    const [zh, en] = nthName(STREETS, si);
    const street = region(lat, DISTRICT_ID + pad3(si + 1), 'street', DISTRICT_ID, [`${zh}街道`, `${en} Street`, zh, en], sp.cells, streetOwner, sp.extra.s);
    streets.push(street);
    district.children.push(street);
    const cBase = communities.length;
    const cParts = split(lat, rng.fork(street.id), sp.cells, sp.extra.counts, inParent, communityOwner, cBase, sp.extra.counts.map((g) => g * 2));
    const cOrder = spatialOrder(lat, cParts.map((cells, k) => ({ cells, extra: { k, grids: sp.extra.counts[k]! } })));
    cOrder.forEach((cp, k) => {
      const community = region(lat, street.id + pad3(k + 1), 'community', street.id, ['', '', '', ''], cp.cells, communityOwner, cBase + cp.extra.k);
      communities.push(community);
      street.children.push(community);
      const gBase = gridList.length;
      const gParts = split(lat, rng.fork(community.id), cp.cells, new Array<number>(cp.extra.grids).fill(1), inParent, gridOwner, gBase, new Array<number>(cp.extra.grids).fill(2));
      const gOrder = spatialOrder(lat, gParts.map((cells, g) => ({ cells, extra: g })));
      gOrder.forEach((gp, g) => {
        const grid = region(lat, community.id + pad3(g + 1), 'grid', community.id, ['', '', String(g + 1), String(g + 1)], gp.cells, gridOwner, gBase + gp.extra);
        gridList.push(grid);
        community.children.push(grid);
      });
    });
  });
  // Names: Zhiqiang is the community holding the centre cell; the others take the pool in order.
  const zhiqiang = communities.find((c) => communityOwner[lat.centreCell] === communityOwner[c.cells[0]!]);
  if (!zhiqiang) throw new Error('no community holds the centre');
  let nameIdx = 0;
  for (const c of communities) {
    const [zh, en] = c === zhiqiang ? ZHIQIANG : nthName(COMMUNITIES, nameIdx++);
    Object.assign(c, { name: `${zh}社区`, nameEn: `${en} Community`, shortName: zh, shortNameEn: en });
    for (const g of c.children) {
      const n = g.shortName;
      Object.assign(g, { name: `${zh}社区第${n}网格`, nameEn: `${en} Grid ${n}` });
    }
  }
  return { lattice: lat, district, streets, communities, grids: gridList, zhiqiang };
}

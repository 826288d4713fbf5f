/** Points of interest, each strictly inside one cell of its grid, in the cell's margin strip (clear of buildings). */
import type { Feature, Point } from 'geojson';
import { cellPoint, type Lattice } from './lattice.ts';
import type { BuiltRegion, Hierarchy } from './regions.ts';
import type { Rng } from './rng.ts';
import type { PoiKind, PoiProps } from './types.ts';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** A point in the margin strip (u or v in [0.04, 0.11]) of a random cell of the grid. */
export function marginPoint(rng: Rng, lat: Lattice, grid: BuiltRegion): [number, number] {
  const cell = rng.pick(grid.cells);
  const a = rng.float(0.04, 0.11);
  const b = rng.float(0.12, 0.88);
  return rng.chance(0.5) ? cellPoint(lat, cell, a, b) : cellPoint(lat, cell, b, a);
}

/** The child grid nearest the community's centre of cells. */
export function centralGrid(lat: Lattice, community: BuiltRegion): BuiltRegion {
  const xy = (c: number): [number, number] => [c % lat.nx, Math.floor(c / lat.nx)];
  let mx = 0;
  let my = 0;
  for (const c of community.cells) {
    const [x, y] = xy(c);
    mx += x / community.cells.length;
    my += y / community.cells.length;
  }
  let best = community.children[0]!;
  let bestD = Infinity;
  for (const g of community.children) {
    for (const c of g.cells) {
      const [x, y] = xy(c);
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < bestD) {
        bestD = d;
        best = g;
      }
    }
  }
  return best;
}

const LABELS: Record<PoiKind, [string, string]> = {
  community_service_centre: ['社区党群服务中心', 'Community Service Centre'],
  elderly_daycare: ['社区日间照料中心', 'Elderly Day Care Centre'],
  clinic: ['社区卫生服务站', 'Community Health Station'],
  school: ['小学', 'Primary School'],
  fire_hydrant: ['消火栓', 'Fire Hydrant'],
  aed: ['AED 急救设备', 'AED'],
  camera: ['视频监控点', 'Camera'],
};

export function generatePois(rng: Rng, h: Hierarchy): Array<Feature<Point, PoiProps>> {
  const out: Array<Feature<Point, PoiProps>> = [];
  const counter = new Map<string, number>();
  const add = (kind: PoiKind, grid: BuiltRegion, owner: BuiltRegion, coords?: [number, number]): void => {
    const key = `${grid.id}:${kind}`;
    const n = (counter.get(key) ?? 0) + 1;
    counter.set(key, n);
    const [zh, en] = LABELS[kind];
    const perGrid = kind === 'fire_hydrant' || kind === 'aed' || kind === 'camera';
    const name = perGrid ? `${grid.name}${zh}${n}` : `${owner.shortName}${zh}`;
    const nameEn = perGrid ? `${grid.nameEn} ${en} ${n}` : `${owner.shortNameEn} ${en}`;
    const props: PoiProps = { id: `${grid.id}-${kind}-${pad(n, 2)}`, kind, name, nameEn, gridId: grid.id, synthetic: true };
    out.push({ type: 'Feature', properties: props, geometry: { type: 'Point', coordinates: coords ?? marginPoint(rng, h.lattice, grid) } });
  };
  h.communities.forEach((community, i) => {
    add('community_service_centre', centralGrid(h.lattice, community), community);
    const kids = community.children;
    add('elderly_daycare', rng.pick(kids), community);
    if (rng.chance(0.6)) add('clinic', rng.pick(kids), community);
    if (i % 2 === 0) add('school', rng.pick(kids), community);
  });
  for (const grid of h.grids) {
    for (let k = rng.int(2, 3); k > 0; k--) add('fire_hydrant', grid, grid);
    if (rng.chance(0.4)) add('aed', grid, grid);
    for (let k = rng.int(2, 4); k > 0; k--) add('camera', grid, grid);
  }
  return out;
}

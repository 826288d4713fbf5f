/** Residential buildings (inside lattice cells of their grid) and the IoT devices mounted in them. */
import type { Feature, Polygon } from 'geojson';
import { cellPoint, type Lattice } from './lattice.ts';
import { COMMERCIAL_SUFFIX, FACTORIES, RESETTLEMENT_SUFFIX } from './names.ts';
import type { BuiltRegion, Hierarchy } from './regions.ts';
import type { Rng } from './rng.ts';
import type { BuildingProps, Device, DeviceKind, EstateType } from './types.ts';

export interface BuiltBuilding {
  feature: Feature<Polygon, BuildingProps>;
  cell: number;
  /** Footprint in the cell's bilinear coordinates: u0, v0, u1, v1. */
  uv: [number, number, number, number];
}

const MIN_GRID_HOUSEHOLDS = 150;
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** Dominant estate type of a grid: old factory housing near the centre, resettlement estates further out. */
function gridEstate(rng: Rng, h: Hierarchy, grid: BuiltRegion, radius: number): EstateType {
  if (grid.parentId === h.zhiqiang.id) return rng.chance(0.85) ? 'factory' : 'commercial';
  const { nx } = h.lattice;
  const c = grid.cells[0]!;
  const cc = h.lattice.centreCell;
  const d = Math.hypot((c % nx) - (cc % nx), Math.floor(c / nx) - Math.floor(cc / nx)) / radius;
  const pf = Math.max(0.1, 0.65 - 0.55 * d);
  const r = rng.next();
  return r < pf ? 'factory' : r < pf + 0.45 * (1 - pf) ? 'resettlement' : 'commercial';
}

function estateName(rng: Rng, type: EstateType, grid: BuiltRegion, community: BuiltRegion): [string, string] {
  if (type === 'factory') {
    const [zh, en] = rng.pick(FACTORIES);
    return [`${zh}宿舍`, `${en} Housing`];
  }
  if (type === 'resettlement') return [`${community.shortName}${RESETTLEMENT_SUFFIX[0]}`, `${community.shortNameEn} ${RESETTLEMENT_SUFFIX[1]}`];
  const [zh, en] = rng.pick(COMMERCIAL_SUFFIX);
  return [`${community.shortName}${grid.shortName}号${zh}`, `${community.shortNameEn} No.${grid.shortName} ${en}`];
}

/** Footprints (u0, v0, u1, v1) for one cell; all stay inside [0.15, 0.85] so buildings are strictly inside the cell. */
function footprints(rng: Rng, type: EstateType): Array<[number, number, number, number]> {
  if (type === 'factory') {
    // One or two long walk-up slabs.
    const u0 = rng.float(0.15, 0.22);
    const u1 = rng.float(0.7, 0.85);
    if (rng.chance(0.35)) return [[u0, 0.4, u1, 0.58]];
    return [[u0, rng.float(0.17, 0.22), u1, 0.38], [u0, rng.float(0.58, 0.62), u1, rng.float(0.76, 0.82)]];
  }
  if (type === 'resettlement') {
    const u0 = rng.float(0.2, 0.35);
    const v0 = rng.float(0.2, 0.35);
    return [[u0, v0, u0 + 0.3, v0 + 0.28]];
  }
  const u0 = rng.float(0.15, 0.3);
  return [[u0, rng.float(0.3, 0.4), u0 + rng.float(0.35, 0.5), 0.62]];
}

function attributes(rng: Rng, type: EstateType): Pick<BuildingProps, 'households' | 'floors' | 'builtYear' | 'elevator'> {
  if (type === 'factory') {
    const floors = rng.int(4, 7);
    return { floors, households: floors * rng.int(2, 4) * 2, builtYear: rng.int(1956, 1995), elevator: false };
  }
  if (type === 'resettlement') {
    const tower = rng.chance(0.55);
    const floors = tower ? rng.int(18, 33) : rng.int(6, 7);
    return { floors, households: floors * (tower ? 4 : 6), builtYear: rng.int(2003, 2019), elevator: tower };
  }
  const floors = rng.int(11, 32);
  return { floors, households: floors * rng.int(2, 4), builtYear: rng.int(1998, 2022), elevator: true };
}

export function generateBuildings(rng: Rng, h: Hierarchy): BuiltBuilding[] {
  const out: BuiltBuilding[] = [];
  const radius = Math.sqrt(h.lattice.cells.length / Math.PI);
  const communityById = new Map(h.communities.map((c) => [c.id, c]));
  for (const grid of h.grids) {
    const community = communityById.get(grid.parentId!)!;
    const main = gridEstate(rng, h, grid, radius);
    const names = new Map<EstateType, [string, string]>();
    let n = 0;
    let households = 0;
    const used = new Set<number>();
    const place = (cell: number, type: EstateType): void => {
      used.add(cell);
      if (!names.has(type)) names.set(type, estateName(rng, type, grid, community));
      const [ezh, een] = names.get(type)!;
      for (const uv of footprints(rng, type)) {
        n++;
        const ring = [cellPoint(h.lattice, cell, uv[0], uv[1]), cellPoint(h.lattice, cell, uv[2], uv[1]), cellPoint(h.lattice, cell, uv[2], uv[3]), cellPoint(h.lattice, cell, uv[0], uv[3])];
        ring.push(ring[0]!);
        const props: BuildingProps = { id: `${grid.id}-B${pad(n, 3)}`, gridId: grid.id, name: `${ezh}${n}栋`, nameEn: `${een} Bldg ${n}`, estateType: type, ...attributes(rng, type), synthetic: true };
        households += props.households;
        out.push({ feature: { type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [ring] } }, cell, uv });
      }
    };
    grid.cells.forEach((cell, k) => {
      const type = rng.chance(0.12) ? rng.pick<EstateType>(['factory', 'resettlement', 'commercial']) : main;
      const occupancy = type === 'factory' ? 0.85 : type === 'resettlement' ? 0.5 : 0.45;
      if (k === 0 || rng.chance(occupancy)) place(cell, type);
    });
    // Top up small grids so every grid has at least a couple of hundred households.
    for (const cell of grid.cells) if (households < MIN_GRID_HOUSEHOLDS && !used.has(cell)) place(cell, main);
  }
  return out;
}

const PRODUCT_KEYS: Record<DeviceKind, [string, string]> = {
  smoke: ['a1GridSmoke', 'SMK'],
  elevator: ['a1GridLift0', 'ELV'],
  water_meter: ['a1GridWater', 'WTR'],
  emergency_button: ['a1GridSos00', 'SOS'],
};

/** Smoke detectors and water meters of elderly people living alone in old estates, lift controllers, emergency buttons. */
export function generateDevices(rng: Rng, lat: Lattice, buildings: BuiltBuilding[]): Device[] {
  const out: Device[] = [];
  const seq = new Map<string, number>();
  const add = (kind: DeviceKind, b: BuiltBuilding): void => {
    const p = b.feature.properties;
    const [productKey, prefix] = PRODUCT_KEYS[kind];
    const n = (seq.get(kind + p.gridId) ?? 0) + 1;
    seq.set(kind + p.gridId, n);
    const [u0, v0, u1, v1] = b.uv;
    const [lng, la] = cellPoint(lat, b.cell, u0 + (u1 - u0) * rng.float(0.2, 0.8), v0 + (v1 - v0) * rng.float(0.2, 0.8));
    out.push({ productKey, deviceName: `${prefix}-${p.gridId}-${pad(n, 2)}`, kind, gridId: p.gridId, buildingId: p.id, location: { lng, lat: la } });
  };
  for (const b of buildings) {
    const p = b.feature.properties;
    const old = p.estateType === 'factory';
    if (old && rng.chance(0.14)) for (let i = rng.int(1, 2); i > 0; i--) add('smoke', b);
    if (p.elevator && rng.chance(0.3)) for (let i = rng.int(1, 2); i > 0; i--) add('elevator', b);
    if (old && rng.chance(0.08)) add('water_meter', b);
    if (rng.chance(old ? 0.05 : 0.015)) add('emergency_button', b);
  }
  return out;
}

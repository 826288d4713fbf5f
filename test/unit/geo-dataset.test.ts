import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import { REGION_CODE_LENGTH, REGION_LEVELS, type RegionLevel, type RegionProps } from '../../common/geo/types.ts';
import { DATA_FILES, generateDataset, serializeDataset } from '../../geo/scripts/dataset.ts';
import type { BuildingProps, Device, Meta, PoiProps, Worker } from '../../geo/scripts/types.ts';

// @turf/area, @turf/kinks and @turf/boolean-point-in-polygon are not (reliably) installed, so the small
// formulas are inlined below. ringArea is @turf/area's spherical ring area (WGS-84 equatorial radius).

const DATA = fileURLToPath(new URL('../../geo/data/', import.meta.url));
const read = (name: string): string => readFileSync(DATA + name, 'utf8');
const json = <T>(name: string): T => JSON.parse(read(name)) as T;

type Region = Feature<Polygon, RegionProps>;
const regions = json<FeatureCollection<Polygon, RegionProps>>('regions.geojson').features as Region[];
const buildings = json<FeatureCollection<Polygon, BuildingProps>>('buildings.geojson').features;
const pois = json<FeatureCollection<Point, PoiProps>>('pois.geojson').features;
const workers = json<{ synthetic: boolean; workers: Worker[] }>('workers.json');
const devices = json<{ synthetic: boolean; devices: Device[] }>('devices.json');
const meta = json<Meta>('meta.json');
const byId = new Map(regions.map((r) => [r.properties.id, r]));
const ofLevel = (level: RegionLevel): Region[] => regions.filter((r) => r.properties.level === level);

function ringArea(ring: Position[]): number {
  const R = 6378137;
  const rad = Math.PI / 180;
  const n = ring.length - 1;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const lower = ring[i]!;
    const middle = ring[(i + 1) % n]!;
    const upper = ring[(i + 2) % n]!;
    total += (upper[0]! - lower[0]!) * rad * Math.sin(middle[1]! * rad);
  }
  return Math.abs((total * R * R) / 2);
}

/** Planar signed area (shoelace) in degrees²: positive for a counter-clockwise ring. */
function signedArea(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return s / 2;
}

function segmentsTouch(a: Position, b: Position, c: Position, d: Position): boolean {
  const orient = (p: Position, q: Position, r: Position): number => Math.sign((q[0]! - p[0]!) * (r[1]! - p[1]!) - (q[1]! - p[1]!) * (r[0]! - p[0]!));
  const onSeg = (p: Position, q: Position, r: Position): boolean =>
    Math.min(p[0]!, q[0]!) <= r[0]! && r[0]! <= Math.max(p[0]!, q[0]!) && Math.min(p[1]!, q[1]!) <= r[1]! && r[1]! <= Math.max(p[1]!, q[1]!);
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSeg(a, b, c)) || (o2 === 0 && onSeg(a, b, d)) || (o3 === 0 && onSeg(c, d, a)) || (o4 === 0 && onSeg(c, d, b));
}

/** Like @turf/kinks: true when two non-adjacent edges of the ring intersect or touch. */
function hasKinks(ring: Position[]): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue; // adjacent through the closing vertex
      if (segmentsTouch(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return true;
    }
  }
  return false;
}

/** Problems of a polygon: closed, >= 4 positions, one counter-clockwise ring, no kinks. */
function polygonProblem(p: Polygon): string | null {
  if (p.coordinates.length !== 1) return 'expected exactly one ring (no holes)';
  const ring = p.coordinates[0]!;
  if (ring.length < 4) return 'fewer than 4 positions';
  const [f, l] = [ring[0]!, ring[ring.length - 1]!];
  if (f[0] !== l[0] || f[1] !== l[1]) return 'ring not closed';
  if (signedArea(ring) <= 0) return 'outer ring not counter-clockwise';
  if (hasKinks(ring)) return 'self-intersection';
  for (const pos of ring) if (pos.some((v) => Math.round(v * 1e6) / 1e6 !== v)) return 'coordinate with more than 6 decimals';
  return null;
}

/** Point in polygon (single ring) by ray casting; `boundary` answers for points on an edge. */
function booleanPointInPolygon(pt: Position, poly: Polygon, opts: { ignoreBoundary?: boolean } = {}): boolean {
  const ring = poly.coordinates[0]!;
  const [x, y] = pt as [number, number];
  let inside = false;
  for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    const cross = (xj - xi) * (y - yi) - (yj - yi) * (x - xi);
    if (cross === 0 && Math.min(xi, xj) <= x && x <= Math.max(xi, xj) && Math.min(yi, yj) <= y && y <= Math.max(yi, yj)) return !opts.ignoreBoundary;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

const bboxOf = (ring: Position[]): [number, number, number, number] => {
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) b = [Math.min(b[0], x!), Math.min(b[1], y!), Math.max(b[2], x!), Math.max(b[3], y!)];
  return b;
};
const inBox = (b: [number, number, number, number], x: number, y: number): boolean => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
const strictlyInside = (pt: Position, poly: Polygon): boolean => booleanPointInPolygon(pt, poly, { ignoreBoundary: true });

describe('geo/data synthetic dataset', () => {
  it('is marked synthetic everywhere', () => {
    expect(meta.synthetic).toBe(true);
    expect(meta.note).toMatch(/^Synthetic demo data/);
    for (const name of DATA_FILES) expect(JSON.parse(read(name)).synthetic, name).toBe(true);
    for (const r of regions) expect(r.properties.synthetic).toBe(true);
  });

  it('has at least 5 streets, 20 communities and 200 grids, ordered by level', () => {
    expect(ofLevel('district')).toHaveLength(1);
    expect(ofLevel('street').length).toBeGreaterThanOrEqual(5);
    expect(ofLevel('community').length).toBeGreaterThanOrEqual(20);
    expect(ofLevel('grid').length).toBeGreaterThanOrEqual(200);
    const ranks = regions.map((r) => REGION_LEVELS.indexOf(r.properties.level));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(meta.counts).toMatchObject({ streets: ofLevel('street').length, communities: ofLevel('community').length, grids: ofLevel('grid').length });
  });

  it('has valid polygons: closed, >= 4 positions, counter-clockwise, no kinks', () => {
    for (const r of regions) expect(polygonProblem(r.geometry), r.properties.id).toBeNull();
    for (const b of buildings) expect(polygonProblem(b.geometry), b.properties.id).toBeNull();
  });

  it('has unique hierarchical region codes and RegionProps-shaped properties', () => {
    expect(byId.size).toBe(regions.length);
    const allowed = new Set(['id', 'level', 'parentId', 'name', 'nameEn', 'households', 'synthetic', 'population']);
    for (const { properties: p } of regions) {
      for (const key of Object.keys(p)) expect(allowed.has(key), key).toBe(true);
      expect(p.id).toMatch(/^\d+$/);
      expect(p.id.length).toBe(REGION_CODE_LENGTH[p.level]);
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.nameEn.length).toBeGreaterThan(0);
      expect(p.households).toBeGreaterThan(0);
      if (p.level === 'district') {
        expect(p.id).toBe('510108');
        expect(p.parentId).toBeNull();
        continue;
      }
      const parent = byId.get(p.parentId ?? '');
      expect(parent, p.id).toBeDefined();
      expect(REGION_LEVELS.indexOf(parent!.properties.level)).toBe(REGION_LEVELS.indexOf(p.level) - 1);
      expect(p.id.startsWith(parent!.properties.id)).toBe(true);
    }
    for (const g of ofLevel('grid')) expect(g.properties.households).toBeGreaterThanOrEqual(100);
  });

  it('tiles every parent exactly with its children (areas sum, no overlaps, inside the parent)', () => {
    const children = new Map<string, Region[]>();
    for (const r of regions) if (r.properties.parentId) children.set(r.properties.parentId, [...(children.get(r.properties.parentId) ?? []), r]);
    for (const parent of regions) {
      const kids = children.get(parent.properties.id) ?? [];
      if (parent.properties.level === 'grid') {
        expect(kids).toHaveLength(0);
        continue;
      }
      expect(kids.length, parent.properties.id).toBeGreaterThan(0);
      const parentArea = ringArea(parent.geometry.coordinates[0]!);
      const sum = kids.reduce((a, k) => a + ringArea(k.geometry.coordinates[0]!), 0);
      expect(Math.abs(sum - parentArea) / parentArea, parent.properties.id).toBeLessThan(0.005);
      expect(parent.properties.households).toBe(kids.reduce((a, k) => a + (k.properties.households ?? 0), 0));
      const boxes = kids.map((k) => bboxOf(k.geometry.coordinates[0]!));
      kids.forEach((kid, i) => {
        const ring = kid.geometry.coordinates[0]!;
        // Every vertex lies in the parent (or on its boundary).
        for (const pos of ring) expect(booleanPointInPolygon(pos, parent.geometry), kid.properties.id).toBe(true);
        // A point just inside the middle of every edge lies in this child and the parent, and in no sibling.
        for (let e = 0; e + 1 < ring.length; e++) {
          const [ax, ay] = ring[e]! as [number, number];
          const [bx, by] = ring[e + 1]! as [number, number];
          const len = Math.hypot(bx - ax, by - ay);
          const pt = [(ax + bx) / 2 - ((by - ay) / len) * 2e-6, (ay + by) / 2 + ((bx - ax) / len) * 2e-6];
          expect(strictlyInside(pt, kid.geometry), `${kid.properties.id} edge ${e}`).toBe(true);
          expect(strictlyInside(pt, parent.geometry)).toBe(true);
          kids.forEach((sib, j) => {
            if (j !== i && inBox(boxes[j]!, pt[0]!, pt[1]!)) expect(booleanPointInPolygon(pt, sib.geometry), `${kid.properties.id} overlaps ${sib.properties.id}`).toBe(false);
          });
        }
      });
    }
  });

  it('puts Zhiqiang Community around (104.10, 30.67)', () => {
    const zq = ofLevel('community').filter((c) => c.properties.name === '志强社区');
    expect(zq).toHaveLength(1);
    expect(zq[0]!.properties.nameEn).toBe('Zhiqiang Community');
    expect(zq[0]!.properties.id).toBe(meta.zhiqiangCommunityId);
    expect(strictlyInside([104.1, 30.67], zq[0]!.geometry)).toBe(true);
    expect(ofLevel('grid').some((g) => g.properties.name === '志强社区第3网格' && g.properties.nameEn === 'Zhiqiang Grid 3')).toBe(true);
  });

  it('keeps every building, POI and device strictly inside its grid', () => {
    const gridOf = (id: string): Polygon => {
      const g = byId.get(id);
      expect(g?.properties.level, id).toBe('grid');
      return g!.geometry;
    };
    const estateTypes = new Set(['factory', 'resettlement', 'commercial']);
    for (const b of buildings) {
      const p = b.properties;
      expect(estateTypes.has(p.estateType)).toBe(true);
      expect(p.households).toBeGreaterThan(0);
      expect(p.floors).toBeGreaterThan(0);
      if (p.estateType === 'factory') expect(p.builtYear).toBeLessThan(2000);
      const grid = gridOf(p.gridId);
      for (const pos of b.geometry.coordinates[0]!) expect(strictlyInside(pos, grid), p.id).toBe(true);
    }
    const kinds = new Set(['community_service_centre', 'elderly_daycare', 'clinic', 'school', 'fire_hydrant', 'aed', 'camera']);
    for (const poi of pois) {
      expect(kinds.has(poi.properties.kind)).toBe(true);
      expect(strictlyInside(poi.geometry.coordinates, gridOf(poi.properties.gridId)), poi.properties.id).toBe(true);
    }
    for (const c of ofLevel('community')) {
      expect(pois.filter((p) => p.properties.kind === 'community_service_centre' && p.properties.gridId.startsWith(c.properties.id))).toHaveLength(1);
    }
    const buildingById = new Map(buildings.map((b) => [b.properties.id, b]));
    const names = new Set<string>();
    for (const d of devices.devices) {
      expect(['smoke', 'elevator', 'water_meter', 'emergency_button']).toContain(d.kind);
      const key = `${d.productKey}/${d.deviceName}`;
      expect(names.has(key), key).toBe(false);
      names.add(key);
      const b = buildingById.get(d.buildingId);
      expect(b?.properties.gridId).toBe(d.gridId);
      expect(strictlyInside([d.location.lng, d.location.lat], gridOf(d.gridId))).toBe(true);
      expect(strictlyInside([d.location.lng, d.location.lat], b!.geometry)).toBe(true);
    }
    expect(devices.devices.length).toBeGreaterThanOrEqual(200);
  });

  it('has one grid worker per grid with synthetic contact data', () => {
    const gridWorkers = workers.workers.filter((w) => w.role === 'grid_worker');
    expect(new Set(gridWorkers.map((w) => w.gridId)).size).toBe(ofLevel('grid').length);
    expect(gridWorkers).toHaveLength(ofLevel('grid').length);
    expect(new Set(workers.workers.map((w) => w.id)).size).toBe(workers.workers.length);
    expect(new Set(workers.workers.map((w) => w.phone)).size).toBe(workers.workers.length);
    for (const w of workers.workers) {
      expect(w.phone).toMatch(/^1[3-9]\d0000\d{4}$/);
      expect(w.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/);
      expect(byId.get(w.gridId)?.properties.level).toBe('grid');
      expect(w.gridId.startsWith(w.regionId)).toBe(true);
      expect(strictlyInside([w.base.lng, w.base.lat], byId.get(w.gridId)!.geometry)).toBe(true);
    }
  });

  it('is reproduced byte for byte by the generator', () => {
    const files = serializeDataset(generateDataset({ grids: meta.counts.grids, seed: meta.seed }));
    for (const name of DATA_FILES) expect(files[name] === read(name), `${name} differs from a fresh run`).toBe(true);
  });
});

describe('city-scale generation', () => {
  it('yields at least 30,000 valid, unique grids', { timeout: 60_000 }, () => {
    const data = generateDataset({ grids: 30_000 });
    const grids = data.regions.features.filter((f) => f.properties.level === 'grid');
    expect(grids.length).toBeGreaterThanOrEqual(30_000);
    expect(new Set(grids.map((g) => g.properties.id)).size).toBe(grids.length);
    const ids = new Set(data.regions.features.map((f) => f.properties.id));
    for (const g of grids) {
      expect(g.properties.id).toHaveLength(15);
      expect(ids.has(g.properties.parentId!)).toBe(true);
      const problem = polygonProblem(g.geometry);
      if (problem) expect(problem, g.properties.id).toBeNull();
    }
    expect(data.meta.counts.grids).toBe(grids.length);
  });
});

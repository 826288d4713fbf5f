import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import pointInPolygon from 'point-in-polygon-hao';
import type { FeatureCollection, MultiPolygon, Position } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distanceM, fromWgs84 } from '#common/geo/crs';
import { importBoundaries } from '#geo/scripts/import/index.ts';
import { readRegions, type RegionFeature } from '#server/geo/dataset';
import { GridFacts } from '#server/geo/grid-facts';
import { Regions } from '#server/geo/regions';
import { labelPoint, largestPart, partsOf } from '#server/geo/shape';
import { TileService } from '#server/geo/tiles';

/**
 * Shenzhen Nanshan District as DataV/Aliyun areas publish it: GCJ-02, a MultiPolygon of 4 parts (the mainland part
 * and three islands). Source: github.com/anzhou99/GeoJsons, 440300_full.json (snapshot ae33047). The street,
 * community and grids below it are synthetic: grid 1 is the same outline with a hole in its main part, grid 2
 * fills the hole (see the fixture's `source` member).
 */
const FIXTURE = fileURLToPath(new URL('../fixtures/geo/nanshan-multipolygon-gcj02.geojson', import.meta.url));
const GRID1 = '440305001001001';
const GRID2 = '440305001001002';

let dataDir: string;
let input: FeatureCollection;
let regions: Regions;
let grid1: RegionFeature;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'gridops-geo-multi-'));
  input = JSON.parse(await readFile(FIXTURE, 'utf8')) as FeatureCollection;
  const res = await importBoundaries({ file: FIXTURE, crs: 'gcj02', dataDir, baseFile: join(dataDir, 'none.geojson'), log: () => {} });
  expect(res.problems).toEqual([]);
  expect(res.ok).toBe(true);
  regions = new Regions(readRegions(join(dataDir, 'geo')));
  grid1 = regions.features.find((f) => f.properties.id === GRID1)!;
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A point inside a part: its exterior's centroid, checked to be inside (true: not on an edge, not in a hole). */
function inside(part: Position[][]): [number, number] {
  const c = labelPoint({ type: 'Polygon', coordinates: part }) as [number, number];
  expect(pointInPolygon(c, part)).toBe(true);
  return c;
}

describe('a MultiPolygon region (Shenzhen Nanshan, DataV GCJ-02)', () => {
  it('imports as a MultiPolygon, every part and the hole converted from GCJ-02 to WGS-84', () => {
    expect(regions.features).toHaveLength(5);
    const district = regions.features.find((f) => f.properties.id === '440305')!;
    expect(district.geometry.type).toBe('MultiPolygon');
    expect(partsOf(district.geometry)).toHaveLength(4);
    expect(grid1.geometry.type).toBe('MultiPolygon');
    const src = input.features.find((f) => f.properties?.id === GRID1)!.geometry as MultiPolygon;
    const out = grid1.geometry as MultiPolygon;
    expect(out.coordinates.map((p) => p.length)).toEqual([2, 1, 1, 1]);
    let worst = 0;
    out.coordinates.forEach((part, pi) =>
      part.forEach((ring, ri) => {
        // Rewinding may reverse a ring: compare as sets of positions, converted back to GCJ-02.
        const back = ring.map(([x, y]) => fromWgs84(x!, y!, 'gcj02'));
        const orig = src.coordinates[pi]![ri]!;
        expect(back).toHaveLength(orig.length);
        for (const p of orig) worst = Math.max(worst, Math.min(...back.map((q) => distanceM(p as [number, number], q))));
        // And the conversion moved it: GCJ-02 is some hundreds of metres off WGS-84 here.
        expect(distanceM(orig[0] as [number, number], ring.find((q) => distanceM(fromWgs84(q[0]!, q[1]!, 'gcj02'), orig[0] as [number, number]) < 1)!)).toBeGreaterThan(100);
      }),
    );
    expect(worst).toBeLessThan(1);
  });

  it('locates points in every part, not in the hole, and nowhere between the parts', () => {
    for (const part of partsOf(grid1.geometry)) {
      const [x, y] = inside(part);
      expect(regions.locate(x, y).gridId, `${x},${y}`).toBe(GRID1);
      expect(regions.locate(x, y).path.map((p) => p.id)).toEqual(['440305', '440305001', '440305001001', GRID1]);
    }
    // The hole of grid 1 (converted from 113.945..113.955 E, 22.535..22.545 N GCJ-02) is grid 2's.
    const hole = grid1.geometry.type === 'MultiPolygon' ? grid1.geometry.coordinates[0]![1]! : [];
    const [hx, hy] = labelPoint({ type: 'Polygon', coordinates: [hole] });
    expect(regions.locate(hx!, hy!).gridId).toBe(GRID2);
    // Without grid 2, the hole is in no grid at all.
    const alone = new Regions(readRegions(join(dataDir, 'geo')).filter((f) => f.properties.id !== GRID2));
    expect(alone.locate(hx!, hy!).gridId).toBeNull();
    // The sea between the mainland part and the Neilingding island part.
    expect(regions.locate(113.83, 22.46).gridId).toBeNull();
  });

  it('places the label in the largest part and sums the area over the parts, less the hole', () => {
    const main = largestPart(grid1.geometry);
    expect(main).toBe(partsOf(grid1.geometry)[0]);
    expect(pointInPolygon(labelPoint(grid1.geometry), main)).toBe(true);
    const facts = new GridFacts(regions, join(dataDir, 'geo'));
    const district = facts.facts('440305', 'admin')!;
    const g1 = facts.facts(GRID1, 'admin')!;
    const g2 = facts.facts(GRID2, 'admin')!;
    // Nanshan is about 187 km² (its islands included); the bbox covers the islands in the south-west.
    expect(district.areaKm2).toBeGreaterThan(160);
    expect(district.areaKm2).toBeLessThan(210);
    expect(g1.areaKm2 + g2.areaKm2).toBeCloseTo(district.areaKm2, 2);
    expect(district.bbox[0]).toBeLessThan(113.8);
    expect(district.bbox[1]).toBeLessThan(22.4);
  });

  it('cuts tiles with the island parts and a label in the main part', () => {
    const tiles = new TileService(regions, join(dataDir, 'geo'));
    const tileOf = (lng: number, lat: number, z: number) => {
      const n = 2 ** z;
      const r = (lat * Math.PI) / 180;
      return [z, Math.floor(((lng + 180) / 360) * n), Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n)] as const;
    };
    const layer = (bytes: Buffer | null, name: string) => {
      const l = bytes ? new VectorTile(new PbfReader(gunzipSync(bytes))).layers[name] : undefined;
      return l ? Array.from({ length: l.length }, (_, i) => l.feature(i).properties) : [];
    };
    // Neilingding island (the second part), where no other region lies.
    const [island] = partsOf(grid1.geometry).slice(1);
    const [ix, iy] = inside(island!);
    const there = layer(tiles.tile('440305', ...tileOf(ix, iy, 15)), 'regions');
    expect(there.map((p) => p.id)).toContain(GRID1);
    const labels = layer(tiles.tile('440305', ...tileOf(...(labelPoint(grid1.geometry) as [number, number]), 15)), 'labels');
    expect(labels.map((p) => p.id)).toContain(GRID1);
    expect(tiles.bounds('440305')[0]).toBeLessThan(113.8);
  });
});

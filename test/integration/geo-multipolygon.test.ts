import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { MultiPolygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapConfig, RegionFacts } from '#geo/style/contract.ts';
import { importBoundaries } from '#geo/scripts/import/index.ts';
import { readRegions } from '#server/geo/dataset';
import { labelPoint } from '#server/geo/shape';
import { login, startApp, type Running } from './helpers';

// Shenzhen Nanshan District from DataV/Aliyun areas (GCJ-02, 4 parts; github.com/anzhou99/GeoJsons 440300_full.json),
// with a synthetic street, community and two grids below it: see test/unit/geo-multipolygon.test.ts.
const FIXTURE = fileURLToPath(new URL('../fixtures/geo/nanshan-multipolygon-gcj02.geojson', import.meta.url));
const GRID1 = '440305001001001';

function tileOf(lng: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n) };
}

let dataDir: string;
let app: Running;
let token: string;
let parts: MultiPolygon['coordinates'];
const get = (path: string) => fetch(`${app.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gridops-it-multi-'));
  const res = await importBoundaries({ file: FIXTURE, crs: 'gcj02', dataDir, baseFile: join(dataDir, 'none.geojson'), log: () => {} });
  expect(res.problems).toEqual([]);
  parts = (readRegions(join(dataDir, 'geo')).find((f) => f.properties.id === GRID1)!.geometry as MultiPolygon).coordinates;
  app = await startApp({}, dataDir);
  token = (await login(app.url)).token;
});
afterAll(async () => {
  await app?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a server on MultiPolygon boundaries (Shenzhen Nanshan)', () => {
  it('starts on them and frames the whole district, islands included', async () => {
    const cfg = (await (await get('/api/geo/map-config')).json()) as MapConfig;
    expect(cfg.scopeId).toBe('440305');
    expect(cfg.bounds[0]).toBeLessThan(113.8);
    expect(cfg.bounds[2]).toBeGreaterThan(114.02);
    const facts = (await (await get(`/api/geo/grids/${GRID1}`)).json()) as RegionFacts;
    expect(facts.areaKm2).toBeGreaterThan(150);
  });

  it('locates a point on every part in its grid, and serves each part in the tiles', async () => {
    for (const part of parts) {
      const [lng, lat] = labelPoint({ type: 'Polygon', coordinates: part }) as [number, number];
      const located = (await (await get(`/api/geo/locate?lng=${lng}&lat=${lat}`)).json()) as { gridId: string | null };
      expect(located.gridId, `${lng},${lat}`).toBe(GRID1);
      const { x, y } = tileOf(lng, lat, 15);
      const res = await get(`/api/geo/tiles/15/${x}/${y}.pbf`);
      expect(res.status).toBe(200);
      const buf = new Uint8Array(await res.arrayBuffer());
      const raw = buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
      const layer = new VectorTile(new PbfReader(raw)).layers.regions!;
      const ids = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties.id);
      expect(ids).toContain(GRID1);
    }
  });
});

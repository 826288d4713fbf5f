import { gunzipSync } from 'node:zlib';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapConfig, RegionFacts } from '#geo/style/contract.ts';
import { login, startApp, type Running } from './helpers';

const ZHIQIANG = '510108003002';

/** Slippy-map tile containing a point. */
function tileOf(lng: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const r = (lat * Math.PI) / 180;
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor(((1 - Math.asinh(Math.tan(r)) / Math.PI) / 2) * n) };
}

function decode(bytes: ArrayBuffer, encoding: string | null): VectorTile {
  // fetch() already undoes Content-Encoding: gzip; decode raw gzip only when it did not.
  const buf = new Uint8Array(bytes);
  const raw = encoding === null && buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf;
  return new VectorTile(new PbfReader(raw));
}

function names(tile: VectorTile, layer: string): Record<string, string | number | boolean>[] {
  const l = tile.layers[layer];
  return l ? Array.from({ length: l.length }, (_, i) => l.feature(i).properties) : [];
}

let app: Running;
let admin: string;
let leader: string;
let wall: string;
const get = (path: string, token?: string) => fetch(`${app.url}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  const created = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'zq-leader', displayName: '志强社区书记', password: 'leader-password-1', role: 'leader', regionId: ZHIQIANG }),
  });
  expect(created.status).toBe(201);
  leader = (await login(app.url, 'zq-leader', 'leader-password-1')).token;
  const w = await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' });
  wall = ((await w.json()) as { token: string }).token;
});
afterAll(async () => {
  await app.stop();
});

describe('vector tiles', () => {
  it('refuses requests without a token', async () => {
    for (const path of ['/api/geo/tiles/14/13121/6803.pbf', '/api/geo/grids/510108003002001', '/api/geo/map-config']) {
      expect((await get(path)).status, path).toBe(401);
    }
  });

  it('cuts a tile at the district zoom into regions with Chinese names', async () => {
    const { x, y } = tileOf(104.1, 30.67, 14);
    const res = await get(`/api/geo/tiles/14/${x}/${y}.pbf`, admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers.get('cache-control')).toMatch(/private, max-age=\d+/);
    const tile = decode(await res.arrayBuffer(), res.headers.get('content-encoding'));
    expect(Object.keys(tile.layers)).toEqual(expect.arrayContaining(['regions', 'labels', 'roads', 'buildings', 'pois']));
    const regions = names(tile, 'regions');
    const grids = regions.filter((p) => p.level === 'grid');
    expect(grids.length).toBeGreaterThan(3);
    expect(regions.some((p) => p.name === '志强社区' && p.level === 'community')).toBe(true);
    expect(grids.every((p) => /[\u4e00-\u9fff]/.test(String(p.name)) && /^\d{15}$/.test(String(p.id)))).toBe(true);
    expect(grids[0]).toMatchObject({ households: expect.any(Number), population: expect.any(Number), density: expect.any(Number) });
    expect(names(tile, 'labels').some((p) => p.short === '第1网格' || /网格$/.test(String(p.short)))).toBe(true);
  });

  it('keeps grids and details out of zoomed-out tiles and answers 204 far away', async () => {
    const { x, y } = tileOf(104.1, 30.67, 9);
    const res = await get(`/api/geo/tiles/9/${x}/${y}.pbf`, admin);
    const tile = decode(await res.arrayBuffer(), res.headers.get('content-encoding'));
    const levels = new Set(names(tile, 'regions').map((p) => p.level));
    expect(levels.has('district') && levels.has('street') && !levels.has('grid')).toBe(true);
    expect(tile.layers.buildings).toBeUndefined();
    expect((await get('/api/geo/tiles/14/0/0.pbf', admin)).status).toBe(204);
    expect((await get('/api/geo/tiles/3/9/1.pbf', admin)).status).toBe(400);
  });

  it('limits a tile to the user’s scope', async () => {
    const { x, y } = tileOf(104.1, 30.67, 14);
    const res = await get(`/api/geo/tiles/14/${x}/${y}.pbf`, leader);
    const tile = decode(await res.arrayBuffer(), res.headers.get('content-encoding'));
    const ids = names(tile, 'regions').map((p) => String(p.id));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith(ZHIQIANG))).toBe(true);
    expect(names(tile, 'pois').every((p) => String(p.gridId).startsWith(ZHIQIANG))).toBe(true);
    const cfg = (await (await get('/api/geo/map-config', leader)).json()) as MapConfig;
    expect(cfg).toMatchObject({ scopeId: ZHIQIANG, base: null, tiles: '/api/geo/tiles/{z}/{x}/{y}.pbf' });
    expect(cfg.bounds[0]).toBeGreaterThan(104);
  });
});

describe('grid facts', () => {
  const grid = `${ZHIQIANG}001`;

  it('gives a dispatcher-level user the full facts and worker', async () => {
    const res = await get(`/api/geo/grids/${grid}`, admin);
    expect(res.status).toBe(200);
    const f = (await res.json()) as RegionFacts;
    expect(f).toMatchObject({ id: grid, level: 'grid', households: expect.any(Number), synthetic: true });
    expect(f.path.map((p) => p.level)).toEqual(['district', 'street', 'community', 'grid']);
    expect(f.path[2]!.name).toBe('志强社区');
    expect(f.buildings).toBeGreaterThan(0);
    expect(Object.values(f.pois).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(f.workers.length).toBeGreaterThan(0);
    expect(f.workers[0]!.phone).toMatch(/^1\d{10}$/);
  });

  it('masks the worker for a leader and drops the phone for the wall', async () => {
    const masked = (await (await get(`/api/geo/grids/${grid}`, leader)).json()) as RegionFacts;
    expect(masked.workers[0]!.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(masked.workers[0]!.name).toContain('*');
    const res = await get(`/api/geo/grids/${grid}`, wall);
    const text = await res.text();
    const f = JSON.parse(text) as RegionFacts;
    expect(f.workers.length).toBeGreaterThan(0);
    expect(f.workers.every((w) => w.phone === null && w.name.includes('*'))).toBe(true);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
  });

  it('sums a community and refuses regions outside the scope', async () => {
    const c = (await (await get(`/api/geo/grids/${ZHIQIANG}`, leader)).json()) as RegionFacts;
    expect(c.level).toBe('community');
    expect(c.children.length).toBeGreaterThan(3);
    expect((await get('/api/geo/grids/510108001001001', leader)).status).toBe(404);
    expect((await get('/api/geo/grids/nonsense', admin)).status).toBe(404);
  });
});

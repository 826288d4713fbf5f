import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterWorker } from '#common/geo/types';
import type { WorkerSummary } from '#common/dispatch/types';
import type { Checkin, Patrol, PositionFix, WorkersPositionsPush } from '#common/field/types';
import { createTokenService } from '#server/auth/tokens';
import { BUNDLED_GEO_DIR } from '#server/geo/dataset';
import type { Candidate } from '#common/dispatch/types';
import { cstDate } from '#common/field/mileage';
import { ADMIN_PASSWORD, connected, event, ingest, createPgSchema, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

/** The demo roster (268) and clones to make 300 grid workers, each with a linked account. */
const WORKERS = 300;
const dataDir = mkdtempSync(join(tmpdir(), 'gridops-field-'));
let app: Running;
/** The server's clock (patrol start and end); the tests move it. */
let clock = Date.now();
let admin: string;
let roster: RosterWorker[];
const tokens = new Map<string, string>();
const open: ClientSocket[] = [];
const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

beforeAll(async () => {
  mkdirSync(join(dataDir, 'geo'));
  cpSync(join(BUNDLED_GEO_DIR, 'regions.geojson'), join(dataDir, 'geo', 'regions.geojson'));
  const base = (JSON.parse(readFileSync(join(BUNDLED_GEO_DIR, 'workers.json'), 'utf8')) as { workers: RosterWorker[] }).workers;
  roster = Array.from({ length: WORKERS }, (_, i) => (i < base.length ? base[i]! : { ...base[i % base.length]!, id: `gw-extra-${i}` }));
  writeFileSync(join(dataDir, 'geo', 'workers.json'), JSON.stringify({ workers: roster }));
  app = await startApp({}, dataDir, { now: () => new Date(clock) });
  admin = (await login(app.url)).token;
  // Accounts straight into the store, tokens from the same secret: 300 password hashes would take a minute.
  const signer = await createTokenService(app.store.settings);
  for (const w of roster) {
    const id = `acct-${w.id}`;
    await app.store.users.create({ id, username: id, displayName: w.name, role: 'worker', regionId: w.regionId, workerId: w.id, passwordHash: 'x' });
    tokens.set(w.id, await signer.sign({ sub: id, role: 'worker', regionId: w.regionId }, '1h'));
  }
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await app?.stop();
  if (process.env.TEST_STORE === 'postgres') {
    await (await createPgSchema(process.env.TEST_POSTGRES_URL!, `gridops_test_${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`)).drop();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function staff(username: string, role: string, regionId = app.regions.root.id): Promise<string> {
  const res = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: json(admin),
    body: JSON.stringify({ username, displayName: username, password: ADMIN_PASSWORD, role, regionId }),
  });
  expect(res.status).toBe(201);
  return (await login(app.url, username, ADMIN_PASSWORD)).token;
}
const post = (path: string, token: string, body: unknown = {}) => fetch(`${app.url}/api${path}`, { method: 'POST', headers: json(token), body: JSON.stringify(body) });
const get = async <T>(path: string, token: string): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${app.url}/api${path}`, { headers: json(token) });
  return { status: res.status, body: (await res.json()) as T };
};
/** `m` metres north of `w`'s base at `at` ms. */
const fixOf = (w: RosterWorker, m: number, at: number) => ({ lng: w.base!.lng, lat: w.base!.lat + m / 111_195, at: new Date(at).toISOString(), accuracy: 8 });

describe('positions, patrols and check-ins', () => {
  it('keeps a patrol walk, drops near-duplicates, ends with its mileage, and shows it to staff only', async () => {
    const w = roster[0]!;
    const token = tokens.get(w.id)!;
    const started = await post('/me/patrols', token);
    expect(started.status).toBe(201);
    const again = await post('/me/patrols', token);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { patrol: Patrol }).patrol.id).toBe(((await started.json()) as { patrol: Patrol }).patrol.id);

    const t0 = clock + 1000;
    // 10 fixes 50 m and 10 s apart (450 m), one 3 m / 2 s after the last (dropped), one invalid.
    const walk = Array.from({ length: 10 }, (_, i) => fixOf(w, i * 50, t0 + i * 10_000));
    for (const f of walk.slice(0, 5)) expect((await post('/me/positions', token, f)).status).toBe(202);
    const batch = await post('/me/positions', token, { positions: [...walk.slice(5), fixOf(w, 453, t0 + 92_000)] });
    expect(batch.status).toBe(202);
    expect(await batch.json()).toEqual({ kept: 5, dropped: 1 });
    expect((await post('/me/positions', token, { lng: 200, lat: 30, at: new Date().toISOString() })).status).toBe(400);
    expect((await post('/me/positions', token, { ...walk[0], extra: 1 })).status).toBe(400);

    const checkin = await post('/me/checkins', token, { lng: w.base!.lng, lat: w.base!.lat, note: '打卡' });
    expect(checkin.status).toBe(201);
    expect(((await checkin.json()) as { checkin: Checkin }).checkin).toMatchObject({ workerId: w.id, gridId: w.gridId, note: '打卡' });

    const dispatcher = await staff('field-disp', 'dispatcher');
    const list = await get<{ items: WorkerSummary[] }>('/workers', dispatcher);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(WORKERS);
    const live = list.body.items.find((x) => x.id === w.id)!;
    expect(live).toMatchObject({ onPatrol: true, name: w.name, gridId: w.gridId });
    expect(live.lastPosition).toMatchObject({ at: walk[9]!.at, accuracy: 8 });
    expect(list.body.items.find((x) => x.id === roster[1]!.id)).toMatchObject({ lastPosition: null, onPatrol: false });

    clock += 120_000;
    const ended = await post('/me/patrols/current/end', token);
    expect(ended.status).toBe(200);
    const patrol = ((await ended.json()) as { patrol: Patrol }).patrol;
    expect(patrol.endedAt).not.toBeNull();
    expect(patrol.distanceM).toBeGreaterThan(440);
    expect(patrol.distanceM).toBeLessThan(460);
    expect((await post('/me/patrols/current/end', token)).status).toBe(404);

    const track = await get<{ fixes: PositionFix[]; patrols: Patrol[]; checkins: Checkin[]; stats: { distanceM: number; durationMs: number } }>(`/workers/${w.id}/track?date=${cstDate(t0)}`, dispatcher);
    expect(track.status).toBe(200);
    expect(track.body.fixes.map((f) => f.at)).toEqual(walk.map((f) => f.at));
    expect(track.body.patrols).toHaveLength(1);
    expect(track.body.checkins).toHaveLength(1);
    expect(track.body.stats.distanceM).toBeGreaterThan(440);
    expect((await get(`/workers/${w.id}/track?date=2026-13-01`, dispatcher)).status).toBe(400);

    // Never to a wall, nor to workers, nor outside the caller's scope.
    const wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
    expect((await get('/workers', wall)).status).toBe(403);
    expect((await get(`/workers/${w.id}/track`, wall)).status).toBe(403);
    expect((await get('/workers', token)).status).toBe(403);
    const far = await staff('field-leader-far', 'leader', '510108006');
    expect((await get(`/workers/${w.id}/track`, far)).status).toBe(404);
    expect((await get<{ items: WorkerSummary[] }>('/workers', far)).body.items.every((x) => roster.find((r) => r.id === x.id)!.regionId.startsWith('510108006'))).toBe(true);
    // A staff account has no positions of its own to send.
    expect((await post('/me/positions', dispatcher, walk[0])).status).toBe(403);
  });

  it('gives the wall only counts of workers on patrol per community', async () => {
    const a = roster[2]!;
    const b = roster[3]!;
    for (const w of [a, b]) expect((await post('/me/patrols', tokens.get(w.id)!)).status).toBe(201);
    const wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
    const counts = await get<{ byCommunity: Record<string, number> }>('/workers/patrol-counts', wall);
    expect(counts.status).toBe(200);
    const community = app.regions.path(a.gridId).find((r) => r.level === 'community')!.id;
    expect(counts.body.byCommunity[community]).toBeGreaterThanOrEqual(1);
    expect(Object.values(counts.body.byCommunity).reduce((s, n) => s + n, 0)).toBe(2);
    expect(JSON.stringify(counts.body)).not.toMatch(/lng|lat|gw-/);
    for (const w of [a, b]) expect((await post('/me/patrols/current/end', tokens.get(w.id)!)).status).toBe(200);
  });

  it('prunes positions and check-ins older than the retention', async () => {
    const w = roster[4]!;
    const old = Date.now() - 40 * 86_400_000;
    await app.store.field.addPositions([{ workerId: w.id, lng: 104.1, lat: 30.67, at: new Date(old).toISOString(), accuracy: null, patrolId: null }]);
    expect((await app.store.field.track(w.id, new Date(old - 1), new Date(old + 1))).length).toBe(1);
    expect(await app.store.field.prune(new Date(Date.now() - 30 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect((await app.store.field.track(w.id, new Date(old - 1), new Date(old + 1))).length).toBe(0);
    // A fix older than the retention is not taken in the first place.
    expect(await (await post('/me/positions', tokens.get(w.id)!, fixOf(w, 0, old))).json()).toEqual({ kept: 0, dropped: 1 });
  });
});

describe('dispatch recommendation', () => {
  it('measures a worker from a fresh live fix (reason live_position) instead of the home grid', async () => {
    const far = roster.find((w) => w.base && w.regionId.startsWith('510108006') && w.role === 'grid_worker')!;
    const mover = roster.find((w) => w.base && w.regionId.startsWith('510108001') && w.role === 'grid_worker' && w.id !== roster[0]!.id)!;
    const res = (await (await ingest(app.url, event(9001, { location: far.base!, reportedAt: new Date().toISOString() }))).json()) as { results: { id: string }[] };
    const id = res.results[0]!.id;
    const ranked = async () =>
      ((await get<{ items: Candidate[] }>(`/incidents/${id}/candidates?limit=50`, admin)).body.items).find((c) => c.id === mover.id);
    // Home grid in another street, kilometres away: not offered.
    expect(await ranked()).toBeUndefined();
    expect((await post('/me/positions', tokens.get(mover.id)!, { ...far.base!, at: new Date().toISOString(), accuracy: 5 })).status).toBe(202);
    const live = await ranked();
    expect(live?.reasons).toContainEqual({ code: 'live_position', value: true });
    expect(live?.reasons).toContainEqual({ code: 'distance_m', value: 0 });
  });
});

describe('workers:positions push', () => {
  it('a stream of 300 workers every 10 s reaches dispatchers and leaders coalesced (≤ 1 push/s), never a wall or a worker', async () => {
    const dispatcher = await staff('field-disp-stream', 'dispatcher');
    const leader = await staff('field-leader-stream', 'leader', '510108001');
    const wallToken = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
    const sockets = {
      dispatcher: socketFor(app.url, dispatcher),
      leader: socketFor(app.url, leader),
      wall: socketFor(app.url, wallToken),
      worker: socketFor(app.url, tokens.get(roster[0]!.id)!),
    };
    open.push(...Object.values(sockets));
    await Promise.all(Object.values(sockets).map(connected));
    for (const s of Object.values(sockets)) await s.emitWithAck('scope:subscribe', {});
    const got = { dispatcher: [] as [number, WorkersPositionsPush][], leader: [] as [number, WorkersPositionsPush][], wall: 0, worker: 0 };
    sockets.dispatcher.on('workers:positions', (p) => got.dispatcher.push([performance.now(), p]));
    sockets.leader.on('workers:positions', (p) => got.leader.push([performance.now(), p]));
    sockets.wall.on('workers:positions', () => got.wall++);
    sockets.worker.on('workers:positions', () => got.worker++);
    // The wall would see it even if sent to every socket: prove it is listening with a heartbeat.
    const wallAlive = new Promise<void>((resolve) => sockets.wall.once('system:heartbeat', () => resolve()));

    // Six rounds = one simulated minute: every worker reports once per round, fixes 10 s apart in their own clock.
    const rounds = 6;
    const t0 = clock + 1000;
    const startedAt = performance.now();
    for (let round = 0; round < rounds; round++) {
      const queue = [...roster];
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          for (let w = queue.shift(); w; w = queue.shift()) {
            const res = await post('/me/positions', tokens.get(w.id)!, fixOf(w, round * 30, t0 + round * 10_000));
            expect(res.status).toBe(202);
          }
        }),
      );
    }
    const sentMs = performance.now() - startedAt;
    await new Promise((r) => setTimeout(r, 1300));
    await wallAlive;

    // Every worker's last fix reached the district dispatcher; pushes at least a second apart.
    const last = new Map<string, string>();
    for (const [, p] of got.dispatcher) for (const i of p.items) last.set(i.workerId, i.position.at);
    expect(last.size).toBe(WORKERS);
    expect([...last.values()].every((at) => at === new Date(t0 + (rounds - 1) * 10_000).toISOString())).toBe(true);
    // Measured by the server's clock of each push: this process also runs the server, so arrival times jitter.
    const sentGaps = (list: [number, WorkersPositionsPush][]) => list.slice(1).map(([, p], i) => Date.parse(p.sentAt) - Date.parse(list[i]![1].sentAt));
    expect(Math.min(...sentGaps(got.dispatcher))).toBeGreaterThanOrEqual(995);
    expect(got.dispatcher.length).toBeLessThanOrEqual(Math.ceil(sentMs / 1000) + 2);
    // The street leader: only the street's workers, coalesced too.
    const leaderIds = new Set(got.leader.flatMap(([, p]) => p.items.map((i) => i.workerId)));
    expect(leaderIds.size).toBe(roster.filter((w) => w.regionId.startsWith('510108001')).length);
    expect(Math.min(...sentGaps(got.leader))).toBeGreaterThanOrEqual(995);
    expect(got.wall).toBe(0);
    expect(got.worker).toBe(0);
    console.info(`[field] ${rounds * WORKERS} fixes in ${Math.round(sentMs)} ms → ${got.dispatcher.length} pushes to the dispatcher, ${got.leader.length} to the street leader`);
  });
});

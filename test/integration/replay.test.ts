import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import type { ReplayAtResponse, ReplayDayResponse } from '#common/replay/fold';
import { buildTimeline, frameAt } from '../../client/stores/replay-reducer';
import { event, ingest, login, startApp, type Running } from './helpers';

let app: Running;
let admin: string;
const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

async function get<T>(path: string, token = admin): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${path}`, { headers: auth(token) });
  return { status: res.status, body: (await res.json()) as T };
}

async function act(id: string, body: Record<string, unknown>) {
  const current = await get<{ incident: Incident }>(`/api/incidents/${id}`);
  const res = await fetch(`${app.url}/api/incidents/${id}/actions`, {
    method: 'POST', headers: auth(admin), body: JSON.stringify({ ...body, version: current.body.incident.version }),
  });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
}

/** A moment between two writes, with a few ms either side so at_ms values differ. */
async function mark(): Promise<string> {
  await pause(15);
  const at = new Date().toISOString();
  await pause(15);
  return at;
}

const ids = (list: { id: string }[]) => list.map((i) => i.id).sort();

describe('day replay from the event log (' + (process.env.TEST_STORE ?? 'sqlite') + ')', () => {
  it('answers the incidents open at an instant with their state then, per audience, and a day that folds to the same', async () => {
    const t0 = await mark();
    const res = await ingest(app.url, [
      event(9101, { reporter: { name: '王小明', phone: '13812345678' }, description: '楼道堆物 王小明 13812345678' }),
      event(9102),
      event(9103),
    ]);
    const created = ((await res.json()) as { results: { id: string }[] }).results.map((r) => r.id);
    expect(created).toHaveLength(3);
    const [a, b, c] = created as [string, string, string];
    const t1 = await mark();
    await act(a, { action: 'verify' });
    await act(a, { action: 'reject', note: '非本辖区事项' });
    await act(b, { action: 'verify' });
    const t2 = await mark();
    await act(c, { action: 'verify' });
    await act(c, { action: 'reject', note: '重复' });
    const t3 = await mark();

    const at = async (t: string) => (await get<ReplayAtResponse>(`/api/replay?at=${encodeURIComponent(t)}`)).body;
    expect(ids((await at(t0)).incidents)).toEqual([]);
    const r1 = await at(t1);
    expect(ids(r1.incidents)).toEqual([a, b, c].sort());
    expect(r1.incidents.find((i) => i.id === b)!.status).toBe('reported');
    expect(r1.kpis.open).toBe(3);
    const r2 = await at(t2);
    expect(ids(r2.incidents)).toEqual([b, c].sort());
    // b as it was then: verified, not yet rejected.
    expect(r2.incidents.find((i) => i.id === b)!.status).not.toBe('reported');
    expect(r2.incidents.find((i) => i.id === b)!.status).not.toBe('rejected');
    expect(ids((await at(t3)).incidents)).toEqual([b]);
    expect((await at(t3)).incidents[0]!.status).toBe(r2.incidents.find((i) => i.id === b)!.status);

    // The wall gets wall projections only.
    const wall = (await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string };
    const wallView = (await get<ReplayAtResponse>(`/api/replay?at=${encodeURIComponent(t1)}`, wall.token)).body;
    const seenA = wallView.incidents.find((i) => i.id === a)!;
    expect(seenA.reporter ?? null).toBeNull();
    expect(JSON.stringify(wallView)).not.toContain('13812345678');

    // The whole day, folded on the client, agrees at every mark.
    const day = new Date(Date.parse(t3) + 8 * 3600_000).toISOString().slice(0, 10);
    const d = (await get<ReplayDayResponse>(`/api/replay/day?day=${day}`)).body;
    expect(d.truncated).toBe(false);
    const timeline = buildTimeline(d);
    for (const t of [t0, t1, t2, t3]) {
      expect(ids(frameAt(timeline, Date.parse(t)).open).filter((id) => created.includes(id))).toEqual(ids((await at(t)).incidents).filter((id) => created.includes(id)));
    }
    expect(frameAt(timeline, Date.parse(t2)).kpis).toEqual((await at(t2)).kpis);
  });

  it('refuses a region outside the scope and a malformed instant', async () => {
    expect((await get(`/api/replay?at=yesterday`)).status).toBe(400);
    const res = await fetch(`${app.url}/api/users`, {
      method: 'POST', headers: auth(admin),
      body: JSON.stringify({ username: 'replay-leader', password: 'leader-pass-123', displayName: '领导', role: 'leader', regionId: '510108003' }),
    });
    expect(res.status).toBe(201);
    const leader = (await login(app.url, 'replay-leader', 'leader-pass-123')).token;
    const far = await get<{ error: { code: string } }>(`/api/replay?regionId=510108004&at=${encodeURIComponent(new Date().toISOString())}`, leader);
    expect(far.status).toBe(403);
    expect(far.body.error.code).toBe('scope/forbidden');
  });
});

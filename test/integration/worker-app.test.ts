import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import type { MyReport, PatrolReportResult } from '#common/mobile/report';
import { ADMIN_PASSWORD, collectChanges, connected, ingest, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

let app: Running;
let admin: string;
const open: ClientSocket[] = [];
const headers = (token: string, more: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...more });
const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string; base: { lng: number; lat: number } }[] }).workers;

beforeAll(async () => {
  app = await startApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await app.stop();
});

async function account(username: string, role: string, regionId: string, workerId?: string): Promise<{ id: string; token: string }> {
  const res = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: headers(admin),
    body: JSON.stringify({ username, displayName: username, password: ADMIN_PASSWORD, role, regionId, ...(workerId ? { workerId } : {}) }),
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string };
  return { id: created.id, token: (await login(app.url, username, ADMIN_PASSWORD)).token };
}

async function hotline(externalId: string, at: { lng: number; lat: number }, category = 'fire_lane_blocked'): Promise<string> {
  const res = await ingest(app.url, { externalId, source: 'hotline', category, title: '消防通道被占', location: at });
  return ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
}

async function act(id: string, token: string, body: Record<string, unknown>, key?: string) {
  const res = await fetch(`${app.url}/api/incidents/${id}/actions`, { method: 'POST', headers: headers(token, key ? { 'Idempotency-Key': key } : {}), body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { incident: Incident; error?: { code: string } } };
}

async function dispatchTo(id: string, assigneeId: string, assistingPartyIds: string[] = []): Promise<Incident> {
  let version = ((await (await fetch(`${app.url}/api/incidents/${id}`, { headers: headers(admin) })).json()) as { incident: Incident }).incident.version;
  for (const action of ['verify', 'file'] as const) version = (await act(id, admin, { action, version })).body.incident.version;
  const r = await act(id, admin, { action: 'dispatch', version, assigneeId, assistingPartyIds });
  expect(r.status).toBe(200);
  return r.body.incident;
}

describe('grid-worker app endpoints', () => {
  const home = roster[0]!;
  // A grid of another community: outside the worker's own scope.
  const away = roster.find((w) => w.gridId.slice(0, 12) !== home.gridId.slice(0, 12))!;
  let worker: { id: string; token: string };
  let helper: { id: string; token: string };

  beforeAll(async () => {
    worker = await account('gw-app-1', 'worker', home.gridId, home.id);
    helper = await account('gw-app-2', 'worker', home.gridId);
  });

  it('lists, pushes and opens a case sent to the worker in a neighbour grid, and lets them act on it once per key', async () => {
    const s = socketFor(app.url, worker.token);
    open.push(s);
    await connected(s);
    await s.emitWithAck('scope:subscribe', {});
    const id = await hotline('wa-away-1', away.base);
    // Out of scope until it is theirs.
    expect((await fetch(`${app.url}/api/incidents/${id}`, { headers: headers(worker.token) })).status).toBe(404);
    const pushed = collectChanges(s, 1, 10_000, (c) => c.incident.id === id);
    const dispatched = await dispatchTo(id, home.id);
    expect((await pushed)[0]!.incident).toMatchObject({ id, status: 'dispatched', assigneeId: home.id });

    const tasks = (await (await fetch(`${app.url}/api/me/tasks`, { headers: headers(worker.token) })).json()) as { items: Incident[] };
    expect(tasks.items.map((i) => i.id)).toContain(id);
    const other = (await (await fetch(`${app.url}/api/me/tasks`, { headers: headers(helper.token) })).json()) as { items: Incident[] };
    expect(other.items.map((i) => i.id)).not.toContain(id);
    expect((await fetch(`${app.url}/api/incidents/${id}`, { headers: headers(worker.token) })).status).toBe(200);
    expect((await fetch(`${app.url}/api/incidents/${id}`, { headers: headers(helper.token) })).status).toBe(404);
    // Staff only.
    expect((await fetch(`${app.url}/api/me/tasks`, { headers: headers(admin) })).status).toBe(403);

    // The same queued action sent twice (the phone lost the first reply) is applied once.
    const key = 'q-accept-0001';
    const first = await act(id, worker.token, { action: 'accept', version: dispatched.version }, key);
    const again = await act(id, worker.token, { action: 'accept', version: dispatched.version }, key);
    expect(first.status).toBe(200);
    expect(again).toEqual(first);
    const history = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: headers(admin) })).json()) as { history: { action: string }[] };
    expect(history.history.filter((h) => h.action === 'accept')).toHaveLength(1);
    // A queued action on a case that moved on meanwhile: a conflict, with the case as it is now.
    const stale = await act(id, worker.token, { action: 'accept', version: dispatched.version }, 'q-accept-0002');
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('incident/conflict');
  });

  it('tells the worker when a case sent to them elsewhere is taken back or given to someone else', async () => {
    const s = socketFor(app.url, worker.token);
    open.push(s);
    await connected(s);
    await s.emitWithAck('scope:subscribe', {});
    const other = roster.find((w) => w.id !== home.id && w.id !== away.id)!;
    // Two categories, so the second case does not merge into the first.
    for (const [takeBack, category] of [['return', 'graffiti'], ['rework', 'illegal_posting']] as const) {
      const id = await hotline(`wa-away-back-${takeBack}`, { lng: away.base.lng + 0.0004, lat: away.base.lat }, category);
      const pushed = collectChanges(s, 1, 10_000, (c) => c.incident.id === id);
      let incident = await dispatchTo(id, home.id);
      await pushed;
      if (takeBack === 'rework') {
        // The worker reports back; the desk is not satisfied and gives the case to another worker.
        for (const action of ['accept', 'submit_feedback'] as const) incident = (await act(id, worker.token, { action, version: incident.version })).body.incident;
        incident = (await act(id, admin, { action: 'start_check', version: incident.version })).body.incident;
      }
      // The desk takes it back: the phone must learn it is no longer theirs, or it keeps showing it with a countdown.
      const gone = collectChanges(s, 1, 5_000, (c) => c.incident.id === id && c.incident.assigneeId !== home.id);
      const body = takeBack === 'return' ? { action: 'return', note: '改派', version: incident.version } : { action: 'rework', note: '重新处置', assigneeId: other.id, version: incident.version };
      expect((await act(id, admin, body)).status).toBe(200);
      const [change] = await gone;
      expect(change!.incident).toMatchObject({ id, assigneeId: takeBack === 'return' ? null : other.id });
      // The push carries nothing meant for the server only.
      expect(Object.keys(change!)).not.toContain('formerHolders');
    }
  });

  it('applies steps queued offline after changes that only add to the case, and still refuses them after a real one', async () => {
    const at = { lng: home.base.lng + 0.0002, lat: home.base.lat + 0.0002 };
    const id = await hotline('wa-offline-1', at, 'road_spill');
    const seen = await dispatchTo(id, home.id);
    // The worker goes into a stairwell with version `seen`: accept, then feedback (the app advances the version
    // past its own queued step). Meanwhile a second caller reports the same spill, the desk acknowledges the
    // alert and a leader urges the case: none of it changes whose the case is or where it stands.
    expect(await hotline('wa-offline-2', { lng: at.lng + 0.0001, lat: at.lat }, 'road_spill')).toBe(id);
    let v = seen.version + 1;
    for (const action of ['acknowledge', 'urge'] as const) v = (await act(id, admin, { action, note: '请尽快处置', version: v })).body.incident.version;
    const accept = await act(id, worker.token, { action: 'accept', version: seen.version }, 'q-offline-accept');
    expect(accept.status).toBe(200);
    expect(accept.body.incident.status).toBe('in_progress');
    const feedback = await act(id, worker.token, { action: 'submit_feedback', note: '已清理', version: seen.version + 1 }, 'q-offline-feedback');
    expect(feedback.status).toBe(200);
    expect(feedback.body.incident.status).toBe('feedback');

    // A step that does change the case (the desk took it back and sent it again) still makes a queued one stale.
    const id2 = await hotline('wa-offline-3', { lng: at.lng + 0.003, lat: at.lat }, 'road_spill');
    const seen2 = await dispatchTo(id2, home.id);
    const back = await act(id2, admin, { action: 'return', note: '改派', version: seen2.version });
    expect((await act(id2, admin, { action: 'dispatch', assigneeId: home.id, version: back.body.incident.version })).status).toBe(200);
    const stale = await act(id2, worker.token, { action: 'accept', version: seen2.version }, 'q-offline-accept-2');
    expect(stale.status).toBe(409);
    expect(stale.body.error?.code).toBe('incident/conflict');
  });

  it('takes a street report through the ingest pipeline once, merged with a matching hotline report', async () => {
    const at = { lng: home.base.lng + 0.0003, lat: home.base.lat };
    const hot = await hotline('wa-home-1', home.base);
    const body = { id: 'rep-00000001', category: 'fire_lane_blocked', note: '消防通道堆放杂物', location: at };
    const send = () => fetch(`${app.url}/api/me/reports`, { method: 'POST', headers: headers(worker.token), body: JSON.stringify(body) });
    const r1 = await send();
    expect(r1.status).toBe(201);
    const made = (await r1.json()) as PatrolReportResult;
    expect(made).toMatchObject({ id: body.id, incidentId: hot, merged: true });
    const r2 = await send();
    expect(r2.status).toBe(201);
    expect(r2.headers.get('idempotent-replayed')).toBe('true');
    const incident = (await (await fetch(`${app.url}/api/incidents/${hot}`, { headers: headers(admin) })).json()) as { incident: Incident; reports: { source: string }[] };
    expect(incident.incident.reportCount).toBe(2);
    expect(incident.reports.map((r) => r.source).sort()).toEqual(['hotline', 'patrol']);

    const mine = (await (await fetch(`${app.url}/api/me/reports`, { headers: headers(worker.token) })).json()) as { items: MyReport[] };
    expect(mine.items).toEqual([expect.objectContaining({ id: body.id, incidentId: hot, status: 'reported', reportCount: 2, category: 'fire_lane_blocked' })]);
    // Another worker does not see it.
    const theirs = (await (await fetch(`${app.url}/api/me/reports`, { headers: headers(helper.token) })).json()) as { items: MyReport[] };
    expect(theirs.items).toEqual([]);
  });

  it('refuses a bad report with a clear 4xx', async () => {
    const bad = async (body: unknown) => {
      const res = await fetch(`${app.url}/api/me/reports`, { method: 'POST', headers: headers(worker.token), body: JSON.stringify(body) });
      return { status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code };
    };
    expect(await bad({ id: 'rep-00000002', category: 'nope', location: home.base })).toEqual({ status: 400, code: 'report/unknown_category' });
    expect(await bad({ id: 'x', category: 'graffiti', location: home.base })).toEqual({ status: 400, code: 'report/invalid' });
    expect(await bad({ id: 'rep-00000003', category: 'graffiti', location: home.base, reportedAt: '2020-01-01T00:00:00Z' })).toEqual({ status: 422, code: 'ingest/reported_at' });
  });
});

describe('photos of a street report', () => {
  it('lets the worker who reported it add photos to the case, nobody else of their kind, and a resent photo once', async () => {
    const home = roster[5]!;
    const reporter = await account('gw-photo-1', 'worker', home.gridId, home.id);
    const other = await account('gw-photo-2', 'worker', home.gridId);
    const made = (await (await fetch(`${app.url}/api/me/reports`, { method: 'POST', headers: headers(reporter.token), body: JSON.stringify({ id: 'rep-photo-0001', category: 'graffiti', location: home.base }) })).json()) as PatrolReportResult;
    const sharp = (await import('sharp')).default;
    const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c86' } }).jpeg().toBuffer();
    const upload = (token: string, key?: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'p.jpg');
      return fetch(`${app.url}/api/incidents/${made.incidentId}/media`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, ...(key ? { 'Idempotency-Key': key } : {}) }, body: form });
    };
    expect((await upload(reporter.token)).status).toBe(201);
    expect((await upload(other.token)).status).toBe(403);
    // The outbox resends a photo whose reply it lost, with the same key: stored once, the same reply.
    const first = await upload(reporter.token, 'photo-key-0001');
    const again = await upload(reporter.token, 'photo-key-0001');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    const media = (await (await fetch(`${app.url}/api/incidents/${made.incidentId}`, { headers: headers(admin) })).json()) as { media: unknown[] };
    expect(media.media).toHaveLength(2);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot, SyncResult } from '#common/realtime/events';
import type { Ack } from '#common/api';
import { collect, collectChanges, connected, event, ingest, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

let app: Running;
let token: string;
const open: ClientSocket[] = [];

beforeAll(async () => {
  app = await startApp();
  token = (await login(app.url)).token;
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await app.stop();
});

async function subscribed(regionId?: string): Promise<{ socket: ClientSocket; snapshot: Snapshot }> {
  const socket = socketFor(app.url, token);
  open.push(socket);
  await connected(socket);
  const reply = await socket.emitWithAck('scope:subscribe', regionId ? { regionId } : {});
  if (!reply.ok) throw new Error(reply.error.message);
  return { socket, snapshot: reply.data };
}

describe('realtime backbone', () => {
  it('pushes an ingested incident to every subscriber with the next seq', async () => {
    const a = await subscribed();
    const b = await subscribed();
    expect(a.snapshot.regionId).toBe(app.regions.root.id);
    const head = a.snapshot.seq;
    const gotA = collectChanges(a.socket, 1);
    const gotB = collectChanges(b.socket, 1);
    const res = await ingest(app.url, event(1));
    expect(res.status).toBe(202);
    const [[pa], [pb]] = await Promise.all([gotA, gotB]);
    expect(pa!.seq).toBe(head + 1);
    expect(pb!.seq).toBe(head + 1);
    // The upstream title opens the description (the title is category · place).
    expect(pa!.incident.description).toBe('测试事件 1');
    expect(pa!.incident.gridId).toMatch(/^510108\d{9}$/);
    expect(pb!.incident.id).toBe(pa!.incident.id);
  });

  it('replays exactly the 50 changes a disconnected client missed through sync:since', async () => {
    const { socket, snapshot } = await subscribed();
    // Let the subscriber see the newest change first, then drop off.
    const lastSeen = snapshot.seq;
    socket.disconnect();
    const res = await ingest(app.url, Array.from({ length: 50 }, (_, i) => event(1000 + i)));
    expect(res.status).toBe(202);

    const again = socketFor(app.url, token);
    open.push(again);
    await connected(again);
    const reply = (await again.emitWithAck('sync:since', { seq: lastSeen, regionId: app.regions.root.id })) as Ack<SyncResult>;
    expect(reply.ok).toBe(true);
    if (!reply.ok || reply.data.mode !== 'delta') throw new Error('expected a delta');
    const seqs = reply.data.changes.map((c) => c.seq);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => lastSeen + 1 + i));
    expect(reply.data.changes.map((c) => c.incident.description)).toEqual(Array.from({ length: 50 }, (_, i) => `测试事件 ${1000 + i}`));
    expect(reply.data.seq).toBe(lastSeen + 50);

    // The same call re-subscribed the new socket: it gets the next live change.
    // Pushes may also bring some of the 50 (they were coalesced with what follows): wait for the new one.
    const next = collectChanges(again, 1, 10_000, (c) => c.incident.description === '测试事件 2000');
    await ingest(app.url, event(2000));
    const [p] = await next;
    expect(p!.seq).toBe(lastSeen + 51);
  });

  it('answers a sync from the future with a fresh snapshot', async () => {
    const { socket } = await subscribed();
    const reply = await socket.emitWithAck('sync:since', { seq: 10_000_000 });
    expect(reply.ok && reply.data.mode).toBe('snapshot');
  });

  it('sends a heartbeat carrying the log head', async () => {
    const { socket, snapshot } = await subscribed();
    const [hb] = await collect(socket, 'system:heartbeat', 1, 3000);
    expect(hb!.seq).toBeGreaterThanOrEqual(snapshot.seq);
    expect(Date.parse(hb!.at)).not.toBeNaN();
  });

  it('refuses a connection without a token, or with a forged one', async () => {
    for (const t of [null, 'not-a-token', `${token}x`]) {
      const s = socketFor(app.url, t);
      open.push(s);
      const err = await new Promise<Error>((resolve, reject) => {
        s.once('connect', () => reject(new Error('connected without a valid token')));
        s.once('connect_error', resolve);
      });
      expect(err.message).toBe('auth/unauthorized');
    }
  });

  it('refuses a region outside the user scope and unknown regions', async () => {
    const admin = await login(app.url);
    const created = await fetch(`${app.url}/api/users`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ username: 'zq-leader', displayName: '志强社区书记', password: 'leader-pass-1', role: 'leader', regionId: '510108003002' }),
    });
    expect(created.status).toBe(201);
    const leader = await login(app.url, 'zq-leader', 'leader-pass-1');
    const s = socketFor(app.url, leader.token);
    open.push(s);
    await connected(s);
    const outside = await s.emitWithAck('scope:subscribe', { regionId: app.regions.root.id });
    expect(outside).toMatchObject({ ok: false, error: { code: 'scope/forbidden' } });
    const own = await s.emitWithAck('scope:subscribe', {});
    expect(own.ok && own.data.regionId).toBe('510108003002');
    const unknown = await s.emitWithAck('scope:subscribe', { regionId: '510108003002999' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'scope/not_found' } });

    // A change elsewhere in the district does not reach the community leader; one inside it does.
    const got = collectChanges(s, 1);
    await ingest(app.url, event(3000, { location: { lng: 104.02, lat: 30.7 } }));
    await ingest(app.url, event(3001, { location: { lng: 104.1, lat: 30.67 } }));
    const [p] = await got;
    expect(p!.incident.description).toBe('测试事件 3001');
  });
});

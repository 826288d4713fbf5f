import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '#common/realtime/events';
import { connected, event, ingest, login, socketFor, startApp, type Running } from './helpers';

/** Issue 14: `sync:since` answers with the latest state per incident, or a snapshot when that is smaller. */
describe('compacted resync', () => {
  let app: Running;
  let token: string;
  beforeAll(async () => {
    app = await startApp();
    token = (await login(app.url)).token;
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('sends ≤ 0.2 × a snapshot after 1,000 changes to 50 of 600 incidents, each incident once', async () => {
    const seed = Array.from({ length: 600 }, (_, n) => event(n));
    for (let i = 0; i < seed.length; i += 200) expect((await ingest(app.url, seed.slice(i, i + 200))).status).toBe(202);

    const first = socketFor(app.url, token);
    await connected(first);
    const snap = await first.emitWithAck('scope:subscribe', {});
    first.disconnect();
    if (!snap.ok) throw new Error(snap.error.message);

    // 20 more reports of each of 50 happenings (same place and time, another report id): 1,000 merges.
    const merges = Array.from({ length: 1000 }, (_, k) => ({ ...event(k % 50), externalId: `again-${k}` }));
    for (let i = 0; i < merges.length; i += 250) {
      const res = await ingest(app.url, merges.slice(i, i + 250));
      const body = (await res.json()) as { results: { merged: boolean }[] };
      expect(body.results.every((r) => r.merged)).toBe(true);
    }

    const again = socketFor(app.url, token);
    await connected(again);
    const reply = await again.emitWithAck('sync:since', { seq: snap.data.seq, regionId: snap.data.regionId });
    const fresh = await again.emitWithAck('scope:subscribe', { regionId: snap.data.regionId });
    again.disconnect();
    if (!reply.ok || !fresh.ok) throw new Error('sync failed');
    const data = reply.data as Extract<SyncResult, { mode: 'delta' }>;
    expect(data.mode).toBe('delta');
    expect(data.changes).toHaveLength(50);
    expect(new Set(data.changes.map((c) => c.incident.id)).size).toBe(50);
    expect(data.changes.every((c) => c.incident.reportCount === 21)).toBe(true);
    // In seq order, each at the seq of its last change.
    expect(data.changes.map((c) => c.seq)).toEqual([...data.changes.map((c) => c.seq)].sort((a, b) => a - b));
    expect(data.seq).toBe(fresh.data.seq);
    const bytes = JSON.stringify(reply.data).length;
    const snapshotBytes = JSON.stringify(fresh.data).length;
    expect(bytes).toBeLessThanOrEqual(0.2 * snapshotBytes);
  });
});

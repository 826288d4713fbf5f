import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEventInput } from '#common/ingest/schema';
import { ingest, startApp, type Running } from './helpers';

/**
 * The batched ingest (spatial merge index, light candidates, one read of each kind per transaction) must store
 * exactly what one event per transaction stores: the same outcomes, incidents, reports and event log, for a
 * batch that mixes new incidents, merges (into stored incidents and into ones the batch itself creates),
 * duplicates (of stored reports and within the batch) and rejects. Runs on SQLite and, in integration-pg, PostgreSQL.
 */
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const at = (minAgo: number) => new Date(NOW.getTime() - minAgo * 60_000).toISOString();
const ev = (id: string, category: string, lng: number, lat: number, minAgo: number, over: Partial<IngestEventInput> = {}): IngestEventInput => ({
  externalId: id,
  source: 'iot',
  category,
  title: `批次 ${id}`,
  location: { lng, lat },
  reportedAt: at(minAgo),
  ...over,
});

/** Stored before the batch, in both apps. */
const SEED = [ev('s1', 'fire', 104.1, 30.67, 20), ev('s2', 'garbage_exposed', 104.105, 30.672, 40), ev('s3', 'noise', 104.11, 30.675, 5)];

const BATCH: unknown[] = [
  ev('b1', 'gas_leak', 104.1003, 30.6701, 3, { severity: 'critical' }), // merges into stored s1 (fire family)
  ev('s1', 'fire', 104.1, 30.67, 20), // duplicate of a stored report
  ev('b2', 'garbage_exposed', 104.105, 30.672, 2), // s2 is 38 min older: outside the window, a new incident
  ev('b3', 'road_cleaning', 104.1052, 30.6721, 1), // merges into b2, created by this batch
  ev('b2', 'garbage_exposed', 104.105, 30.672, 2), // duplicate within the batch
  { ...ev('bad', 'no_such_category', 104.1, 30.67, 1) }, // rejected
  ev('b4', 'construction_noise', 104.1101, 30.6751, 4), // merges into stored s3 (noise family)
  ev('b5', 'elevator', 104.2, 30.7, 0), // alone: new
  ev('b6', 'elevator_fault', 104.2001, 30.7001, 0), // merges into b5
  ev('b7', 'fire', 104.1015, 30.6702, 1), // nearest open fire family: s1 again
  ev('b8', 'fire', 104.3, 30.6, 0),
  ev('b9', 'fire', 104.3004, 30.6003, 0), // merges into b8
  ev('b10', 'dispute', 104.3, 30.6, 0), // other family at the same place: new
];

async function state(app: Running) {
  const events = await app.store.incidents.changesSince(0, '', 10_000);
  const ids = [...new Set(events!.map((e) => e.incident.id))];
  const incidents = await Promise.all(ids.map((id) => app.store.incidents.get(id)));
  const reports = await Promise.all(ids.map((id) => app.store.incidents.reports(id)));
  // The ingest route stamps receipt with the wall clock, not the app's `now`: those two fields alone may differ.
  return JSON.parse(JSON.stringify({ events, incidents, reports }, (k, v: unknown) => (k === 'receivedAt' || k === 'updatedAt' ? 'stamped' : v))) as unknown;
}

describe('batched ingest stores what one event at a time stores', () => {
  let batched: Running;
  let single: Running;

  beforeAll(async () => {
    [batched, single] = await Promise.all([startApp({}, undefined, { now: () => NOW }), startApp({}, undefined, { now: () => NOW })]);
  });
  afterAll(async () => {
    await Promise.all([batched?.stop(), single?.stop()]);
  });

  it('gives the same outcomes, incidents, reports and event log', async () => {
    for (const app of [batched, single]) for (const s of SEED) expect((await ingest(app.url, s)).status).toBe(202);

    const res = await ingest(batched.url, BATCH);
    expect(res.status).toBe(202);
    const together = ((await res.json()) as { results: unknown[] }).results;
    const oneByOne: unknown[] = [];
    for (const item of BATCH) {
      const r = await ingest(single.url, item);
      oneByOne.push(((await r.json()) as { results: unknown[] }).results[0]);
    }
    expect(together).toEqual(oneByOne);
    // The batch really did each kind of thing.
    const kinds = (together as { ok: boolean; merged?: boolean; duplicate?: boolean }[]).map((r) => (!r.ok ? 'rejected' : r.duplicate ? 'duplicate' : r.merged ? 'merged' : 'created'));
    expect(kinds).toEqual(['merged', 'duplicate', 'created', 'merged', 'duplicate', 'rejected', 'merged', 'created', 'merged', 'merged', 'created', 'merged', 'created']);

    const [a, b] = await Promise.all([state(batched), state(single)]);
    expect(a).toEqual(b);
    const s1 = (await batched.store.incidents.list({ regionId: '' }, { limit: 100 })).items.find((i) => i.externalId === 's1');
    expect(s1).toMatchObject({ reportCount: 3, severity: 'critical' });
  });

  // The batch's rollups are folded once per transaction (each row written once with the sum of its events'
  // deltas): they must equal those written one event per transaction, and a rebuild from the event log.
  it('gives the same analytics rollups as one event at a time, and as a rebuild', async () => {
    const rows = async (app: Running) =>
      (await app.store.analytics.allRows()).map((r) => JSON.stringify(r)).sort();
    const [a, b] = await Promise.all([rows(batched), rows(single)]);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    await batched.store.analytics.rebuild();
    expect(await rows(batched)).toEqual(a);
  });
});

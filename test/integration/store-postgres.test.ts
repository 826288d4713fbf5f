import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '#server/store/postgres/index';
import type { NewIncident, Store } from '#server/store/types';
import { createPgSchema, requireEnv, serviceUrl, type PgSchema } from './helpers';

/**
 * The PostgreSQL store under concurrency: several pools ("nodes") on one schema, as in a scale-out
 * deployment. The event log must stay global, gap-free and readable only as a prefix.
 */
const ROOT = '510108';
const NODES = 4;
const PER_NODE = 200;
const { skip } = serviceUrl('TEST_POSTGRES_URL', 'store-postgres');

function item(connectorId: string, externalId: string | null, n: number): NewIncident {
  return {
    source: 'iot',
    connectorId,
    externalId,
    category: 'garbage_exposed',
    severity: 'medium',
    title: `并发 ${n}`,
    description: '',
    location: { lng: 104.1, lat: 30.67 },
    address: null,
    gridId: n % 3 === 0 ? null : `${ROOT}00${n % 9}`,
    reportedAt: new Date(1_700_000_000_000 + n).toISOString(),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip)('PostgreSQL store', () => {
  let schema: PgSchema;
  let nodes: Store[] = [];

  beforeAll(async () => {
    schema = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
    // All nodes start at once: the migration lock lets one of them create the tables.
    nodes = await Promise.all(Array.from({ length: NODES }, () => createPostgresStore(schema.url, ROOT)));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    await schema?.drop();
  });

  it('gives concurrent writers seqs 1..N exactly once, and readers only ever see a prefix of the log', async () => {
    let writing = true;
    let failedBatches = 0;
    const writer = async (node: Store, w: number) => {
      let n = 0;
      while (n < PER_NODE) {
        const size = Math.min(1 + ((n + w) % 4), PER_NODE - n);
        const batch = Array.from({ length: size }, (_, i) => item(`node-${w}`, `e-${n + i}`, n + i));
        if ((n + w) % 7 === 0) {
          // A batch that fails after it has taken the head lock and counted its seqs: rolled back, no gap.
          await expect(node.incidents.ingest([...batch, { ...item(`node-${w}`, null, n), reportedAt: 'not a date' }], new Date())).rejects.toThrow();
          failedBatches++;
        }
        const out = await node.incidents.ingest(batch, new Date());
        expect(out.every((o) => o.kind === 'created')).toBe(true);
        n += size;
      }
    };

    // A reader polling like `sync:since`: each answer must continue exactly where the last one ended.
    const reader = async () => {
      let cursor = 0;
      let reads = 0;
      let lastHead = 0;
      while (writing || cursor < (await nodes[0]!.incidents.headSeq())) {
        const head = await nodes[reads % NODES]!.incidents.headSeq();
        expect(head).toBeGreaterThanOrEqual(lastHead);
        lastHead = head;
        const changes = await nodes[reads % NODES]!.incidents.changesSince(cursor, ROOT, 1_000_000);
        expect(changes).not.toBeNull();
        const seqs = changes!.map((c) => c.seq);
        expect(seqs).toEqual(seqs.map((_, i) => cursor + 1 + i));
        cursor = seqs.at(-1) ?? cursor;
        reads++;
        await sleep(reads % 2);
      }
      return { cursor, reads };
    };

    const writers = Promise.all(nodes.map((node, w) => writer(node, w))).finally(() => (writing = false));
    const [wrote, read] = await Promise.allSettled([writers, reader()]);
    if (wrote.status === 'rejected') throw wrote.reason;
    if (read.status === 'rejected') throw read.reason;
    const { cursor, reads } = read.value;

    const total = NODES * PER_NODE;
    expect(failedBatches).toBeGreaterThan(0);
    expect(reads).toBeGreaterThan(5);
    expect(cursor).toBe(total);
    expect(await nodes[1]!.incidents.headSeq()).toBe(total);
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ seq: string }>('SELECT seq FROM events ORDER BY seq');
      expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      const { rows: ids } = await client.query<{ n: string }>('SELECT count(DISTINCT id) AS n FROM incidents');
      expect(Number(ids[0]!.n)).toBe(total);
    } finally {
      await client.end();
    }
  });

  it('makes exactly one incident per (connector, externalId) across concurrent writers and within a batch', async () => {
    const head = await nodes[0]!.incidents.headSeq();
    const batch = [item('dedupe', 'same', 1), item('dedupe', 'same', 2), item('dedupe', 'other', 3), item('dedupe', null, 4)];
    const results = await Promise.all(nodes.flatMap((node) => [node.incidents.ingest(batch, new Date()), node.incidents.ingest(batch, new Date())]));
    const created = results.flat().filter((o) => o.kind === 'created');
    // One 'same', one 'other', and the null externalId is never deduplicated.
    expect(created).toHaveLength(2 + results.length);
    const byExternal = new Map<string | null, Set<string>>();
    for (const [i, o] of results.flatMap((r) => [...r.entries()])) {
      const ext = batch[i]!.externalId;
      const id = o.kind === 'duplicate' ? o.incidentId : o.change.incident.id;
      if (ext !== null) byExternal.set(ext, (byExternal.get(ext) ?? new Set()).add(id));
    }
    expect([...byExternal.values()].map((s) => s.size)).toEqual([1, 1]);
    expect(await nodes[2]!.incidents.headSeq()).toBe(head + created.length);
    const seqs = created.map((o) => (o.kind === 'created' ? o.change.seq : 0)).sort((a, b) => a - b);
    expect(seqs).toEqual(seqs.map((_, i) => head + 1 + i));
  });

  it('serializes concurrent updates of one incident and logs each as the next seq', async () => {
    const [out] = await nodes[0]!.incidents.ingest([item('upd', 'u-1', 1)], new Date());
    if (out?.kind !== 'created') throw new Error('expected a new incident');
    const id = out.change.incident.id;
    const head = await nodes[0]!.incidents.headSeq();
    // Each update appends to the title what it read: lost updates would show as a shorter title.
    const changes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => nodes[i % NODES]!.incidents.update(id, (c) => ({ ...c, title: `${c.title}+${i}` }), new Date())),
    );
    expect(changes.map((c) => c!.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => head + 1 + i));
    const final = await nodes[3]!.incidents.get(id);
    expect(final!.title.split('+')).toHaveLength(21);
    // No change, no event.
    expect(await nodes[1]!.incidents.update(id, () => null, new Date())).toBeNull();
    expect(await nodes[1]!.incidents.update('INC-00000000-000000', (c) => c, new Date())).toBeNull();
    expect(await nodes[1]!.incidents.headSeq()).toBe(head + 20);
    const since = await nodes[2]!.incidents.changesSince(head, final!.gridId!, 100);
    expect(since!.map((c) => c.seq)).toEqual(Array.from({ length: 20 }, (_, i) => head + 1 + i));
    expect(since!.at(-1)!.incident.title).toBe(final!.title);
    expect(await nodes[2]!.incidents.changesSince(0, ROOT, 10)).toBeNull();
  });
});

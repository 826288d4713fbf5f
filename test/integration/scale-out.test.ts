import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '#common/api';
import type { Snapshot, SyncResult } from '#common/realtime/events';
import {
  collectChanges,
  connected,
  createPgSchema,
  event,
  ingest,
  login,
  requireEnv,
  serviceUrl,
  socketFor,
  startApp,
  type ClientSocket,
  type PgSchema,
  type Running,
} from './helpers';

/**
 * Two nodes behind one balancer, as in DESIGN.md "Storage and scale-out": two createApp instances sharing
 * one PostgreSQL schema and one Redis (Socket.IO Redis Streams adapter), each with its own HTTP port.
 */
const pgSkip = serviceUrl('TEST_POSTGRES_URL', 'scale-out').skip;
const redisSkip = serviceUrl('TEST_REDIS_URL', 'scale-out').skip;

/** A node: the app on its own port and temp DATA_DIR, sharing the schema and the Redis prefix. */
type Node = Running;

function startNode(databaseUrl: string, redisUrl: string, redisPrefix: string): Promise<Node> {
  return startApp({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }, undefined, { redisPrefix });
}

describe.skipIf(pgSkip || redisSkip)('two nodes sharing PostgreSQL and Redis', () => {
  const prefix = `gridops-test-${randomBytes(6).toString('hex')}`;
  let schema: PgSchema;
  let a: Node;
  let b: Node;
  let token: string;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    const redisUrl = requireEnv('TEST_REDIS_URL');
    schema = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
    // Both at once on the empty database: they must agree on one admin and one token secret.
    [a, b] = await Promise.all([startNode(schema.url, redisUrl, prefix), startNode(schema.url, redisUrl, prefix)]);
    token = (await login(a.url)).token;
  });

  afterAll(async () => {
    for (const s of open) s.disconnect();
    for (const node of [a, b]) {
      if (!node) continue;
      await node.stop();
    }
    await schema?.drop();
    if (!process.env.TEST_REDIS_URL) return;
    const redis = createClient({ url: process.env.TEST_REDIS_URL });
    await redis.connect();
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
      if (keys.length) await redis.del(keys);
    } finally {
      await redis.close();
    }
  });

  async function subscribed(node: Node): Promise<{ socket: ClientSocket; snapshot: Snapshot }> {
    const socket = socketFor(node.url, token);
    open.push(socket);
    await connected(socket);
    const reply = await socket.emitWithAck('scope:subscribe', {});
    if (!reply.ok) throw new Error(reply.error.message);
    return { socket, snapshot: reply.data };
  }

  it('accepts on node B a token issued by node A', async () => {
    const res = await fetch(`${b.url}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('pushes to a socket on node A an incident ingested through node B, with the right seq', async () => {
    const onA = await subscribed(a);
    const onB = await subscribed(b);
    const head = onA.snapshot.seq;
    expect(onB.snapshot.seq).toBe(head);
    const gotA = collectChanges(onA.socket, 1);
    const gotB = collectChanges(onB.socket, 1);
    const res = await ingest(b.url, event(1, { title: '跨节点事件' }));
    expect(res.status).toBe(202);
    const [[pa], [pb]] = await Promise.all([gotA, gotB]);
    expect(pa!.seq).toBe(head + 1);
    expect(pa!.incident.description).toBe('跨节点事件');
    expect(pa!.incident.id).toBe(pb!.incident.id);
    expect(await a.store.incidents.headSeq()).toBe(head + 1);
  });

  it('replays on node A, through sync:since, the changes made through node B', async () => {
    const { socket, snapshot } = await subscribed(a);
    const from = snapshot.seq;
    const res = await ingest(b.url, Array.from({ length: 10 }, (_, i) => event(100 + i)));
    expect(res.status).toBe(202);
    const reply = (await socket.emitWithAck('sync:since', { seq: from, regionId: a.regions.root.id })) as Ack<SyncResult>;
    if (!reply.ok || reply.data.mode !== 'delta') throw new Error(`expected a delta, got ${JSON.stringify(reply)}`);
    expect(reply.data.changes.map((c) => c.seq)).toEqual(Array.from({ length: 10 }, (_, i) => from + 1 + i));
    expect(reply.data.changes.map((c) => c.incident.description)).toEqual(Array.from({ length: 10 }, (_, i) => `测试事件 ${100 + i}`));
  });
});

import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident } from '#common/incidents/types';
import {
  ADMIN_PASSWORD,
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
 * The SLA ladder on two nodes sharing PostgreSQL and Redis, both running their loop every 50 ms against one
 * controllable clock: each step is written once and pushed once to a leader on either node, and a restarted
 * node applies nothing again.
 */
const pgSkip = serviceUrl('TEST_POSTGRES_URL', 'escalation scale-out').skip;
const redisSkip = serviceUrl('TEST_REDIS_URL', 'escalation scale-out').skip;

const cst = (local: string): Date => new Date(`${local}+08:00`);
let clock = cst('2026-03-06T14:00:00');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(pgSkip || redisSkip)('SLA ladder on two nodes (PostgreSQL + Redis)', () => {
  const prefix = `gridops-test-${randomBytes(6).toString('hex')}`;
  let schema: PgSchema;
  const nodes: Running[] = [];
  const sockets: ClientSocket[] = [];
  const start = () =>
    startApp({ DATABASE_URL: schema.url, REDIS_URL: requireEnv('TEST_REDIS_URL'), ESCALATION_INTERVAL_MS: '50' }, undefined, {
      redisPrefix: prefix,
      now: () => clock,
    });

  beforeAll(async () => {
    schema = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
    nodes.push(...(await Promise.all([start(), start()])));
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const node of nodes) await node.stop();
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

  it('escalates once: each leader socket, on either node, gets each step once, and none again after a restart', async () => {
    const [a, b] = nodes as [Running, Running];
    const admin = (await login(a.url)).token;
    const auth = { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' };
    await fetch(`${a.url}/api/users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ username: 'leader-x', displayName: '街道领导', password: ADMIN_PASSWORD, role: 'leader', regionId: a.regions.root.id }),
    });
    const leader = (await login(b.url, 'leader-x', ADMIN_PASSWORD)).token;
    const res = (await (await ingest(a.url, event(1))).json()) as { results: { id: string }[] };
    const id = res.results[0]!.id;

    const got = new Map<ClientSocket, string[]>();
    const listen = async (node: Running) => {
      const s = socketFor(node.url, leader);
      sockets.push(s);
      await connected(s);
      got.set(s, []);
      s.on('incident:escalated', (p) => {
        if (p.incidentId === id) got.get(s)!.push(p.stage);
      });
      return s;
    };
    const [onA, onB] = [await listen(a), await listen(b)];

    for (const action of ['verify', 'file', 'dispatch']) {
      const { incident } = (await (await fetch(`${b.url}/api/incidents/${id}`, { headers: auth })).json()) as { incident: Incident };
      const r = await fetch(`${b.url}/api/incidents/${id}/actions`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ action, version: incident.version, ...(action === 'dispatch' ? { assigneeId: 'gw-510108003002001' } : {}) }),
      });
      expect(r.status).toBe(200);
    }

    // Both loops run every 50 ms; each instant is held long enough for many rounds on both nodes.
    for (const local of ['2026-03-06T16:00:00', '2026-03-06T17:12:00', '2026-03-07T12:00:00', '2026-03-09T09:31:00']) {
      clock = cst(local);
      await sleep(600);
    }
    const ladder = ['reminded', 'warned', 'overdue'];
    expect(got.get(onA)).toEqual(ladder);
    expect(got.get(onB)).toEqual(ladder);

    // Restart node B on the same database: its loop finds every step written and pushes nothing.
    await b.stop();
    nodes[1] = await start();
    const onB2 = await listen(nodes[1]);
    clock = cst('2026-03-09T12:00:00');
    await sleep(800);
    expect(got.get(onA)).toEqual(ladder);
    expect(got.get(onB2)).toEqual([]);
    const { history, incident } = (await (await fetch(`${a.url}/api/incidents/${id}`, { headers: auth })).json()) as {
      history: HistoryEntry[];
      incident: Incident;
    };
    expect(history.filter((h) => h.action === 'escalate').map((h) => h.slaStage)).toEqual(ladder);
    expect(incident.slaStage).toBe('overdue');
  });
});

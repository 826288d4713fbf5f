import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicUser } from '#common/auth/types';
import { connected, createPgSchema, login, requireEnv, serviceUrl, socketFor, startApp, type ClientSocket, type PgSchema, type Running } from './helpers';

/** Two nodes sharing PostgreSQL and Redis (as scale-out.test.ts): an account change on A ends sessions on B at once. */
const skip = serviceUrl('TEST_POSTGRES_URL', 'accounts scale-out').skip || serviceUrl('TEST_REDIS_URL', 'accounts scale-out').skip;

describe.skipIf(skip)('account changes across nodes', () => {
  const prefix = `gridops-test-${randomBytes(6).toString('hex')}`;
  let schema: PgSchema;
  let a: Running;
  let b: Running;
  let admin: string;
  const open: ClientSocket[] = [];

  beforeAll(async () => {
    const redisUrl = requireEnv('TEST_REDIS_URL');
    schema = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
    a = await startApp({ DATABASE_URL: schema.url, REDIS_URL: redisUrl }, undefined, { redisPrefix: prefix });
    b = await startApp({ DATABASE_URL: schema.url, REDIS_URL: redisUrl }, undefined, { redisPrefix: prefix });
    admin = (await login(a.url)).token;
  });
  afterAll(async () => {
    for (const s of open) s.disconnect();
    for (const node of [a, b]) await node?.stop();
    await schema?.drop();
    const redis = createClient({ url: requireEnv('TEST_REDIS_URL') });
    await redis.connect();
    try {
      const keys: string[] = [];
      for await (const batch of redis.scanIterator({ MATCH: `${prefix}:*`, COUNT: 100 })) keys.push(...batch);
      if (keys.length) await redis.del(keys);
    } finally {
      await redis.close();
    }
  });

  let n = 0;
  async function userOnB(): Promise<{ user: PublicUser; token: string; closedWithin: () => Promise<number> }> {
    const username = `multi${++n}`;
    const res = await fetch(`${a.url}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, displayName: username, password: 'Password-123', role: 'dispatcher', regionId: a.regions.root.id }),
    });
    expect(res.status).toBe(201);
    const { token, user } = await login(b.url, username, 'Password-123');
    const socket = socketFor(b.url, token);
    open.push(socket);
    await connected(socket);
    // Warm B's token cache, so the test proves the change is pushed rather than waited out.
    expect((await fetch(`${b.url}/api/incidents`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    let t0 = 0;
    const closed = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now() - t0)));
    return { user, token, closedWithin: () => ((t0 = Date.now()), closed) };
  }

  const patchOnA = (id: string, body: unknown) =>
    fetch(`${a.url}/api/users/${id}`, { method: 'PATCH', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('a user disabled on node A loses their open socket on node B within 2 s, and their REST token there', async () => {
    const u = await userOnB();
    const closed = u.closedWithin();
    expect((await patchOnA(u.user.id, { disabled: true })).status).toBe(200);
    const ms = await Promise.race([closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket on B still open after 2 s')), 2000))]);
    expect(ms).toBeLessThan(2000);
    expect((await fetch(`${b.url}/api/incidents`, { headers: { Authorization: `Bearer ${u.token}` } })).status).toBe(401);
  });

  it('a role change on node A ends the session on node B within 2 s', async () => {
    const u = await userOnB();
    const closed = u.closedWithin();
    expect((await patchOnA(u.user.id, { role: 'leader' })).status).toBe(200);
    const ms = await Promise.race([closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('socket on B still open after 2 s')), 2000))]);
    expect(ms).toBeLessThan(2000);
    expect((await fetch(`${b.url}/api/incidents`, { headers: { Authorization: `Bearer ${u.token}` } })).status).toBe(401);
  });
});

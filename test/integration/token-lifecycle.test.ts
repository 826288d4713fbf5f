import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, PublicUser } from '#common/auth/types';
import { createTokenService, type TokenService } from '#server/auth/tokens';
import type { WallLink } from '#server/store/types';
import Database from 'better-sqlite3';
import pg from 'pg';
import { connected, createPgSchema, login, requireEnv, socketFor, startApp, type ClientSocket, type PgSchema, type Running } from './helpers';

/** Tokens end when the user does: disabled or missing users, expiry, revoked wall links, loopback auto-login. */
let app: Running;
let admin: string;
let signer: TokenService;
const open: ClientSocket[] = [];

let pgSchema: PgSchema | null = null;
let pgUrl: string | undefined;

beforeAll(async () => {
  // On PostgreSQL the test keeps the schema URL, to delete a row behind the server's back.
  pgSchema = process.env.TEST_STORE === 'postgres' ? await createPgSchema(requireEnv('TEST_POSTGRES_URL')) : null;
  pgUrl = pgSchema?.url;
  app = await startApp(pgUrl ? { DATABASE_URL: pgUrl } : {});
  admin = (await login(app.url)).token;
  // The raw token service (same secret from the store): signs what the server would, checks nothing live.
  signer = await createTokenService(app.store.settings);
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await app.stop();
  await pgSchema?.drop();
});

function call(path: string, token: string | null, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  return fetch(`${app.url}/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function openSocket(token: string): Promise<{ socket: ClientSocket; closed: Promise<string> }> {
  const socket = socketFor(app.url, token);
  open.push(socket);
  await connected(socket);
  return { socket, closed: new Promise((resolve) => socket.once('disconnect', resolve)) };
}

/** Polls until `check` is true; returns the milliseconds it took. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms`);
}

const timeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))]);

/** Delete a user row behind the server's back, as an operator with SQL would (there is no delete API). */
async function deleteUserRow(id: string): Promise<void> {
  if (app.store.kind === 'sqlite') {
    const db = new Database(join(app.dataDir, 'gridops.sqlite'));
    try {
      db.prepare('DELETE FROM users WHERE id = ?').run(id);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: pgUrl! });
  await client.connect();
  try {
    await client.query('DELETE FROM users WHERE id = $1', [id]);
  } finally {
    await client.end();
  }
}

let n = 0;
async function newUser(role = 'dispatcher', regionId = app.regions.root.id): Promise<PublicUser & { token: string }> {
  const username = `user${++n}`;
  const res = await call('/users', admin, { method: 'POST', body: { username, displayName: username, password: 'password-123', role, regionId } });
  expect(res.status).toBe(201);
  const { token, user } = await login(app.url, username, 'password-123');
  return { ...user, token };
}

describe('users', () => {
  it('a disabled user’s REST token fails within 2 s and their open socket is closed; enabling lets them sign in again', async () => {
    const u = await newUser();
    expect((await call('/auth/me', u.token)).status).toBe(200);
    const { closed } = await openSocket(u.token);
    const res = await call(`/users/${u.id}`, admin, { method: 'PATCH', body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as PublicUser).disabled).toBe(true);
    expect(await within(2500, async () => (await call('/incidents', u.token)).status === 401)).toBeLessThanOrEqual(2500);
    expect(await timeout(closed, 6000)).toBe('io server disconnect');
    // A new socket is refused at the handshake.
    const again = socketFor(app.url, u.token);
    open.push(again);
    await expect(connected(again)).rejects.toThrow('auth/unauthorized');
    expect((await call(`/users/${u.id}`, admin, { method: 'PATCH', body: { disabled: false } })).status).toBe(200);
    // The token from before the disable stays dead (accounts.test.ts); a new sign-in works.
    const fresh = await login(app.url, u.username, 'password-123');
    expect((await call('/incidents', fresh.token)).status).toBe(200);
    expect((await call('/users', admin)).ok).toBe(true);
  });

  it('a token for a user that does not exist fails, on REST and at the socket handshake', async () => {
    const ghost = await signer.sign({ sub: 'no-such-user', role: 'admin', regionId: app.regions.root.id }, '1h');
    expect((await call('/incidents', ghost)).status).toBe(401);
    const s = socketFor(app.url, ghost);
    open.push(s);
    await expect(connected(s)).rejects.toThrow('auth/unauthorized');
  });

  it('a deleted user (a row removed by an operator) loses REST within 2 s and their socket within seconds', async () => {
    const u = await newUser();
    const { closed } = await openSocket(u.token);
    await deleteUserRow(u.id);
    await within(2500, async () => (await call('/incidents', u.token)).status === 401);
    expect(await timeout(closed, 6000)).toBe('io server disconnect');
  });

  it('a token whose role no longer matches the account fails', async () => {
    const u = await newUser('worker');
    const forgedRole = await signer.sign({ sub: u.id, role: 'admin', regionId: u.regionId }, '1h');
    expect((await call('/incidents', forgedRole)).status).toBe(401);
  });

  it('an open socket is disconnected when its token expires', async () => {
    const u = await newUser();
    const short = await signer.sign({ sub: u.id, role: u.role, regionId: u.regionId }, '2s');
    const t0 = Date.now();
    const { closed } = await openSocket(short);
    expect(await timeout(closed, 5000)).toBe('io server disconnect');
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('PATCH /users/{id}: admins only, within their scope, a boolean only, never themselves', async () => {
    const u = await newUser();
    expect((await call(`/users/${u.id}`, u.token, { method: 'PATCH', body: { disabled: true } })).status).toBe(403);
    expect((await call(`/users/${u.id}`, admin, { method: 'PATCH', body: { disabled: 'yes' } })).status).toBe(400);
    expect((await call('/users/nobody', admin, { method: 'PATCH', body: { disabled: true } })).status).toBe(404);
    const me = (await (await call('/auth/me', admin)).json()) as PublicUser;
    expect((await call(`/users/${me.id}`, admin, { method: 'PATCH', body: { disabled: true } })).status).toBe(409);
    // A street admin cannot touch a user at the district level.
    const street = app.regions.tree(app.regions.root.id)!.children[0]!.id;
    const streetAdmin = await newUser('admin', street);
    const res = await call(`/users/${u.id}`, streetAdmin.token, { method: 'PATCH', body: { disabled: true } });
    expect(res.status).toBe(404);
    expect((await call('/incidents', u.token)).status).toBe(200);
  });
});

describe('wall links', () => {
  it('first start leaves a working link in DATA_DIR/wall-link.txt, mode 0600, recorded as a wall link', async () => {
    const file = join(app.dataDir, 'wall-link.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = new URL(readFileSync(file, 'utf8').trim()).searchParams.get('wall')!;
    expect((await call('/auth/me', token)).status).toBe(200);
    const { links } = (await (await call('/wall-links', admin)).json()) as { links: WallLink[] };
    expect(links.some((l) => l.label === 'first start' && l.revokedAt === null)).toBe(true);
  });

  it('admins issue (token shown once), list (no tokens) and revoke; a revoked link stops REST and its socket', async () => {
    const created = await call('/wall-links', admin, { method: 'POST', body: { label: '二楼大屏', days: 30 } });
    expect(created.status).toBe(201);
    const { link, token } = (await created.json()) as { link: WallLink; token: string };
    expect(link).toMatchObject({ label: '二楼大屏', revokedAt: null });
    expect(Date.parse(link.expiresAt) - Date.parse(link.createdAt)).toBe(30 * 86_400_000);
    expect((await call('/regions', token)).status).toBe(200);
    const listing = await (await call('/wall-links', admin)).text();
    expect(listing).toContain(link.id);
    expect(listing).not.toContain(token);

    const { socket, closed } = await openSocket(token);
    expect((await socket.emitWithAck('scope:subscribe', {})).ok).toBe(true);
    expect((await call(`/wall-links/${link.id}`, admin, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/wall-links/${link.id}`, admin, { method: 'DELETE' })).status).toBe(409);
    await within(2500, async () => (await call('/regions', token)).status === 401);
    expect(await timeout(closed, 6000)).toBe('io server disconnect');
    const revoked = ((await (await call('/wall-links', admin)).json()) as { links: WallLink[] }).links.find((l) => l.id === link.id);
    expect(revoked?.revokedAt).not.toBeNull();
  });

  it('only admins manage wall links, and bad input is refused', async () => {
    const u = await newUser();
    expect((await call('/wall-links', u.token)).status).toBe(403);
    expect((await call('/wall-links', null)).status).toBe(401);
    expect((await call('/wall-links', admin, { method: 'POST', body: { label: '', days: 30 } })).status).toBe(400);
    expect((await call('/wall-links', admin, { method: 'POST', body: { label: 'x', days: 10_000 } })).status).toBe(400);
    expect((await call('/wall-links/nope', admin, { method: 'DELETE' })).status).toBe(404);
  });

  it('a wall token without a recorded link (an old, logged one) fails', async () => {
    const wall = (await app.store.users.byUsername('wall'))!;
    const unrecorded = await signer.sign({ sub: wall.id, role: 'wall', regionId: wall.regionId }, '1h');
    expect((await call('/regions', unrecorded)).status).toBe(401);
    const madeUp = await signer.sign({ sub: wall.id, role: 'wall', regionId: wall.regionId, jti: 'made-up' }, '1h');
    expect((await call('/regions', madeUp)).status).toBe(401);
  });
});

describe('loopback wall auto-login', () => {
  const autoLogin = (headers: Record<string, string> = {}, url = app.url) => fetch(`${url}/api/auth/wall-token`, { method: 'POST', headers });

  it('works from this machine, as a recorded link that can be revoked (the next auto-login gets a fresh one)', async () => {
    const res = await autoLogin();
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as LoginResponse;
    expect((await call('/regions', token)).status).toBe(200);
    const { links } = (await (await call('/wall-links', admin)).json()) as { links: WallLink[] };
    const loopback = links.filter((l) => l.label === 'loopback auto-login' && l.revokedAt === null);
    expect(loopback).toHaveLength(1);
    // A second auto-login reuses the link rather than recording another.
    await autoLogin();
    expect(((await (await call('/wall-links', admin)).json()) as { links: WallLink[] }).links.filter((l) => l.label === 'loopback auto-login')).toHaveLength(1);
    expect((await call(`/wall-links/${loopback[0]!.id}`, admin, { method: 'DELETE' })).status).toBe(204);
    await within(2500, async () => (await call('/regions', token)).status === 401);
    const fresh = ((await (await autoLogin()).json()) as LoginResponse).token;
    expect((await call('/regions', fresh)).status).toBe(200);
  });

  it('is refused when forwarding headers show a proxy in between (TRUST_PROXY unset)', async () => {
    const proxied: Record<string, string>[] = [{ 'X-Forwarded-For': '203.0.113.7' }, { Forwarded: 'for=203.0.113.7' }, { 'X-Real-IP': '203.0.113.7' }, { 'X-Forwarded-For': '127.0.0.1' }];
    for (const h of proxied) {
      const res = await autoLogin(h);
      expect(res.status, JSON.stringify(h)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('auth/forbidden');
    }
  });

  it('with TRUST_PROXY=loopback judges the client address the proxy reports', async () => {
    const proxied = await startApp({ TRUST_PROXY: 'loopback' });
    try {
      expect((await autoLogin({ 'X-Forwarded-For': '203.0.113.7' }, proxied.url)).status).toBe(403);
      expect((await autoLogin({ 'X-Forwarded-For': '127.0.0.1' }, proxied.url)).status).toBe(200);
      expect((await autoLogin({}, proxied.url)).status).toBe(200);
    } finally {
      await proxied.stop();
    }
  });
});

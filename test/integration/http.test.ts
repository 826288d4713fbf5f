import express from 'express';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '#server/app';
import { loadConfig } from '#server/config';
import { staticRoutes } from '#server/http/static';
import type { Incident } from '#common/incidents/types';
import { ADMIN_PASSWORD, collectChanges, connected, event, ingest, login, socketFor, startApp, type Running } from './helpers';

let app: Running;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.stop();
});

describe('HTTP API', () => {
  it('reports health with the database and every source', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', version: expect.any(String), db: { kind: process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite', ok: true } });
    expect(body.uptimeS).toEqual(expect.any(Number));
    expect(body.sources).toContainEqual({ id: 'hotline', kind: 'http', status: 'connected', lastMessageAt: null, errors: 0 });
  });

  it('requires a token on every /api route but login', async () => {
    for (const path of ['/api/regions', '/api/incidents', '/api/geo/locate?lng=104.1&lat=30.67', '/api/auth/me', '/api/users']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'auth/unauthorized' } });
    }
  });

  it('logs in with the configured admin password and refuses a wrong one', async () => {
    const ok = await login(app.url);
    expect(ok.user).toMatchObject({ username: 'admin', role: 'admin', regionId: app.regions.root.id });
    expect(ok.user).not.toHaveProperty('passwordHash');
    const bad = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: `${ADMIN_PASSWORD}-wrong` }),
    });
    expect(bad.status).toBe(401);
  });

  it('places a point in its grid', async () => {
    const { token } = await login(app.url);
    const res = await fetch(`${app.url}/api/geo/locate?lng=104.1&lat=30.67`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { gridId: string; path: { level: string; name: string }[] };
    expect(body.gridId).toMatch(/^510108003002\d{3}$/);
    expect(body.path.map((p) => p.level)).toEqual(['district', 'street', 'community', 'grid']);
    expect(body.path[2]!.name).toBe('志强社区');
  });

  it('rejects bad ingest items with reasons, keeps them, and stores the good ones', async () => {
    const res = await ingest(app.url, [event(1), { ...event(2), location: { lng: 'x' } }, { ...event(3), category: 'nope' }, event(1)]);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; rejected: number; results: { ok: boolean; duplicate?: boolean; error?: { code: string; message: string } }[] };
    expect(body.accepted).toBe(2);
    expect(body.results[1]).toMatchObject({ ok: false, error: { code: 'ingest/invalid', message: expect.stringContaining('location.lng') } });
    expect(body.results[2]).toMatchObject({ ok: false, error: { code: 'ingest/unknown_category' } });
    expect(body.results[3]).toMatchObject({ ok: true, duplicate: true });
    const rejected = await app.store.rejects.list('hotline', 10);
    expect(rejected).toHaveLength(2);
    expect(JSON.parse(rejected[1]!.payload)).toMatchObject({ externalId: 'ext-2' });
    expect((await ingest(app.url, event(9), 'wrong-key-wrong-key')).status).toBe(401);
    expect((await ingest(app.url, [{ nope: true }])).status).toBe(422);
  });

  it('masks personal data by role: full for dispatchers, masked for leaders, absent for the wall', async () => {
    const admin = await login(app.url);
    for (const [username, role] of [['disp1', 'dispatcher'], ['lead1', 'leader']] as const) {
      await fetch(`${app.url}/api/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${admin.token}` },
        body: JSON.stringify({ username, displayName: username, password: 'password-123', role, regionId: app.regions.root.id }),
      });
    }
    const wall = (await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string };
    const tokens = {
      dispatcher: (await login(app.url, 'disp1', 'password-123')).token,
      leader: (await login(app.url, 'lead1', 'password-123')).token,
      wall: wall.token,
    };
    const sockets = Object.fromEntries(Object.entries(tokens).map(([k, t]) => [k, socketFor(app.url, t)]));
    const pushes: Record<string, Promise<{ incident: Incident }[]>> = {};
    for (const [k, s] of Object.entries(sockets)) {
      await connected(s);
      await s.emitWithAck('scope:subscribe', {});
      pushes[k] = collectChanges(s, 1);
    }
    await ingest(app.url, event(50, { reporter: { name: '王建国', phone: '13912345678' }, description: '请回电 13912345678' }));
    const [[d], [l], [w]] = await Promise.all([pushes.dispatcher!, pushes.leader!, pushes.wall!]);
    expect(d!.incident.reporter).toEqual({ name: '王建国', phone: '13912345678' });
    expect(l!.incident.reporter).toEqual({ name: '王*国', phone: '139****5678' });
    expect(l!.incident.description).not.toContain('13912345678');
    expect(w!.incident).not.toHaveProperty('reporter');
    expect(w!.incident.description).toBe('');
    expect(JSON.stringify(w)).not.toContain('1391234');
    for (const s of Object.values(sockets)) s.disconnect();
  });

  it('serves index.html uncached and hashed assets immutable', async () => {
    // A built client of our own, so the check does not depend on whether `vite build` ran.
    const dist = mkdtempSync(join(tmpdir(), 'gridops-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<script type="module" src="/assets/main-abc123.js"></script>');
    writeFileSync(join(dist, 'assets', 'main-abc123.js'), 'console.log(1)');
    const server = express().use(staticRoutes(dist)).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const index = await fetch(`${url}/`);
      expect(index.headers.get('cache-control')).toBe('no-cache');
      const asset = await fetch(`${url}/assets/main-abc123.js`);
      expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const deep = await fetch(`${url}/console`);
      expect(deep.status).toBe(200);
      expect(deep.headers.get('cache-control')).toBe('no-cache');
      expect(await deep.text()).toContain('main-abc123.js');
      expect((await fetch(`${url}/api/nothing`)).status).toBe(404);
    } finally {
      server.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('login rate limit', () => {
  it('answers 429 after 10 attempts a minute from one client', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridops-rl-'));
    const limited = await createApp({ config: loadConfig({ DATA_DIR: dir, SIMULATOR: 'off', LOG_LEVEL: 'silent', GRIDOPS_ADMIN_PASSWORD: ADMIN_PASSWORD }) });
    await new Promise<void>((r) => limited.httpServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(limited.httpServer.address() as { port: number }).port}`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        // A username per attempt: this is the per-address limit (security-scope.test.ts has the per-account one).
        body: JSON.stringify({ username: `someone-${i}`, password: 'wrong-password' }),
      });
      statuses.push(res.status);
    }
    await limited.close();
    rmSync(dir, { recursive: true, force: true });
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, ingest, KIND_KEYS, login, startApp, type Running } from './helpers';

let app: Running;
let admin: string;
const headers = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

describe('upstream API keys managed by an admin', () => {
  it('issues a key shown once, accepts it at once, lists only its last four characters, and revokes it', async () => {
    const created = await fetch(`${app.url}/api/ingest/keys`, { method: 'POST', headers: headers(admin), body: JSON.stringify({ source: 'patrol' }) });
    expect(created.status).toBe(201);
    const { id, key, last4 } = (await created.json()) as { id: string; key: string; last4: string };
    expect(key).toMatch(/^gk_[\w-]{32}$/);
    expect(key.endsWith(last4)).toBe(true);

    const res = await ingest(app.url, event(1, { source: 'patrol' }), key);
    expect(res.status).toBe(202);
    const [result] = ((await res.json()) as { results: { id: string }[] }).results;
    expect((await app.store.incidents.get(result!.id))?.connectorId).toBe('patrol');

    const listed = (await (await fetch(`${app.url}/api/ingest/keys`, { headers: headers(admin) })).json()) as { items: { id: string; source: string; origin: string }[] };
    expect(listed.items.map((k) => [k.source, k.origin])).toEqual([...Object.keys(KIND_KEYS).map((s) => [s, 'env']), ['patrol', 'admin']]);
    expect(JSON.stringify(listed)).not.toContain(key);
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { sources: { id: string }[] };
    expect(health.sources.map((s) => s.id)).toContain('patrol');

    expect((await fetch(`${app.url}/api/ingest/keys/${id}`, { method: 'DELETE', headers: headers(admin) })).status).toBe(204);
    expect((await ingest(app.url, event(2, { source: 'patrol' }), key)).status).toBe(401);
    expect((await fetch(`${app.url}/api/ingest/keys/${id}`, { method: 'DELETE', headers: headers(admin) })).status).toBe(404);
  });

  it('is for admins only', async () => {
    await fetch(`${app.url}/api/users`, {
      method: 'POST',
      headers: headers(admin),
      body: JSON.stringify({ username: 'disp9', displayName: 'd', password: 'password-123', role: 'dispatcher', regionId: app.regions.root.id }),
    });
    const dispatcher = (await login(app.url, 'disp9', 'password-123')).token;
    expect((await fetch(`${app.url}/api/ingest/keys`, { headers: headers(dispatcher) })).status).toBe(403);
    expect((await fetch(`${app.url}/api/ingest/keys`, { method: 'POST', headers: headers(dispatcher), body: '{"source":"x1"}' })).status).toBe(403);
    expect((await fetch(`${app.url}/api/ingest/keys`, { method: 'POST', headers: headers(admin), body: '{"source":"no spaces"}' })).status).toBe(400);
  });
});

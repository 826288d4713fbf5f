import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WallLinkCurrent } from '#common/wall/rotation';
import type { WallLink } from '#server/store/types';
import { createPgSchema, login, requireEnv, startApp, type PgSchema, type Running } from './helpers';

/** A wall link may carry a theme rotation: validated, stored with the link, read back by the wall that holds it. */
let app: Running;
let admin: string;
let pgSchema: PgSchema | null = null;

beforeAll(async () => {
  pgSchema = process.env.TEST_STORE === 'postgres' ? await createPgSchema(requireEnv('TEST_POSTGRES_URL')) : null;
  app = await startApp(pgSchema ? { DATABASE_URL: pgSchema.url } : {});
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
  await pgSchema?.drop();
});

function call(path: string, token: string | null, body?: unknown) {
  return fetch(`${app.url}/api${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('wall link rotation', () => {
  it('is stored with the link, listed to admins and delivered to the wall holding the link', async () => {
    const rotation = { themes: ['overview', 'care', 'effectiveness'], minutes: 5 };
    const res = await call('/wall-links', admin, { label: '指挥大厅', days: 30, rotation });
    expect(res.status).toBe(201);
    const { link, token } = (await res.json()) as { link: WallLink; token: string };
    expect(link.rotation).toEqual(rotation);
    expect((await app.store.wallLinks.get(link.id))?.rotation).toEqual(rotation);
    const { links } = (await (await call('/wall-links', admin)).json()) as { links: WallLink[] };
    expect(links.find((l) => l.id === link.id)?.rotation).toEqual(rotation);
    const current = await call('/wall-links/current', token);
    expect(current.status).toBe(200);
    expect((await current.json()) as WallLinkCurrent).toEqual({ rotation });
  });

  it('is optional: a link without one tells its wall null', async () => {
    const { link, token } = (await (await call('/wall-links', admin, { label: 'plain', days: 1 })).json()) as { link: WallLink; token: string };
    expect(link.rotation).toBeNull();
    expect(await (await call('/wall-links/current', token)).json()).toEqual({ rotation: null });
  });

  it('refuses bad rotations (400) and serves /current to walls only', async () => {
    const bad = [
      { themes: [], minutes: 5 },
      { themes: ['overview', 'weather'], minutes: 5 },
      { themes: ['care', 'care'], minutes: 5 },
      { themes: ['care'], minutes: 0 },
      { themes: ['care'], minutes: 1.5 },
      { themes: ['care'], minutes: 100_000 },
      { themes: ['care'] },
      { themes: ['care'], minutes: 5, extra: 1 },
      'care',
    ];
    for (const rotation of bad) {
      const res = await call('/wall-links', admin, { label: 'bad', days: 1, rotation });
      expect(res.status, JSON.stringify(rotation)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('wall_links/invalid');
    }
    expect((await call('/wall-links/current', admin)).status).toBe(403);
    expect((await call('/wall-links/current', null)).status).toBe(401);
  });
});

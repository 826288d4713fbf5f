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

function call(path: string, token: string | null, body?: unknown, method?: string) {
  return fetch(`${app.url}/api${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
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
    expect((await current.json()) as WallLinkCurrent).toEqual({ rotation, regionId: link.regionId });
  });

  it('is optional: a link without one tells its wall null', async () => {
    const { link, token } = (await (await call('/wall-links', admin, { label: 'plain', days: 1 })).json()) as { link: WallLink; token: string };
    expect(link.rotation).toBeNull();
    expect(await (await call('/wall-links/current', token)).json()).toEqual({ rotation: null, regionId: link.regionId });
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

  it('takes the dwell in seconds', async () => {
    const rotation = { themes: ['care', 'effectiveness'], seconds: 30 };
    const { link, token } = (await (await call('/wall-links', admin, { label: 'seconds', days: 1, rotation })).json()) as { link: WallLink; token: string };
    expect(link.rotation).toEqual(rotation);
    expect(await (await call('/wall-links/current', token)).json()).toEqual({ rotation, regionId: link.regionId });
    const both = await call('/wall-links', admin, { label: 'both', days: 1, rotation: { themes: ['care'], seconds: 30, minutes: 1 } });
    expect(both.status).toBe(400);
  });
});

describe('PATCH /api/wall-links/{id}', () => {
  async function issue(rotation: unknown = null) {
    return (await (await call('/wall-links', admin, { label: 'hall', days: 1, rotation })).json()) as { link: WallLink; token: string };
  }

  it('changes a live link\'s rotation and label; the wall holding the link reads the change', async () => {
    const { link, token } = await issue({ themes: ['overview', 'care'], minutes: 5 });
    const rotation = { themes: ['effectiveness', 'overview'], seconds: 45 };
    const res = await call(`/wall-links/${link.id}`, admin, { rotation }, 'PATCH');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { link: WallLink }).link).toMatchObject({ id: link.id, label: 'hall', rotation, revokedAt: null });
    expect(await (await call('/wall-links/current', token)).json()).toEqual({ rotation, regionId: link.regionId });

    const renamed = await call(`/wall-links/${link.id}`, admin, { label: '大厅东墙' }, 'PATCH');
    expect(((await renamed.json()) as { link: WallLink }).link).toMatchObject({ label: '大厅东墙', rotation });
    // null: back to today's layout only; the token still works.
    await call(`/wall-links/${link.id}`, admin, { rotation: null }, 'PATCH');
    expect(await (await call('/wall-links/current', token)).json()).toEqual({ rotation: null, regionId: link.regionId });
    expect((await app.store.wallLinks.get(link.id))?.rotation).toBeNull();
  });

  it('refuses bad edits (400), unknown links (404), revoked links (409) and non-admins (403)', async () => {
    const { link, token } = await issue();
    for (const body of [{}, { rotation: { themes: ['care'] } }, { rotation: { themes: ['care'], seconds: 3 } }, { label: '' }, { expiresAt: 1 }]) {
      const res = await call(`/wall-links/${link.id}`, admin, body, 'PATCH');
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('wall_links/invalid');
    }
    const missing = await call('/wall-links/no-such-link', admin, { rotation: null }, 'PATCH');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('wall_links/not_found');
    expect((await call(`/wall-links/${link.id}`, token, { rotation: null }, 'PATCH')).status).toBe(403);
    expect((await call(`/wall-links/${link.id}`, admin, undefined, 'DELETE')).status).toBe(204);
    const revoked = await call(`/wall-links/${link.id}`, admin, { rotation: { themes: ['care'], seconds: 30 } }, 'PATCH');
    expect(revoked.status).toBe(409);
    expect(((await revoked.json()) as { error: { code: string } }).error.code).toBe('wall_links/revoked');
    expect((await app.store.wallLinks.get(link.id))?.rotation).toBeNull();
  });
});

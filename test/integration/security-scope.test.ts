import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_BANDS, SEXES } from '#common/population/types';
import { bandColumn } from '#common/population/registry-columns';
import { cstMonth } from '#server/population/seed';
import { event, ingest, KIND_KEYS, login, startApp, type Running } from './helpers';

// Issue 12, items 5, 7 and 9: scope on every write and listing, an ingest key speaks for its source only,
// failed logins limited per account.

const STREET = '510108003';
const OWN_GRID = '510108003002001';
const OTHER_GRID = '510108001001001';
const MONTH = cstMonth(new Date());
const PASSWORD = 'street-admin-pw-1';

let app: Running;
let root: string;
let street: string;
let clock = Date.now();
const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

async function createUser(token: string, username: string, role: string, regionId: string): Promise<Response> {
  return fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: json(token),
    body: JSON.stringify({ username, displayName: username, password: PASSWORD, role, regionId }),
  });
}

async function tryLogin(username: string, password: string): Promise<Response> {
  return fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
}

beforeAll(async () => {
  app = await startApp({}, undefined, { now: () => new Date(clock) });
  root = (await login(app.url)).token;
  expect((await createUser(root, 'street-admin', 'admin', STREET)).status).toBe(201);
  expect((await createUser(root, 'street-worker', 'dispatcher', `${STREET}002`)).status).toBe(201);
  expect((await createUser(root, 'other-leader', 'leader', '510108001')).status).toBe(201);
  street = (await login(app.url, 'street-admin', PASSWORD)).token;
});
afterAll(async () => {
  await app?.stop();
});

describe('scope on every write and listing (item 5)', () => {
  const header = ['grid_id', '月份', '户数', '户籍人口', '流动人口', ...SEXES.flatMap((s) => AGE_BANDS.map((b) => bandColumn(s, b))), '独居老人', '高龄老人'].join(',');
  const row = (gridId: string) => [gridId, MONTH, 40, 2 * AGE_BANDS.length * 3, 0, ...SEXES.flatMap(() => AGE_BANDS.map(() => 3)), 2, 1].join(',');
  const upload = (csv: string, token: string) =>
    fetch(`${app.url}/api/population/import`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body: csv });
  const residents = async (gridId: string) => app.store.population.rows(gridId, MONTH);

  it('refuses population rows of grids outside a street admin’s scope, row by row, and keeps the rest', async () => {
    const before = JSON.stringify(await residents(OTHER_GRID));
    const res = await upload([header, row(OWN_GRID), row(OTHER_GRID)].join('\n'), street);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: { accepted: number; rejected: number }; errors: { line: number; column: string; reason: string }[] };
    expect(body.counts).toMatchObject({ accepted: 1, rejected: 1 });
    expect(body.errors).toEqual([{ line: 3, column: 'grid_id', reason: expect.stringMatching(/outside your region scope/) }]);
    expect(JSON.stringify(await residents(OTHER_GRID))).toBe(before);
  });

  it('refuses a whole import with nothing in scope, writing nothing', async () => {
    const before = JSON.stringify(await residents(OTHER_GRID));
    const res = await upload([header, row(OTHER_GRID), row('510108002001001')].join('\n'), street);
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string }; errors: unknown[] };
    expect(body.error.code).toBe('scope/forbidden');
    expect(body.errors).toHaveLength(2);
    expect(JSON.stringify(await residents(OTHER_GRID))).toBe(before);
    // The root admin may import the same file.
    expect((await upload([header, row(OTHER_GRID)].join('\n'), root)).status).toBe(200);
  });

  it('lists only the users within the caller’s scope', async () => {
    const list = async (token: string) =>
      ((await (await fetch(`${app.url}/api/users`, { headers: json(token) })).json()) as { users: { username: string; regionId: string }[] }).users;
    const mine = await list(street);
    expect(mine.map((u) => u.username).sort()).toEqual(['street-admin', 'street-worker']);
    expect(mine.every((u) => u.regionId.startsWith(STREET))).toBe(true);
    expect((await list(root)).map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'other-leader', 'street-admin']));
  });

  it('lists and revokes only ingest keys issued within the caller’s scope; environment keys belong to the root', async () => {
    const issue = async (token: string, source: string) =>
      (await (await fetch(`${app.url}/api/ingest/keys`, { method: 'POST', headers: json(token), body: JSON.stringify({ source }) })).json()) as { id: string; key: string; regionId: string };
    const list = async (token: string) =>
      ((await (await fetch(`${app.url}/api/ingest/keys`, { headers: json(token) })).json()) as { items: { id: string; origin: string; regionId: string }[] }).items;
    const streetKey = await issue(street, 'patrol');
    const rootKey = await issue(root, 'video');
    expect(streetKey.regionId).toBe(STREET);

    const seenByStreet = await list(street);
    expect(seenByStreet.map((k) => k.id)).toEqual([streetKey.id]);
    const seenByRoot = await list(root);
    expect(seenByRoot.map((k) => k.id)).toEqual(expect.arrayContaining([streetKey.id, rootKey.id]));
    expect(seenByRoot.filter((k) => k.origin === 'env')).toHaveLength(Object.keys(KIND_KEYS).length);

    const revoke = (token: string, id: string) => fetch(`${app.url}/api/ingest/keys/${id}`, { method: 'DELETE', headers: json(token) });
    expect((await revoke(street, rootKey.id)).status).toBe(404);
    expect((await ingest(app.url, event(1, { source: 'video' }), rootKey.key)).status).toBe(202);
    expect((await revoke(street, streetKey.id)).status).toBe(204);
    expect((await revoke(root, rootKey.id)).status).toBe(204);
  });

  it('lets a street admin co-dispatch only parties visible in their scope', async () => {
    const party = async (id: string, regionIds: string[]) =>
      fetch(`${app.url}/api/parties`, { method: 'POST', headers: json(root), body: JSON.stringify({ id, kind: 'property', name: id, categories: [], regionIds }) });
    expect((await party('PTY-other-street', ['510108001'])).status).toBe(201);
    expect((await party('PTY-own-street', [STREET])).status).toBe(201);
    const [result] = ((await (await ingest(app.url, event(800))).json()) as { results: { id: string }[] }).results;
    const id = result!.id;
    const act = async (body: Record<string, unknown>) => {
      const { incident } = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: json(street) })).json()) as { incident: { version: number } };
      const res = await fetch(`${app.url}/api/incidents/${id}/actions`, { method: 'POST', headers: json(street), body: JSON.stringify({ ...body, version: incident.version }) });
      return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
    };
    expect((await act({ action: 'verify' })).status).toBe(200);
    expect((await act({ action: 'file' })).status).toBe(200);
    const refused = await act({ action: 'dispatch', assigneeId: 'gw-510108003002001', assistingPartyIds: ['PTY-other-street'] });
    expect(refused.body.error?.code).toBe('incident/unknown_party');
    expect((await act({ action: 'dispatch', assigneeId: 'gw-510108003002001', assistingPartyIds: ['PTY-own-street'] })).status).toBe(200);
  });

  it('locates a point outside the caller’s scope without naming its grid', async () => {
    const locate = async (token: string) =>
      (await (await fetch(`${app.url}/api/geo/locate?lng=104.1&lat=30.67`, { headers: json(token) })).json()) as { gridId: string | null; path: { id: string }[] };
    const seen = await locate(root);
    expect(seen.gridId).toMatch(/^510108003/);
    const other = (await (await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'other-leader', password: PASSWORD }) })).json()) as { token: string };
    const hidden = await locate(other.token);
    expect(hidden.gridId).toBeNull();
    expect(hidden.path.map((p) => p.id)).toEqual(['510108']);
  });

  it('takes events of a street admin’s key only within that street', async () => {
    const otherStreet = { lng: 104.0932, lat: 30.6845 };
    const where = (await (await fetch(`${app.url}/api/geo/locate?lng=${otherStreet.lng}&lat=${otherStreet.lat}`, { headers: json(root) })).json()) as { gridId: string };
    expect(where.gridId).toMatch(/^510108001/);
    const issued = (await (await fetch(`${app.url}/api/ingest/keys`, { method: 'POST', headers: json(street), body: JSON.stringify({ source: 'patrol' }) })).json()) as { key: string };
    const res = await ingest(app.url, [event(900, { source: 'patrol' }), event(901, { source: 'patrol', location: otherStreet })], issued.key);
    const body = (await res.json()) as { results: { ok: boolean; error?: { code: string } }[] };
    expect(body.results[0]).toMatchObject({ ok: true });
    expect(body.results[1]).toMatchObject({ ok: false, error: { code: 'ingest/out_of_scope' } });
  });

  it('shows dead letters only to admins of the root region', async () => {
    await ingest(app.url, [{ nope: true }]);
    const res = await fetch(`${app.url}/api/ingest/rejected`, { headers: json(street) });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('scope/forbidden');
    const ok = await fetch(`${app.url}/api/ingest/rejected`, { headers: json(root) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });
});

describe('an ingest key speaks for its source only (item 7)', () => {
  it('refuses an Open311 key’s "hotline" event with a made-up reporter, keeps it as a dead letter, takes its own kind', async () => {
    const forged = event(700, { source: 'hotline', severity: 'critical', externalId: 'forged-700', reporter: { name: '王五', phone: '13800001111' } });
    const res = await ingest(app.url, [forged, event(701, { source: 'open311', externalId: 'own-701' })], KIND_KEYS.open311);
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; results: { ok: boolean; error?: { code: string; message: string } }[] };
    expect(body.accepted).toBe(1);
    expect(body.results[0]).toMatchObject({ ok: false, error: { code: 'ingest/source_not_allowed', message: expect.stringContaining('open311') } });
    expect(body.results[1]).toMatchObject({ ok: true });
    const dead = await app.store.rejects.list('open311', 10);
    expect(dead.some((d) => d.reason.includes('ingest/source_not_allowed') && d.payload.includes('forged-700'))).toBe(true);
    const list = await fetch(`${app.url}/api/incidents?limit=500`, { headers: json(root) });
    expect(JSON.stringify(await list.json())).not.toContain('forged-700');
  });

  it('answers 422 when every item claims a kind the key may not, and lets an unknown connector claim only manual or its own name', async () => {
    const all = await ingest(app.url, [event(710, { source: 'iot' }), event(711, { source: 'video' })], KIND_KEYS.hotline);
    expect(all.status).toBe(422);
    const issued = (await (await fetch(`${app.url}/api/ingest/keys`, { method: 'POST', headers: json(root), body: JSON.stringify({ source: 'district-app' }) })).json()) as { key: string };
    const res = await ingest(app.url, [event(720, { source: 'manual' }), event(721, { source: 'hotline' }), event(722, { source: 'open311' })], issued.key);
    const body = (await res.json()) as { results: { ok: boolean }[] };
    expect(body.results.map((r) => r.ok)).toEqual([true, false, false]);
  });
});

describe('failed logins limited per account (item 9)', () => {
  const fromAddress = (username: string, password: string, n: number) =>
    fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      // The per-address limiter keys on the socket address; distinct X-Forwarded-For values must not help.
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `203.0.113.${n}` },
      body: JSON.stringify({ username, password }),
    });

  it('answers 429 after 5 failures for one username, even with the right password, until the window ends', async () => {
    for (let i = 0; i < 5; i++) expect((await fromAddress('street-worker', 'wrong-password', i)).status).toBe(401);
    const locked = await tryLogin('street-worker', PASSWORD);
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('auth/rate_limited');
    // Other accounts are not affected.
    expect((await tryLogin('other-leader', PASSWORD)).status).toBe(200);
    clock += 15 * 60_000 + 1000;
    expect((await tryLogin('street-worker', PASSWORD)).status).toBe(200);
  });

  it('resets the count on a success', async () => {
    for (let i = 0; i < 4; i++) expect((await tryLogin('other-leader', 'wrong-password')).status).toBe(401);
    expect((await tryLogin('other-leader', PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await tryLogin('other-leader', 'wrong-password')).status).toBe(401);
    expect((await tryLogin('other-leader', PASSWORD)).status).toBe(200);
  });

  it('counts unknown usernames the same way, so the answers do not tell which exist', async () => {
    const statuses = async (username: string) => {
      const out: number[] = [];
      for (let i = 0; i < 7; i++) out.push((await tryLogin(username, 'wrong-password')).status);
      return out;
    };
    const known = await statuses('street-admin');
    const unknown = await statuses('no-such-user');
    expect(known).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(unknown).toEqual(known);
    const bodies = await Promise.all([tryLogin('street-admin', 'x'), tryLogin('no-such-user', 'x')].map(async (p) => (await p).json()));
    expect(bodies[0]).toEqual(bodies[1]);
  });

  it('holds under concurrent guesses', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => tryLogin('concurrent-target', 'wrong-password')));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
  });
});

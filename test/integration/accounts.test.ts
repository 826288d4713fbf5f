import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, PublicUser } from '#common/auth/types';
import { connected, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

/** Accounts over their lifetime: role, scope, name, disable, password reset and change (issue 13). */
let app: Running;
let admin: string;
let districtA: string;
let districtB: string;
const open: ClientSocket[] = [];

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  const kids = app.regions.tree(app.regions.root.id)!.children;
  districtA = kids[0]!.id;
  districtB = kids[1]?.id ?? kids[0]!.id;
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await app.stop();
});

function call(path: string, token: string | null, method = 'GET', body?: unknown) {
  return fetch(`${app.url}/api${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

let n = 0;
async function newUser(role: string, regionId: string, by = admin): Promise<PublicUser & { token: string }> {
  const username = `acct${++n}`;
  const res = await call('/users', by, 'POST', { username, displayName: username, password: 'Password-123', role, regionId });
  expect(res.status).toBe(201);
  const { token, user } = await login(app.url, username, 'Password-123');
  return { ...user, token };
}

describe('PATCH /api/users/{id}', () => {
  it('changes role, region and name; the old token fails at once and the socket closes', async () => {
    const u = await newUser('dispatcher', app.regions.root.id);
    const socket = socketFor(app.url, u.token);
    open.push(socket);
    await connected(socket);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const res = await call(`/users/${u.id}`, admin, 'PATCH', { role: 'leader', regionId: districtA, displayName: '王组长' });
    expect(res.status).toBe(200);
    const after = (await res.json()) as PublicUser;
    expect(after).toMatchObject({ role: 'leader', regionId: districtA, displayName: '王组长' });
    expect((await call('/incidents', u.token)).status).toBe(401);
    expect(await closed).toBe('io server disconnect');
    // Logging in again gives a token of the new role and scope.
    const again = await login(app.url, u.username, 'Password-123');
    expect(again.user.role).toBe('leader');
    expect((await call('/incidents', again.token)).status).toBe(200);
    // A name change alone does not end sessions.
    expect((await call(`/users/${u.id}`, admin, 'PATCH', { displayName: '王五' })).status).toBe(200);
    expect((await call('/incidents', again.token)).status).toBe(200);
  });

  it('a disable ends the account\'s tokens for good: re-enabling it does not bring them back', async () => {
    const u = await newUser('leader', districtA);
    expect((await call('/incidents', u.token)).status).toBe(200);
    expect((await call(`/users/${u.id}`, admin, 'PATCH', { disabled: true })).status).toBe(200);
    expect((await call('/incidents', u.token)).status).toBe(401);
    expect((await call(`/users/${u.id}`, admin, 'PATCH', { disabled: false })).status).toBe(200);
    // A token taken before the disable (a console left signed in, a copied token) stays dead; signing in works.
    expect((await call('/incidents', u.token)).status).toBe(401);
    const socket = socketFor(app.url, u.token);
    open.push(socket);
    expect(await new Promise<string>((resolve) => socket.once('connect_error', (err) => resolve(err.message)).once('connect', () => resolve('connected')))).not.toBe('connected');
    const again = await login(app.url, u.username, 'Password-123');
    expect((await call('/incidents', again.token)).status).toBe(200);
  });

  it('is scope-checked: no granting beyond the admin’s region, no editing outside it, no self lockout', async () => {
    const localAdmin = await newUser('admin', districtA);
    const inside = await newUser('worker', districtA);
    const outside = await newUser('worker', districtB);
    // Beyond their own region: refused.
    expect(await code(await call(`/users/${inside.id}`, localAdmin.token, 'PATCH', { regionId: app.regions.root.id }))).toBe('users/bad_region');
    if (districtB !== districtA) {
      expect((await call(`/users/${outside.id}`, localAdmin.token, 'PATCH', { disabled: true })).status).toBe(404);
    }
    // Granting admin inside their region is fine.
    expect((await call(`/users/${inside.id}`, localAdmin.token, 'PATCH', { role: 'admin' })).status).toBe(200);
    // Self lockout.
    for (const body of [{ disabled: true }, { role: 'leader' }, { regionId: districtA }]) {
      const me = await call(`/users/${localAdmin.id}`, localAdmin.token, 'PATCH', body);
      if ('regionId' in body) expect(me.status).toBe(200); // the same region is no change
      else expect(await code(me)).toBe('users/self');
    }
    expect(await code(await call(`/users/${localAdmin.id}`, admin, 'PATCH', { role: 'wall' }))).toBe('users/invalid');
    expect(await code(await call(`/users/${localAdmin.id}`, admin, 'PATCH', {}))).toBe('users/invalid');
    // Non-admins may not.
    expect((await call(`/users/${inside.id}`, outside.token, 'PATCH', { disabled: true })).status).toBe(403);
  });
});

describe('passwords', () => {
  it('a reset gives a one-time password that only allows choosing a new one; the change ends other sessions', async () => {
    const u = await newUser('dispatcher', app.regions.root.id);
    const reset = await call(`/users/${u.id}/password-reset`, admin, 'POST');
    expect(reset.status).toBe(200);
    const { temporaryPassword, mustChangePassword } = (await reset.json()) as { temporaryPassword: string; mustChangePassword: boolean };
    expect(mustChangePassword).toBe(true);
    expect((await call('/incidents', u.token)).status).toBe(401);
    await expect(login(app.url, u.username, 'Password-123')).rejects.toThrow('401');
    const temp = await login(app.url, u.username, temporaryPassword);
    expect(temp.user.mustChangePassword).toBe(true);
    expect(await code(await call('/incidents', temp.token))).toBe('auth/password_change_required');
    expect((await call('/auth/me', temp.token)).status).toBe(200);
    const s = socketFor(app.url, temp.token);
    open.push(s);
    await expect(connected(s)).rejects.toThrow('auth/unauthorized');
    // Policy: too short, one class, contains the username; wrong current.
    const weak = await call('/me/password', temp.token, 'POST', { current: temporaryPassword, next: 'short' });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as { error: { problems: string[] } }).error.problems).toEqual(expect.arrayContaining(['too_short', 'one_class']));
    const named = await call('/me/password', temp.token, 'POST', { current: temporaryPassword, next: `${u.username}-Secret9` });
    expect(((await named.json()) as { error: { problems: string[] } }).error.problems).toContain('contains_username');
    expect(await code(await call('/me/password', temp.token, 'POST', { current: 'nope', next: 'Good-passw0rd' }))).toBe('password/wrong_current');
    const changed = await call('/me/password', temp.token, 'POST', { current: temporaryPassword, next: 'Good-passw0rd' });
    expect(changed.status).toBe(200);
    const fresh = (await changed.json()) as LoginResponse;
    expect(fresh.user.mustChangePassword).toBe(false);
    expect((await call('/incidents', fresh.token)).status).toBe(200);
    expect((await call('/incidents', temp.token)).status).toBe(401);
    await expect(login(app.url, u.username, temporaryPassword)).rejects.toThrow('401');
    expect((await login(app.url, u.username, 'Good-passw0rd')).user.mustChangePassword).toBe(false);
  });

  it('an admin cannot reset their own password or one outside their scope', async () => {
    const me = (await (await call('/auth/me', admin)).json()) as PublicUser;
    expect(await code(await call(`/users/${me.id}/password-reset`, admin, 'POST'))).toBe('users/self');
    expect((await call('/users/no-such/password-reset', admin, 'POST')).status).toBe(404);
  });
});

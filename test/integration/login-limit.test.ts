import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, login, startApp, type Running } from './helpers';

/**
 * The per-address login limit (10 a minute by default) is for failed logins: a command center's staff, and grid
 * workers on one carrier's NAT at a shift change, sign in from one address, and their successes must not lock
 * the next colleague out.
 */
let app: Running;
let admin: string;

beforeAll(async () => {
  app = await startApp({ LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' }, undefined, { loginLimitPerMinute: 10 });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

const attempt = (username: string, password: string) =>
  fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });

describe('login limit per address', () => {
  it('lets a shift of 15 sign in from one address within a minute, and still stops a run of failures', async () => {
    const root = ((await (await fetch(`${app.url}/api/regions`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { id: string }).id;
    for (let i = 0; i < 15; i++) {
      const res = await fetch(`${app.url}/api/users`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: `shift-${i}`, displayName: `值班${i}`, password: ADMIN_PASSWORD, role: 'dispatcher', regionId: root }),
      });
      expect(res.status).toBe(201);
    }
    for (let i = 0; i < 15; i++) expect((await attempt(`shift-${i}`, ADMIN_PASSWORD)).status).toBe(200);
    // Failures still count: the 11th wrong guess from the address within the minute is refused.
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await attempt(`nobody-${i}`, 'wrong-password')).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});

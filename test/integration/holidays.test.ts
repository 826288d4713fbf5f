import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startApp, type Running } from './helpers';

/** The holiday calendar API: package years, admin-entered years, the December warning (issue 13). */
let app: Running;
let admin: string;
let clock = new Date('2026-12-05T02:00:00Z');

beforeAll(async () => {
  app = await startApp({}, undefined, { now: () => clock });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

const call = (path: string, method = 'GET', body?: unknown, token = admin) =>
  fetch(`${app.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

describe('holiday calendar API', () => {
  it('warns in December without next year, takes an admin-entered year, and refuses to overwrite a package year', async () => {
    const before = (await (await call('/holidays')).json()) as { warning: { code: string; year: number } | null; packageLastYear: number };
    expect(before.packageLastYear).toBe(2026);
    expect(before.warning).toEqual({ code: 'holiday/next_year_missing', year: 2027 });

    const days = [
      { date: '2027-01-01', kind: 'holiday', name: '元旦' },
      { date: '2027-02-08', kind: 'holiday', name: '春节' },
      { date: '2027-02-20', kind: 'workday', name: '春节' },
    ];
    expect((await call('/holidays/2027', 'PUT', { days: [{ date: '2027-02-22', kind: 'workday', name: 'x' }] })).status).toBe(400); // a Monday
    expect((await call('/holidays/2027', 'PUT', { days: [{ date: '2028-01-01', kind: 'holiday', name: 'x' }] })).status).toBe(400);
    expect((await call('/holidays/2026', 'PUT', { days })).status).toBe(409);
    const put = await call('/holidays/2027', 'PUT', { days });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { source: string }).source).toBe('admin');
    const after = (await (await call('/holidays')).json()) as { warning: unknown; years: { year: number; source: string }[] };
    expect(after.warning).toBeNull();
    expect(after.years.at(-1)).toMatchObject({ year: 2027, source: 'admin', holidays: 2, workdays: 1 });
    expect(((await (await call('/holidays/2027')).json()) as { days: unknown[] }).days).toEqual(days);
    // Audited.
    const audit = (await (await call('/audit?action=holiday.update')).json()) as { items: { target: string; detail: { status: number } }[] };
    expect(audit.items.map((e) => [e.target, e.detail.status])).toContainEqual(['holiday_year:2027', 200]);
  });

  it('only admins may enter a year', async () => {
    const res = await call('/users', 'POST', { username: 'disp1', displayName: 'D', password: 'Password-123', role: 'dispatcher', regionId: app.regions.root.id });
    expect(res.status).toBe(201);
    const token = (await login(app.url, 'disp1', 'Password-123')).token;
    expect((await call('/holidays', 'GET', undefined, token)).status).toBe(200);
    expect((await call('/holidays/2028', 'PUT', { days: [{ date: '2028-01-01', kind: 'holiday', name: '元旦' }] }, token)).status).toBe(403);
    clock = new Date('2026-11-20T02:00:00Z');
  });
});

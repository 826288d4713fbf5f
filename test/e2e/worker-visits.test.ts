/**
 * A grid worker logs a caring visit from the phone app (390×844) and the schedule shows the resident visited;
 * with no network the 探访 tab opens from the phone's copy and a visit logged there is sent when the link returns.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

const WORKER = { username: 'gw-visit', password: 'worker-password-123' };
const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string; base: { lng: number; lat: number } }[] }).workers;
const home = roster[5]!;

async function api<T>(server: ServerHandle, token: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe('grid-worker app: caring visits', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;
  let phone: PageHandle;
  let residentId: string;
  let secondId: string;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    browser = await launchBrowser();
    admin = await login(server);
    expect((await api(server, admin, '/api/users', { ...WORKER, displayName: '网格员探访', role: 'worker', regionId: home.gridId, workerId: home.id })).status).toBe(201);
    // Registered now, never visited (the seeded demo residents of the grid are listed too).
    const made = await api<{ id: string }>(server, admin, '/api/care/residents', { gridId: home.gridId, name: '王奶奶', birthDate: '1936-03-01', livingAlone: true });
    expect(made.status).toBe(201);
    residentId = made.body.id;
    const second = await api<{ id: string }>(server, admin, '/api/care/residents', { gridId: home.gridId, name: '赵爷爷', birthDate: '1935-07-01', livingAlone: true });
    expect(second.status).toBe(201);
    secondId = second.body.id;
    phone = await newPage(browser, `${server.url}/m/login`, { viewport: { width: 390, height: 844 }, contextOptions: { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } });
    await phone.page.locator('input[name=username]').fill(WORKER.username);
    await phone.page.locator('input[name=password]').fill(WORKER.password);
    await phone.page.locator('button[type=submit]').click();
    await phone.page.getByTestId('m-tasks').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('logs a visit with one tap and the schedule shows it visited', { timeout: 120_000 }, async () => {
    const { page } = phone;
    await page.getByTestId('m-nav-visits').click();
    await page.getByTestId('m-visit-row').first().waitFor();
    const row = page.getByTestId('m-visit-row').filter({ hasText: '王*奶' }).first();
    await row.locator('button').first().click();
    await page.getByTestId('m-visit-form').locator('textarea').fill('精神好，已送药');
    await screenshot(page, 'worker-visits-form');
    await page.getByTestId('m-visit-well').click();
    // Sent through the outbox; the list reloads from the server and shows today's visit.
    await expect.poll(async () => (await api<{ schedule: { resident: { id: string }; lastVisitAt: string | null }[] }>(server, admin, `/api/visits/schedule?regionId=${home.gridId}`)).body.schedule.find((r) => r.resident.id === residentId)?.lastVisitAt, { timeout: 15_000 }).not.toBeNull();
    await expect.poll(() => row.getByTestId('m-visit-state').textContent(), { timeout: 15_000 }).toBe('已探访');
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('上次探访');
    await screenshot(page, 'worker-visits-done');
    const visits = await api<{ visits: { residentId: string; note: string }[] }>(server, admin, `/api/visits?regionId=${home.gridId}`);
    expect(visits.body.visits.filter((v) => v.residentId === residentId)).toHaveLength(1);
    expectNoExternal(phone.external);
  });

  it('opens the visit list offline from the phone and sends a visit logged there when the link returns', { timeout: 120_000 }, async () => {
    const { page } = phone;
    const context = page.context();
    // The service worker has taken the page (the app shell is precached), so a reload with no network opens.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
    await context.setOffline(true);
    // Closed and opened again with no network: the shell from the service worker, the list from IndexedDB.
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('m-visits-offline').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('m-visits-offline').textContent()).toContain('离线');
    await expect.poll(() => page.getByTestId('m-visit-row').count()).toBeGreaterThan(1);
    const row = page.getByTestId('m-visit-row').filter({ hasText: '赵*爷' }).first();
    await row.locator('button').first().click();
    await page.getByTestId('m-visit-form').locator('textarea').fill('电话未通，上门确认平安');
    await page.getByTestId('m-visit-well').click();
    await expect.poll(() => row.getByTestId('m-visit-state').textContent(), { timeout: 5000 }).toBe('已探访（待同步）');
    await screenshot(page, 'worker-visits-offline');
    const sent = async () => (await api<{ visits: { residentId: string }[] }>(server, admin, `/api/visits?regionId=${home.gridId}`)).body.visits.filter((v) => v.residentId === secondId).length;
    expect(await sent()).toBe(0);

    await context.setOffline(false);
    await expect.poll(sent, { timeout: 20_000 }).toBe(1);
    // Once sent, the list is the server's again and shows the visit.
    await expect.poll(() => row.getByTestId('m-visit-state').textContent(), { timeout: 15_000 }).toBe('已探访');
    await expect.poll(() => page.getByTestId('m-visits-offline').count(), { timeout: 15_000 }).toBe(0);
    expect(await sent()).toBe(1);
    expectNoExternal(phone.external);
  });
});

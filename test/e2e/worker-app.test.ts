import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

const INGEST_KEY = 'e2e-worker-app-ingest-key-0123456789';
const DISPATCHER = { username: 'duty9', password: 'duty-password-123' };
const WORKER = { username: 'gw-e2e', password: 'worker-password-123' };
const PHONE = { width: 390, height: 844 };
const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string; base: { lng: number; lat: number } }[] }).workers;
const home = roster[3]!;

/** A phone photo: a JPEG that carries the place it was taken (GPS EXIF), which must never reach other users. */
async function gpsPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 190, g: 120, b: 70 } } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'GridOpsTestPhone', Model: 'E2E' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 40/1 5/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 5/1 37/1' },
    })
    .toBuffer();
}
/** Whether an EXIF block holds a GPS IFD pointer (tag 0x8825, either byte order). */
const hasGps = (exif: Buffer | undefined) => !!exif && (exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88])));

async function api<T>(server: ServerHandle, token: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function hotline(server: ServerHandle, item: Record<string, unknown>): Promise<{ id: string; merged: boolean }> {
  const res = await fetch(`${server.url}/api/ingest/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': `${INGEST_KEY}-hotline` },
    body: JSON.stringify({ source: 'hotline', reportedAt: new Date().toISOString(), ...item }),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { results: { id: string; merged: boolean }[] }).results[0]!;
}

async function signIn(page: Page, who: { username: string; password: string }): Promise<void> {
  await page.locator('input[name=username]').fill(who.username);
  await page.locator('input[name=password]').fill(who.password);
  await page.locator('button[type=submit]').click();
}

describe('grid-worker app', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;
  let dispatcher: string;
  let phone: PageHandle;
  let desk: PageHandle;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `hotline:${INGEST_KEY}-hotline` } });
    browser = await launchBrowser();
    admin = await login(server);
    const root = (await api<{ id: string }>(server, admin, '/api/regions')).body;
    expect((await api(server, admin, '/api/users', { ...DISPATCHER, displayName: '值班员九', role: 'dispatcher', regionId: root.id })).status).toBe(201);
    expect((await api(server, admin, '/api/users', { ...WORKER, displayName: '网格员测试', role: 'worker', regionId: home.gridId, workerId: home.id })).status).toBe(201);
    dispatcher = await login(server, DISPATCHER.username, DISPATCHER.password);

    // The worker's phone: 390×844, touch, and a scripted position near their grid's base.
    phone = await newPage(browser, `${server.url}/m`, {
      viewport: PHONE,
      contextOptions: { isMobile: true, hasTouch: true, deviceScaleFactor: 2, geolocation: { longitude: home.base.lng + 0.0004, latitude: home.base.lat, accuracy: 12 }, permissions: ['geolocation'] },
    });
    await phone.page.waitForURL(/\/m\/login/);
    await screenshot(phone.page, 'worker-app-login');
    // The app is for grid workers: another account is refused on the spot and stays signed out.
    await signIn(phone.page, { username: 'admin', password: server.adminPassword });
    await phone.page.getByTestId('m-login').getByText('该账号不是网格员账号').waitFor({ timeout: 10_000 });
    expect(await phone.page.evaluate(() => localStorage.getItem('gridops.session'))).toBeNull();
    await signIn(phone.page, WORKER);
    await phone.page.getByTestId('m-tasks').waitFor();
    // The service worker has taken the page: the app shell is precached.
    await phone.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });

    desk = await newPage(browser, `${server.url}/console`, { viewport: { width: 1440, height: 900 } });
    await desk.page.waitForURL(/\/login/);
    await signIn(desk.page, DISPATCHER);
    await desk.page.waitForURL(/\/console/);
  }, 180_000);

  beforeEach(() => {
    onTestFailed(() => {
      console.error('phone console errors:', phone?.consoleErrors, '\ndesk console errors:', desk?.consoleErrors);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('takes a dispatched case, gives feedback with a photo offline, and the desk sees it within 5 s of the link coming back', { timeout: 180_000 }, async () => {
    const { page, context } = phone;
    const made = await hotline(server, { externalId: 'wa-1', category: 'illegal_parking', title: '占道停车', location: { lng: home.base.lng + 0.001, lat: home.base.lat + 0.0005 }, description: '小区门口车辆占用消防通道' });
    let version = (await api<{ incident: { version: number } }>(server, dispatcher, `/api/incidents/${made.id}`)).body.incident.version;
    for (const action of ['verify', 'file'] as const) version = (await api<{ incident: { version: number } }>(server, dispatcher, `/api/incidents/${made.id}/actions`, { action, version })).body.incident.version;
    const dispatched = await api<{ incident: { version: number } }>(server, dispatcher, `/api/incidents/${made.id}/actions`, { action: 'dispatch', version, assigneeId: home.id });
    expect(dispatched.status).toBe(200);

    // It reaches the phone live, with its countdown.
    const row = page.locator(`[data-testid=m-task-row][data-id="${made.id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect.poll(() => row.getByTestId('m-countdown').textContent()).toMatch(/^剩 \d/);
    await screenshot(page, 'worker-app-tasks');
    // The raised 巡查上报 button sits at the centre of the bottom bar, under the thumb, a full-size target.
    const button = (await page.getByTestId('m-nav-report').locator('.ico').boundingBox())!;
    expect(Math.abs(button.x + button.width / 2 - PHONE.width / 2)).toBeLessThanOrEqual(1);
    expect(button.width).toBeGreaterThanOrEqual(48);
    expect(button.y + button.height).toBeGreaterThan(PHONE.height - 100);

    await row.tap();
    await page.getByTestId('m-task').waitFor();
    await page.getByTestId('m-act-accept').tap();
    await expect.poll(() => page.getByTestId('m-task-status').textContent(), { timeout: 10_000 }).toContain('处置中');
    await expect.poll(() => page.getByTestId('m-pending').count(), { timeout: 10_000 }).toBe(0);
    await page.locator('[data-testid=m-minimap][data-map-state=idle]').waitFor({ timeout: 20_000 });
    await screenshot(page, 'worker-app-task');

    // The desk has the case open in its drawer.
    await desk.page.getByTestId('tab-inHand').click();
    await desk.page.locator(`[data-testid=queue-row][data-id="${made.id}"]`).click();
    await desk.page.locator(`[data-testid=drawer][data-id="${made.id}"][data-status=in_progress]`).waitFor({ timeout: 10_000 });

    // Offline in a stairwell: feedback with a photo that carries GPS.
    const photo = await gpsPhoto();
    expect(hasGps((await sharp(photo).metadata()).exif)).toBe(true);
    await context.setOffline(true);
    await page.getByTestId('m-act-submit_feedback').tap();
    await page.getByTestId('m-note').fill('已劝离车辆，通道恢复畅通');
    await page.getByTestId('m-photo-input').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('m-submit-action').tap();
    await expect.poll(() => page.getByTestId('m-pending').textContent(), { timeout: 5000 }).toBe('待同步 1');
    await expect.poll(() => page.getByTestId('m-task-status').textContent()).toContain('已反馈');
    await screenshot(page, 'worker-app-offline-feedback');

    // Closed and opened again with no network: the shell comes from the service worker, the task from IndexedDB.
    await page.reload({ waitUntil: 'load' });
    await page.getByTestId('m-task').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('m-task-status').textContent(), { timeout: 10_000 }).toContain('已反馈');
    await expect.poll(() => page.getByTestId('m-pending').textContent()).toBe('待同步 1');
    await page.getByTestId('m-nav-tasks').tap();
    await page.locator(`[data-testid=m-task-row][data-id="${made.id}"]`).waitFor({ timeout: 10_000 });
    await page.goBack();

    // The link returns: the desk's drawer shows the feedback and the photo within 5 s.
    const back = Date.now();
    await context.setOffline(false);
    await desk.page.locator(`[data-testid=drawer][data-id="${made.id}"][data-status=feedback]`).waitFor({ timeout: 5000 });
    await desk.page.getByTestId('drawer-media').locator('img[data-testid=media-img]').first().waitFor({ timeout: Math.max(100, 5000 - (Date.now() - back)) });
    expect(Date.now() - back).toBeLessThan(5000);
    await expect.poll(() => desk.page.getByTestId('drawer-history').textContent()).toContain('已劝离车辆');
    await screenshot(desk.page, 'worker-app-desk-feedback');
    await expect.poll(() => page.getByTestId('m-pending').count(), { timeout: 10_000 }).toBe(0);

    // Applied once, and the served photo has no EXIF (no GPS).
    const detail = await api<{ history: { action: string }[]; media: { url: string }[] }>(server, dispatcher, `/api/incidents/${made.id}`);
    expect(detail.body.history.filter((h) => h.action === 'submit_feedback')).toHaveLength(1);
    expect(detail.body.media).toHaveLength(1);
    const served = Buffer.from(await (await fetch(`${server.url}${detail.body.media[0]!.url}`, { headers: { Authorization: `Bearer ${dispatcher}` } })).arrayBuffer());
    const meta = await sharp(served).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.exif).toBeUndefined();
    expect(served.includes(Buffer.from('GridOpsTestPhone'))).toBe(false);

    expectNoExternal(phone.external);
    expectNoExternal(desk.external);
  });

  it('sends a street report with a photo that merges with a matching hotline report on the desk', { timeout: 120_000 }, async () => {
    const { page } = phone;
    await page.getByTestId('m-nav-report').tap();
    await page.getByTestId('m-report').waitFor();
    await page.locator('.cat[data-code=fire_lane_blocked]').first().tap();
    await page.getByTestId('m-photo-input').setInputFiles({ name: 'lane.jpg', mimeType: 'image/jpeg', buffer: await gpsPhoto() });
    await page.getByTestId('m-report-note').fill('3 栋消防通道堆放杂物');
    await expect.poll(() => page.getByTestId('m-place-hint').textContent(), { timeout: 10_000 }).toContain('已按手机定位');
    await page.locator('[data-testid=m-minimap][data-map-state=idle]').waitFor({ timeout: 20_000 });
    await page.locator('.m-main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'worker-app-report');
    await page.locator('.m-main').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot(page, 'worker-app-report-bottom');
    await page.getByTestId('m-report-submit').tap();

    // The worker sees what became of it.
    const mine = page.locator('[data-testid=m-report-row][data-incident]');
    await mine.first().waitFor({ timeout: 10_000 });
    const incidentId = (await mine.first().getAttribute('data-incident'))!;
    await expect.poll(() => page.getByTestId('m-pending').count(), { timeout: 10_000 }).toBe(0);

    // A resident calls the hotline about the same blocked lane: one case, two reports, on the desk's queue.
    const call = await hotline(server, { externalId: 'wa-2', category: 'fire_lane_blocked', title: '消防通道被堵', location: { lng: home.base.lng + 0.0005, lat: home.base.lat + 0.0001 } });
    expect(call).toMatchObject({ id: incidentId, merged: true });
    await desk.page.getByTestId('tab-intake').click();
    await desk.page.locator(`[data-testid=queue-row][data-id="${incidentId}"]`).click();
    await expect.poll(() => desk.page.getByTestId('drawer-reports').locator('li').count(), { timeout: 10_000 }).toBe(2);
    await desk.page.getByTestId('drawer-media').locator('img[data-testid=media-img]').first().waitFor({ timeout: 10_000 });
    expect(await desk.page.getByTestId('drawer-reports').textContent()).toContain('3 栋消防通道堆放杂物');
    await screenshot(desk.page, 'worker-app-desk-merged');

    await page.reload();
    await expect.poll(() => page.locator(`[data-testid=m-report-row][data-incident="${incidentId}"] [data-testid=m-report-merged]`).textContent(), { timeout: 10_000 }).toContain('2');
    await screenshot(page, 'worker-app-my-reports');
    expectNoExternal(phone.external);
  });
});

import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

/**
 * Photos as real phones make them: a 48-megapixel camera writes JPEGs larger than the server's 10 MB upload
 * limit, and a worker must be able to take a photo or pick one taken earlier from the gallery.
 */
const WORKER = { username: 'gw-photos', password: 'worker-password-123' };
const PHONE = { width: 360, height: 640 };
const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string; base: { lng: number; lat: number } }[] }).workers;
const home = roster[5]!;
const LIMIT = 10 * 1024 * 1024;

/** A photo as large as a 48 MP phone camera's (sensor grain and all, about 13 MB): over the upload limit as it is. */
async function bigPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 5000, height: 3750, channels: 3, background: { r: 120, g: 130, b: 110 }, noise: { type: 'gaussian', mean: 120, sigma: 25 } } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

describe('grid-worker app photos', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;
  let phone: PageHandle;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    browser = await launchBrowser();
    admin = await login(server);
    const res = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...WORKER, displayName: '网格员照片', role: 'worker', regionId: home.gridId, workerId: home.id }),
    });
    expect(res.status).toBe(201);
    phone = await newPage(browser, `${server.url}/m`, {
      viewport: PHONE,
      contextOptions: { isMobile: true, hasTouch: true, geolocation: { longitude: home.base.lng + 0.0003, latitude: home.base.lat, accuracy: 10 }, permissions: ['geolocation'] },
    });
    await phone.page.waitForURL(/\/m\/login/);
    await phone.page.locator('input[name=username]').fill(WORKER.username);
    await phone.page.locator('input[name=password]').fill(WORKER.password);
    await phone.page.locator('button[type=submit]').click();
    await phone.page.getByTestId('m-tasks').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('offers the camera and the gallery, and sends a 48 MP photo shrunk on the phone', { timeout: 120_000 }, async () => {
    const { page } = phone;
    await page.getByTestId('m-nav-report').tap();
    await page.getByTestId('m-report').waitFor();
    // `capture` makes a phone open the camera only: the gallery needs an input without it.
    expect(await page.locator('input[type=file][data-testid=m-camera-input]').getAttribute('capture')).toBe('environment');
    expect(await page.locator('input[type=file][data-testid=m-photo-input]').getAttribute('capture')).toBeNull();

    await page.locator('.cat[data-code=road_damaged]').first().tap();
    const photo = await bigPhoto();
    expect(photo.length).toBeGreaterThan(LIMIT);
    await page.getByTestId('m-photo-input').setInputFiles({ name: 'IMG_20261129_235901.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByTestId('m-report-note').fill('路面破损，约一米见方');
    await expect.poll(() => page.getByTestId('m-place-hint').textContent(), { timeout: 10_000 }).toContain('已按手机定位');
    await page.getByTestId('m-report-submit').tap();

    const mine = page.locator('[data-testid=m-report-row][data-incident]');
    await mine.first().waitFor({ timeout: 20_000 });
    const incidentId = (await mine.first().getAttribute('data-incident'))!;
    await expect.poll(() => page.getByTestId('m-pending').count(), { timeout: 30_000 }).toBe(0);
    await screenshot(page, 'worker-photos-sent');
    expect(await page.getByTestId('m-conflict').count()).toBe(0);
    const detail = (await (await fetch(`${server.url}/api/incidents/${incidentId}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { media: { width: number; height: number }[] };
    expect(detail.media).toHaveLength(1);
    // Landscape as taken, at the server's full size.
    expect(detail.media[0]!.width).toBeGreaterThan(detail.media[0]!.height);
    expectNoExternal(phone.external);
  });
});

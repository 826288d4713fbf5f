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

/** A portrait photo as a phone stores it: landscape pixels and EXIF orientation 6 (turn 90° clockwise to view). */
async function sidewaysPhoto(): Promise<Buffer> {
  return sharp({ create: { width: 3200, height: 2400, channels: 3, background: { r: 60, g: 90, b: 140 }, noise: { type: 'gaussian', mean: 100, sigma: 25 } } })
    .jpeg({ quality: 92 })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

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
    await page.getByTestId('m-photo-input').setInputFiles([
      { name: 'IMG_20261129_235901.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'IMG_20261129_235907.jpg', mimeType: 'image/jpeg', buffer: await sidewaysPhoto() },
    ]);
    await page.getByTestId('m-report-note').fill('路面破损，约一米见方');
    await expect.poll(() => page.getByTestId('m-place-hint').textContent(), { timeout: 10_000 }).toContain('已按手机定位');
    // Both photos made small on the phone, shown as thumbnails, before the report can go.
    await expect.poll(() => page.getByTestId('m-photo').count(), { timeout: 60_000 }).toBe(2);
    expect(await page.getByTestId('m-photo-pending').count()).toBe(0);
    // At 360×640 the raised 巡查上报 button stands over the bottom of the page. The submit scrolled up into view
    // (as a thumb or a tap does: just enough) must be clear of it, or the tap opens a new report instead.
    const clear = await page.evaluate(() => {
      document.querySelector('.m-main')!.scrollTo(0, 0);
      const button = document.querySelector('[data-testid=m-report-submit]')!;
      button.scrollIntoView({ block: 'nearest' });
      const r = button.getBoundingClientRect();
      const x = r.left + r.width / 2;
      return [r.top + 4, r.top + r.height / 2, r.bottom - 4].map((y) => document.elementFromPoint(x, y) === button);
    });
    await screenshot(page, 'worker-photos-form');
    expect(clear).toEqual([true, true, true]);
    await page.getByTestId('m-report-submit').tap();

    const mine = page.locator('[data-testid=m-report-row][data-incident]');
    await mine.first().waitFor({ timeout: 20_000 });
    const incidentId = (await mine.first().getAttribute('data-incident'))!;
    await expect.poll(() => page.getByTestId('m-pending').count(), { timeout: 30_000 }).toBe(0);
    await screenshot(page, 'worker-photos-sent');
    expect(await page.getByTestId('m-conflict').count()).toBe(0);
    const detail = (await (await fetch(`${server.url}/api/incidents/${incidentId}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { media: { width: number; height: number }[] };
    expect(detail.media).toHaveLength(2);
    // The 48 MP photo landscape as taken; the sideways-stored one upright (EXIF orientation applied on the phone,
    // whose JPEG carries no orientation any more).
    expect(detail.media.filter((m) => m.width > m.height)).toHaveLength(1);
    expect(detail.media.filter((m) => m.height > m.width)).toHaveLength(1);
    expectNoExternal(phone.external);
  });

  it('sends a photo the phone cannot decode as it is, and shows the server\'s reason instead of losing it', { timeout: 90_000 }, async () => {
    const { page } = phone;
    await page.getByTestId('m-nav-report').tap();
    await page.getByTestId('m-report').waitFor();
    await page.locator('.cat[data-code=streetlight_out]').first().tap();
    // HEIC (what iPhones and many Android cameras write) decodes in no Chromium; some browsers give it no type.
    const heic = Buffer.concat([Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic', 'latin1'), Buffer.alloc(40_000, 7)]);
    await page.getByTestId('m-photo-input').setInputFiles({ name: 'IMG_0042.HEIC', mimeType: '', buffer: heic });
    await expect.poll(() => page.getByTestId('m-photo').count(), { timeout: 30_000 }).toBe(1);
    await page.getByTestId('m-report-submit').tap();
    await page.getByTestId('m-reports').waitFor({ timeout: 20_000 });
    const failure = page.getByTestId('m-conflict');
    await failure.first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'worker-photos-undecodable');
    expect(await failure.count()).toBe(1);
    const text = (await failure.first().textContent()) ?? '';
    expect(text).toContain('照片');
    // The server's reason in the screen's language, not its English message.
    expect(text).toContain('只能上传 JPEG、PNG、WebP 或 GIF 图片');
    expect(text).not.toMatch(/[A-Za-z]{4,} [a-z]{3,}/);
  });
});

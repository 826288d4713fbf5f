import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterWorker } from '#common/geo/types';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const INGEST_KEY = 'e2e-workers-ingest-key-0123456789';
const PASSWORD = 'worker-password-123';
/** Grid workers of the first street with a base point, each with a linked account (8: logins are limited to 10 a minute per client). */
const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: RosterWorker[] }).workers
  .filter((w) => w.role === 'grid_worker' && w.base && w.gridId.startsWith('510108001'))
  .slice(0, 8);

describe('console: grid workers on the map', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;
  const tokens = new Map<string, string>();
  const json = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
  const post = (path: string, token: string, body: unknown = {}) => fetch(`${server.url}/api${path}`, { method: 'POST', headers: json(token), body: JSON.stringify(body) });
  /** `m` metres north and `e` east of a worker's base. */
  const near = (w: RosterWorker, m: number, e: number, at: number) => ({ lng: w.base!.lng + e / 95_500, lat: w.base!.lat + m / 111_195, at: new Date(at).toISOString(), accuracy: 6 });

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `hotline:${INGEST_KEY}` } });
    browser = await launchBrowser();
    admin = await login(server);
    for (const w of roster) {
      const res = await post('/users', admin, { username: `gw-${w.id}`, displayName: w.name, password: PASSWORD, role: 'worker', regionId: w.regionId, workerId: w.id });
      expect(res.status).toBe(201);
      tokens.set(w.id, await login(server, `gw-${w.id}`, PASSWORD));
    }
    const now = Date.now();
    // Workers 0-4 on patrol with a walk of 20 fixes 5 s apart (the server clock is real: queued fixes up to 2 min
    // ahead are taken, so the walk lies after the patrol's start); 5 placed but not patrolling; 6 silent for 3
    // minutes (stale); 7 reports only once the console is open.
    for (const [i, w] of roster.slice(0, 7).entries()) {
      const token = tokens.get(w.id)!;
      if (i < 5) expect((await post('/me/patrols', token)).status).toBe(201);
      const end = i === 6 ? now - 180_000 : i < 5 ? now + 100_000 : now - 5000;
      const steps = i < 5 ? 20 : 1;
      const walk = Array.from({ length: steps }, (_, s) => near(w, (s - steps / 2) * 40 * Math.cos(i) + 50 * Math.sin(s / 3), (s - steps / 2) * 40 * Math.sin(i) + 60 * Math.sin(s / 2.5), end - (steps - 1 - s) * 5000));
      expect((await post('/me/positions', token, { positions: walk })).status).toBe(202);
    }
    // The dispatcher at the desk: live positions go to dispatchers and leaders only (not admins, walls or workers).
    expect((await post('/users', admin, { username: 'duty-w', displayName: '值班员', password: PASSWORD, role: 'dispatcher', regionId: '510108' })).status).toBe(201);
    for (const [i, w] of roster.slice(0, 4).entries()) expect((await post('/me/checkins', tokens.get(w.id)!, { lng: w.base!.lng, lat: w.base!.lat, at: new Date(now - i * 60_000).toISOString() })).status).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows live positions, a stale marker, a worker\'s track for the day, and an incident\'s photos', { timeout: 120_000 }, async () => {
    // An incident with a photo taken on the street (GPS in its EXIF), uploaded by the dispatcher's admin.
    const res = await fetch(`${server.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY },
      body: JSON.stringify({ externalId: 'w-1', source: 'hotline', category: 'garbage_exposed', title: '垃圾暴露', location: { lng: roster[0]!.base!.lng + 0.0003, lat: roster[0]!.base!.lat + 0.0005 }, reportedAt: new Date().toISOString() }),
    });
    expect(res.status).toBe(202);
    const incidentId = ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#6b8f5e' } })
      .composite([{ input: Buffer.from('<svg width="1200" height="900"><rect x="300" y="300" width="600" height="360" fill="#c9b458"/><circle cx="600" cy="480" r="120" fill="#8a5a3c"/></svg>'), top: 0, left: 0 }])
      .withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 40/1 12/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 5/1 0/1' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), 'site.jpg');
    expect((await fetch(`${server.url}/api/incidents/${incidentId}/media`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` }, body: form })).status).toBe(201);

    const { page, external, pageErrors } = await newPage(browser, `${server.url}/console`, { viewport: { width: 1440, height: 900 } });
    try {
      await page.waitForURL(/\/login/);
      await page.locator('input[name=username]').fill('duty-w');
      await page.locator('input[name=password]').fill(PASSWORD);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/console/);
      const map = page.getByTestId('map');
      await expect.poll(() => map.getAttribute('data-workers'), { timeout: 20_000 }).toBe('7');
      expect(await map.getAttribute('data-workers-stale')).toBe('1');
      await expect(page.getByTestId('map-workers').textContent()).resolves.toContain('巡查 5');

      // A worker's first fix arrives over the socket (workers:positions), no reload.
      const late = roster[7]!;
      expect((await post('/me/positions', tokens.get(late.id)!, near(late, 0, 0, Date.now()))).status).toBe(202);
      await expect.poll(() => map.getAttribute('data-workers'), { timeout: 5000 }).toBe('8');

      // Pick a patrolling worker (as a click on the marker does) and ask for today's track.
      await page.evaluate((id) => {
        const app = (document.querySelector('#app') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, { select(id: string): void }> } } } } }).__vue_app__;
        app.config.globalProperties.$pinia._s.get('workers')!.select(id);
      }, roster[0]!.id);
      await page.getByTestId('worker-card').waitFor();
      await page.getByTestId('worker-track').click();
      await expect.poll(() => page.getByTestId('worker-day').textContent(), { timeout: 5000 }).toMatch(/今日巡查 (0\.[5-9]\d|1\.\d\d) 公里 .* 打卡 1 次/);
      await page.waitForTimeout(800);
      await screenshot(page, 'console-workers-map');

      // The incident's photo in the drawer, fetched with the token; the full image opens on a click.
      await page.getByTestId('queue-row').first().click();
      const thumb = page.getByTestId('drawer-media').locator('img');
      await thumb.waitFor({ timeout: 10_000 });
      await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(320);
      await expect(page.getByTestId('drawer-history').textContent()).resolves.toContain('上传照片');
      await page.waitForTimeout(1200);
      await screenshot(page, 'console-workers');
      await page.getByTestId('drawer-media').locator('button').first().click();
      await expect.poll(() => page.getByTestId('media-lightbox').locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 5000 }).toBe(1200);
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await page.context().close();
    }
  });
});

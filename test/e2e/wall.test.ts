import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

/** The wall screen as a newcomer sees it: opened on the server's machine, no login, live data. */
describe('wall view', () => {
  let server: ServerHandle;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: '60' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows simulator incidents arriving live in the feed and on the map, with no request off the loopback', async () => {
    const { page, external, pageErrors, context } = await newPage(browser, `${server.url}/`);
    try {
      const status = page.getByTestId('connection-status');
      await expect.poll(() => status.getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
      await expect.poll(() => page.getByTestId('map').getAttribute('data-rendered-grids'), { timeout: 20_000 }).not.toBeNull();
      expect(Number(await page.getByTestId('map').getAttribute('data-rendered-grids'))).toBeGreaterThan(50);
      expect(await page.locator('h1').textContent()).toBe('智慧社区指挥中心');

      // A row arriving in the feed is opaque from its first frame: no see-through gap while it slides in.
      await page.getByTestId('incident-feed').locator('ul').evaluate((list) => {
        const seen: number[] = ((window as unknown as { feedArrivals: number[] }).feedArrivals = []);
        new MutationObserver((records) => {
          // Only rows still in the page (a node added and dropped in one flush has no computed style).
          for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLElement && n.isConnected) seen.push(Number(getComputedStyle(n).opacity));
        }).observe(list, { childList: true });
      });
      // Whatever was there at load, a new incident must arrive while we watch. Both conditions are polled
      // together: a row can also enter the list without a change (an older case flagged 未确认 after 60 s
      // moves to the top), so a new id alone does not prove a live push, nor a higher seq alone a new row.
      const before = new Set(await page.getByTestId('incident-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-incident-id'))));
      const seqBefore = Number(await status.getAttribute('data-seq'));
      await expect
        .poll(
          async () =>
            Number(await status.getAttribute('data-seq')) > seqBefore &&
            (await page.getByTestId('incident-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-incident-id')))).some((id) => !before.has(id)),
          { timeout: 10_000, interval: 200 },
        )
        .toBe(true);
      const arrivals = await page.evaluate(() => (window as unknown as { feedArrivals: number[] }).feedArrivals);
      expect(arrivals.length).toBeGreaterThan(0);
      expect(Math.min(...arrivals)).toBe(1);

      // The map draws incident points once it has settled (MapLibre idle).
      await expect.poll(async () => Number(await page.getByTestId('map').getAttribute('data-rendered-incidents')), { timeout: 15_000 }).toBeGreaterThan(0);
      const kpiOpen = page.locator('[data-kpi="open"] .value');
      await expect.poll(async () => Number(await kpiOpen.textContent()), { timeout: 10_000 }).toBeGreaterThan(0);
      await screenshot(page, 'wall-zh');

      // English is fetched on the switch (the wall starts with its Chinese texts only), then the whole screen turns.
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => page.locator('h1').textContent()).toBe('Community Command Center');
      expect(await page.getByTestId('lang-switch').textContent()).toContain('中文');
      await screenshot(page, 'wall-en');

      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('shows the stale-data banner when heartbeats stop, and recovers', async () => {
    const { page, context } = await newPage(browser, `${server.url}/`);
    try {
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
      // Cut the link from the browser side: the socket drops and the banner must say so.
      await context.setOffline(true);
      await expect.poll(() => page.getByTestId('stale-banner').count(), { timeout: 30_000 }).toBe(1);
      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('live');
      expect(await page.getByTestId('stale-banner').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('lets staff sign in to the console', async () => {
    const { page, context, external } = await newPage(browser, `${server.url}/console`);
    try {
      await page.waitForURL(/\/login/);
      await page.locator('input[name=username]').fill('admin');
      await page.locator('input[name=password]').fill('wrong-password');
      await page.locator('button[type=submit]').click();
      await expect.poll(() => page.getByRole('alert').textContent()).toBe('用户名或密码错误');
      await page.locator('input[name=password]').fill(server.adminPassword);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/console/);
      await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await screenshot(page, 'console');
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });
});

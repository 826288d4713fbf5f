import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

/** A wall opened with a rotating link walks its themes on the ONE map: overview → aging and care → effectiveness. */
describe('wall theme rotation', () => {
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

  it('shows the next theme when its slot starts (test clock), each at 1920×1080', async () => {
    const admin = await login(server);
    const res = await fetch(`${server.url}/api/wall-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ label: 'rotating', days: 1, rotation: { themes: ['overview', 'care', 'effectiveness'], minutes: 5 } }),
    });
    expect(res.status).toBe(201);
    const { token } = (await res.json()) as { token: string };

    const { page, context, external, pageErrors } = await newPage(browser, 'about:blank');
    try {
      // The next 15-minute cycle start (the slots are aligned to the clock): overview for 5 min, then care, then effectiveness.
      const cycle = 15 * 60_000;
      const start = Math.ceil(Date.now() / cycle) * cycle;
      await page.clock.install({ time: start + 5_000 });
      await page.goto(`${server.url}/?wall=${token}`);
      const wall = page.locator('.wall');
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
      await expect.poll(() => page.getByTestId('map').getAttribute('data-rendered-grids'), { timeout: 20_000 }).not.toBeNull();
      expect(await wall.getAttribute('data-theme')).toBe('overview');
      expect(await page.getByTestId('wall-theme-tag').textContent()).toContain('总览');
      expect(await page.getByTestId('wall-effectiveness').count()).toBe(0);
      await page.waitForTimeout(1500);
      await screenshot(page, 'wall-theme-overview');

      await page.clock.fastForward('05:00');
      await expect.poll(() => wall.getAttribute('data-theme'), { timeout: 5_000 }).toBe('care');
      expect(await wall.getAttribute('data-metric')).toBe('aging65');
      expect(await page.getByTestId('care-wall-panel').count()).toBe(1);
      expect(await page.getByTestId('incident-item').count()).toBe(0);
      // The special-groups carousel moved to the right (one instance, not a copy).
      expect(await page.locator('.right .carousel').count()).toBe(1);
      expect(await page.locator('.left .carousel').count()).toBe(0);
      await page.waitForTimeout(2500);
      await screenshot(page, 'wall-theme-care');

      await page.clock.fastForward('05:00');
      await expect.poll(() => wall.getAttribute('data-theme'), { timeout: 5_000 }).toBe('effectiveness');
      expect(await wall.getAttribute('data-metric')).toBe('');
      await expect.poll(() => page.getByTestId('wall-effectiveness').getAttribute('data-received'), { timeout: 10_000 }).not.toBe('');
      // ECharts drew into its canvas.
      expect(await page.getByTestId('wall-effectiveness-chart').locator('canvas').count()).toBe(1);
      await page.getByTestId('lang-switch').click();
      expect(await page.getByTestId('wall-theme-tag').textContent()).toContain('Effectiveness');
      await page.getByTestId('lang-switch').click();
      await page.waitForTimeout(1500);
      await screenshot(page, 'wall-theme-effectiveness');

      await page.clock.fastForward('05:00');
      await expect.poll(() => wall.getAttribute('data-theme'), { timeout: 5_000 }).toBe('overview');
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });
});

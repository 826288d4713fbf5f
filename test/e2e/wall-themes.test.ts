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
      await page.getByTestId('lang-switch').click(); // English is fetched on the switch
      await expect.poll(() => page.getByTestId('wall-theme-tag').textContent()).toContain('Effectiveness');
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

/**
 * The admin screen of wall links (console → 系统管理 → 大屏链接): issue a rotating link for a street, copy it, edit
 * it, reissue it (the old address stops, the new one is shown once and copied), revoke it.
 */
describe('wall links on the admin screen', () => {
  let server: ServerHandle;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an admin creates a rotating street link; the wall opened on it rotates and follows an edit; reissue ends the old address; a revoked link stops working', async () => {
    const admin = await newPage(browser, `${server.url}/console/admin?tab=walls`, { viewport: { width: 1440, height: 900 } });
    const wall = await newPage(browser, 'about:blank', { viewport: { width: 1920, height: 1080 } });
    const page = admin.page;
    try {
      page.on('dialog', (d) => void d.accept());
      await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      await page.waitForURL(/\/login/);
      await page.locator('input[name=username]').fill('admin');
      await page.locator('input[name=password]').fill(server.adminPassword);
      await page.locator('button[type=submit]').click();
      await page.getByTestId('admin-wall-links').waitFor();

      await page.getByTestId('wall-link-label').fill('指挥大厅主屏');
      await page.getByTestId('wall-theme-overview').check();
      await page.getByTestId('wall-theme-effectiveness').check();
      await page.getByTestId('wall-dwell').fill('30');
      // The region picker offers the admin's subtree (the district here): the link shows one street.
      await page.getByTestId('wall-link-region').selectOption('510108001');
      await page.getByTestId('wall-link-create').click();
      const urlInput = page.getByTestId('wall-link-url');
      await expect.poll(() => urlInput.inputValue()).toMatch(/\/\?wall=/);
      const url = await urlInput.inputValue();
      expect(url.startsWith(`${server.url}/?wall=`)).toBe(true);
      await page.getByTestId('wall-link-copy').click();
      await expect.poll(() => page.getByTestId('wall-link-copy').textContent()).toContain('已复制');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
      const row = page.getByTestId('wall-link-row').filter({ hasText: '指挥大厅主屏' });
      await expect.poll(() => row.textContent()).toContain('总览 → 治理成效 · 每 30 秒');
      expect(await row.getByTestId('wall-link-region-cell').textContent()).toContain('猛追湾街道');
      await screenshot(page, 'admin-wall-links');

      // The wall on that link: 30-second slots aligned to the clock (test clock), overview first at a minute's start.
      const start = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
      await wall.page.clock.install({ time: start + 2_000 });
      await wall.page.goto(url);
      const screen = wall.page.locator('.wall');
      await expect.poll(() => wall.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
      expect(await screen.getAttribute('data-theme')).toBe('overview');
      await wall.page.clock.fastForward('00:30');
      await expect.poll(() => screen.getAttribute('data-theme'), { timeout: 5_000 }).toBe('effectiveness');
      // The wall is scoped to the link's street: its region tree starts there.
      const oldToken = new URL(url).searchParams.get('wall')!;
      const me = (await (await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${oldToken}` } })).json()) as { regionId: string };
      expect(me.regionId).toBe('510108001');

      // The admin swaps effectiveness for aging-and-care: the wall follows when its next slot starts.
      await row.getByTestId('wall-link-edit').click();
      await row.getByTestId('wall-theme-effectiveness').uncheck();
      await row.getByTestId('wall-theme-care').check();
      await row.getByTestId('wall-link-save').click();
      await expect.poll(() => row.textContent()).toContain('总览 → 老龄与关爱 · 每 30 秒');
      await wall.page.clock.fastForward('00:30');
      await expect.poll(() => screen.getAttribute('data-theme'), { timeout: 5_000 }).toBe('overview');
      await wall.page.clock.fastForward('00:30');
      await expect.poll(() => screen.getAttribute('data-theme'), { timeout: 5_000 }).toBe('care');
      expect(await screen.getAttribute('data-metric')).toBe('aging65');

      // Reissue (confirmed): a new address shown once and copied; the old one fails at once, and the wall on it
      // falls back to the sign-in screen at its next read.
      await row.getByTestId('wall-link-reissue').click();
      await expect.poll(() => page.getByTestId('wall-link-fresh').textContent()).toContain('已重新生成「指挥大厅主屏」的链接');
      await expect.poll(() => urlInput.inputValue()).not.toBe(url);
      const reissued = await urlInput.inputValue();
      expect(reissued.startsWith(`${server.url}/?wall=`)).toBe(true);
      await page.getByTestId('wall-link-copy').click();
      await expect.poll(() => page.getByTestId('wall-link-copy').textContent()).toContain('已复制');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reissued);
      await screenshot(page, 'admin-wall-links-reissued');
      expect((await fetch(`${server.url}/api/wall-links/current`, { headers: { authorization: `Bearer ${oldToken}` } })).status).toBe(401);
      const token = new URL(reissued).searchParams.get('wall');
      const current = await fetch(`${server.url}/api/wall-links/current`, { headers: { authorization: `Bearer ${token}` } });
      expect(await current.json()).toEqual({ rotation: { themes: ['overview', 'care'], seconds: 30 }, regionId: '510108001' });
      // Each fast-forward starts a slot, whose settings read gets the 401 (a loaded machine may need a second one).
      await expect
        .poll(async () => {
          if (!wall.page.url().includes('/login')) await wall.page.clock.fastForward('00:30');
          return wall.page.url();
        }, { timeout: 30_000, interval: 2_000 })
        .toContain('/login');

      await row.getByTestId('wall-link-revoke').click();
      await expect.poll(() => row.textContent()).toContain('已撤销');
      expect(await row.getByTestId('wall-link-edit').count()).toBe(0);
      await expect
        .poll(async () => (await fetch(`${server.url}/api/wall-links/current`, { headers: { authorization: `Bearer ${token}` } })).status, { timeout: 10_000 })
        .toBe(401);
      expect(admin.pageErrors).toEqual([]);
      expect(wall.pageErrors).toEqual([]);
      expectNoExternal(admin.external);
      expectNoExternal(wall.external);
    } finally {
      await admin.context.close();
      await wall.context.close();
    }
  });
});

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const GBK_FILE = new URL('../fixtures/parties/parties-gbk.csv', import.meta.url).pathname;

/** An admin keeps the registry of partners (协作单位) from the console: add, edit, import, delete. */
describe('partners registry in the console', () => {
  let server: ServerHandle;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('adds, edits, imports and deletes partners', { timeout: 90_000 }, async () => {
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/login?next=/console/parties`, { viewport: { width: 1440, height: 900 } });
    try {
      await page.locator('input[name=username]').fill('admin');
      await page.locator('input[name=password]').fill(server.adminPassword);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/console\/parties/);
      const rows = page.getByTestId('party-row');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(10);
      const seeded = await rows.count();
      await expect(page.getByText('演示数据').first().isVisible()).resolves.toBe(true);

      // Add a volunteer team for 噪声 in one community; missing fields are named before anything is sent.
      await page.getByTestId('party-new').click();
      const form = page.getByTestId('party-form');
      await form.locator('select[name=kind]').selectOption('volunteer_team');
      await page.getByTestId('party-save').click();
      await expect(page.getByTestId('party-problem').textContent()).resolves.toContain('名称');
      await form.locator('input[name=name]').fill('志强社区夜间巡逻志愿队');
      await form.locator('input[name=contactName]').fill('周志强');
      await form.locator('input[name=contactPhone]').fill('13700002222');
      await form.locator('label.chip').filter({ hasText: '施工扰民' }).click();
      await form.locator('label.chip').filter({ hasText: '志强社区' }).first().click();
      await screenshot(page, 'console-parties-form');
      await page.getByTestId('party-save').click();
      await expect.poll(() => rows.count()).toBe(seeded + 1);
      await page.getByTestId('party-search').fill('夜间巡逻');
      await expect.poll(() => rows.count()).toBe(1);
      await expect(rows.first().textContent()).resolves.toContain('周志强 13700002222');

      // Edit: it covers noise too.
      await rows.first().getByTestId('party-edit').click();
      await form.locator('input[name=name]').fill('志强社区夜间巡逻队');
      await page.getByTestId('party-save').click();
      await expect.poll(() => rows.first().textContent()).toContain('志强社区夜间巡逻队');

      // Import a GBK file saved by Excel: two rows in, the bad one named by line.
      await page.getByTestId('party-search').fill('');
      await page.getByTestId('party-import').setInputFiles(GBK_FILE);
      await expect.poll(() => page.getByTestId('party-message').textContent(), { timeout: 10_000 }).toContain('导入 2 家');
      await expect(page.getByTestId('party-import-errors').textContent()).resolves.toContain('第 3 行');
      await expect.poll(() => rows.count()).toBe(seeded + 3);

      // Delete the new team after confirming.
      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('party-search').fill('夜间巡逻');
      await rows.first().getByTestId('party-delete').click();
      await expect.poll(() => rows.count()).toBe(0);
      const api = await fetch(`${server.url}/api/parties`, { headers: { Authorization: `Bearer ${await login(server)}` } });
      expect(((await api.json()) as { items: { name: string }[] }).items.some((p) => p.name.includes('夜间巡逻'))).toBe(false);

      await page.getByTestId('party-search').fill('');
      await page.getByTestId('party-kind-filter').selectOption({ label: '物业公司' });
      await screenshot(page, 'console-parties');
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });
});

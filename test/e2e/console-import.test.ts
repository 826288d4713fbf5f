import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PopulationReply } from '#common/population/types';
import { cstMonth } from '#server/population/seed';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const GRID_1 = '510108003002001';
const GRID_2 = '510108003002002';
const MONTH = cstMonth(new Date());

/** A registry export with Chinese headers: 4 people in two households of grid 1, 3 in grid 2, and two bad rows. */
const CSV_LINES = [
  '网格编码,月份,姓名,性别,出生日期,户籍类型,户编号,独居老人',
  `${GRID_1},${MONTH},张*一,男,1948-03-02,户籍,H001,是`,
  `${GRID_1},${MONTH},李*二,女,1952-11-20,户籍,H002,否`,
  `510108003002999,${MONTH},王*三,女,1990-01-01,户籍,H009,否`, // line 4: no such grid
  `${GRID_1},${MONTH},李*四,男,1985-06-15,流动,H002,否`,
  `${GRID_1},${MONTH},赵*五,女,2012-09-09,户籍,H002,`,
  `${GRID_2},${MONTH},钱*六,男,1961-04-30,户籍,H101,否`,
  `${GRID_2},${MONTH},孙*七,女,1999-02-31,户籍,H101,否`, // line 8: 31 February
  `${GRID_2},${MONTH},周*八,女,1970-07-07,流动,H102,否`,
  `${GRID_2},${MONTH},吴*九,男,1933-12-01,户籍,H103,是`,
];
const BAD_LINES = [4, 8];

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.waitForURL(/\/login/);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.locator('button[type=submit]').click();
  await page.waitForURL(/\/console/);
  await page.getByTestId('queue').waitFor();
}

describe('population import in the console', () => {
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

  it('lets an admin upload a CSV, with progress, counts and per-row errors, and stores the month', async () => {
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/console`);
    try {
      await signIn(page, 'admin', server.adminPassword);
      const panel = page.getByTestId('population-import');
      await expect(panel.locator('header').textContent()).resolves.toContain('人口数据导入');

      // Blank lines after the data make the file large enough for the upload to take several progress events.
      const csv = `${CSV_LINES.join('\n')}\n${'\n'.repeat(3 * 1024 * 1024)}`;
      await page.getByTestId('population-import-file').setInputFiles({ name: '人口明细.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await expect.poll(() => page.getByTestId('population-import-filename').textContent()).toContain('编码 UTF-8');
      // Record every percentage the bar shows.
      await page.evaluate(() => {
        const w = window as unknown as { seenPercents: number[] };
        w.seenPercents = [];
        new MutationObserver((records) => {
          for (const r of records) {
            const v = (r.target as HTMLElement).dataset.percent;
            if (v !== undefined) w.seenPercents.push(Number(v));
          }
        }).observe(document.querySelector('[data-testid=population-import]')!, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-percent'] });
      });
      await page.getByTestId('population-import-submit').click();

      const progress = page.getByTestId('population-import-progress');
      await expect.poll(() => progress.getAttribute('data-percent'), { timeout: 15_000 }).toBe('100');
      await expect(progress.textContent()).resolves.toContain('100%');
      await expect(progress.textContent()).resolves.toContain('3 MB');
      await expect.poll(() => panel.getAttribute('data-phase'), { timeout: 15_000 }).toBe('done');
      const seen = await page.evaluate(() => (window as unknown as { seenPercents: number[] }).seenPercents);
      expect(seen.at(-1)).toBe(100);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));

      const result = page.getByTestId('population-import-result');
      expect(await result.getAttribute('data-accepted')).toBe('7');
      expect(await result.getAttribute('data-rejected')).toBe('2');
      expect(await result.getAttribute('data-grid-months')).toBe('2');
      await expect(result.textContent()).resolves.toContain('人员明细');
      const rows = page.getByTestId('population-import-errors').locator('tbody tr');
      expect((await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))))).sort((a, b) => a - b)).toEqual(BAD_LINES);
      await expect(rows.first().textContent()).resolves.toContain('grid_id');
      await expect(rows.first().textContent()).resolves.toContain('unknown grid');
      await expect(rows.nth(1).textContent()).resolves.toContain('birth_date');
      await page.waitForTimeout(300);
      await screenshot(page, 'console-import');

      // The month is stored: the grid's population now counts the imported residents.
      const token = await login(server);
      const res = await fetch(`${server.url}/api/population?regionId=${GRID_1}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const reply = (await res.json()) as PopulationReply;
      expect(reply.month).toBe(MONTH);
      expect(reply.indicators?.residents).toBe(4);
      expect(reply.aggregate?.households).toBe(2);
      expect(reply.aggregate?.groups.livingAlone).toBe(1);

      // The map's grid panel shows the same residents as the registry, not the households estimate.
      await page.goto(`${server.url}/`);
      for (const id of ['510108003', '510108003002', GRID_1]) await page.locator(`[data-testid=breadcrumb-child][data-region-id="${id}"]`).click();
      const population = page.getByTestId('grid-panel-population');
      await expect.poll(() => population.getAttribute('data-source'), { timeout: 20_000 }).toBe('registry');
      await expect.poll(() => population.getAttribute('data-value')).toBe('4');

      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('shows a server error as text, never as HTML', async () => {
    const { page, context, external } = await newPage(browser, `${server.url}/console`);
    try {
      await signIn(page, 'admin', server.adminPassword);
      await page.route('**/api/population/import**', (route) =>
        route.fulfill({ status: 413, contentType: 'application/json', body: JSON.stringify({ error: { code: 'population/too_large', message: '<b>File too large</b>' } }) }),
      );
      await page.getByTestId('population-import-file').setInputFiles({ name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV_LINES.join('\n')) });
      await page.getByTestId('population-import-submit').click();
      const alert = page.getByTestId('population-import-error');
      // Our own Chinese text for the code, never the server's (English, here hostile) message.
      await expect.poll(() => alert.textContent(), { timeout: 10_000 }).toContain('请求被拒绝（population/too_large）');
      expect(await alert.textContent()).not.toContain('File too large');
      expect(await alert.getAttribute('data-status')).toBe('413');
      expect(await alert.locator('b').count()).toBe(0);
      expect(await page.getByTestId('population-import').getAttribute('data-phase')).toBe('failed');
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('is not shown to a leader', async () => {
    const token = await login(server);
    const created = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'leader1', displayName: '街道领导', password: 'leader-password-42', role: 'leader', regionId: '510108003' }),
    });
    expect(created.status).toBe(201);
    const { page, context, external } = await newPage(browser, `${server.url}/console`);
    try {
      await signIn(page, 'leader1', 'leader-password-42');
      await expect(page.locator('.who').textContent()).resolves.toBe('街道领导');
      expect(await page.getByTestId('population-import').count()).toBe(0);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });
});

/**
 * The console's community desk, admin side (1440×900): a care-registry CSV uploaded in the registry tab reports
 * each bad row by line and column in Chinese and imports the rest; the visit tier form changes an interval and
 * the visit list follows. Screenshots: the import result and the tier form.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

const GRID = '510108003002001';
const CSV = [
  '编号,网格编码,姓名,电话,出生日期,独居,空巢,状况,住址',
  `E2E-1,${GRID},钱奶奶,13700000001,1938-02-01,是,否,,1栋`,
  `E2E-2,${GRID},孙爷爷,,1941-13-01,是,否,,2栋`, // line 3: no such month
  `E2E-3,999999999999999,李奶奶,,1940-01-01,否,否,,3栋`, // line 4: no such grid
  `E2E-4,${GRID},周爷爷,,1944-05-05,也许,否,失明,4栋`, // line 5: not yes/no, unknown condition
  `E2E-5,${GRID},吴奶奶,,1939-09-09,否,是,特困,5栋`,
].join('\n');

async function tiers(server: ServerHandle, token: string) {
  const res = await fetch(`${server.url}/api/care/tiers`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()) as { rules: { tier: string; interval: { days?: number; months?: number } }[]; custom: boolean };
}

describe('community desk: registry upload and visit tiers', () => {
  let server: ServerHandle;
  let browser: Browser;
  let desk: PageHandle;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    admin = await login(server);
    browser = await launchBrowser();
    desk = await newPage(browser, `${server.url}/console/community`, { viewport: { width: 1440, height: 900 } });
    const { page } = desk;
    await page.waitForURL(/\/login/);
    await page.locator('input[name=username]').fill('admin');
    await page.locator('input[name=password]').fill(server.adminPassword);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/console\/community/);
  }, 180_000);
  afterAll(async () => {
    await desk?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('uploads a care-registry CSV: bad rows by line and column in Chinese, the rest imported', { timeout: 60_000 }, async () => {
    const { page } = desk;
    await page.getByTestId('community-tab-registry').click();
    await page.getByTestId('care-import-file').setInputFiles({ name: '关爱名册.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    await page.getByTestId('care-import-submit').click();
    const result = page.getByTestId('care-import-result');
    await result.waitFor({ timeout: 20_000 });
    expect(await result.getAttribute('data-rows')).toBe('5');
    expect(await result.getAttribute('data-accepted')).toBe('2');
    expect(await result.getAttribute('data-rejected')).toBe('3');
    const rows = page.getByTestId('care-import-errors').locator('tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-line')))).toEqual(['3', '4', '5', '5']);
    const text = (await page.getByTestId('care-import-errors').textContent()) ?? '';
    expect(text).toContain('网格编码 999999999999999 不存在');
    expect(text).toContain('应为“是/否”，实为“也许”');
    expect(text).toContain('未知状况“失明”');
    expect(text).toContain('出生日期 · birth_date');
    expect(text).toContain('日期应为 年-月-日');
    // The registry below lists the imported residents (full names for an admin).
    await expect.poll(() => page.getByTestId('community-registry').locator('tbody tr').filter({ hasText: '吴奶奶' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('community-registry').locator('tbody tr').filter({ hasText: '孙爷爷' }).count()).toBe(0);
    await screenshot(page, 'community-registry-import');
  });

  it('edits the visit tiers: a monthly interval of 14 days is stored and read back', { timeout: 60_000 }, async () => {
    const { page } = desk;
    expect((await tiers(server, admin)).custom).toBe(false);
    await page.getByTestId('community-tab-tiers').click();
    const form = page.getByTestId('community-tiers');
    await expect.poll(() => form.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await page.getByTestId('tier-every-monthly').fill('14');
    await page.getByTestId('tier-unit-monthly').selectOption('days');
    await page.getByTestId('tier-name-monthly').fill('失能失智特困（两周）');
    await page.getByTestId('tiers-save').click();
    await expect.poll(() => page.getByTestId('tiers-note').textContent(), { timeout: 10_000 }).toContain('已保存');
    const after = await tiers(server, admin);
    expect(after.custom).toBe(true);
    expect(after.rules.find((r) => r.tier === 'monthly')?.interval).toEqual({ days: 14 });
    await screenshot(page, 'community-tiers');
    // A bad value is refused with the code's text, and nothing changes.
    await page.getByTestId('tier-every-weekly').fill('0');
    await page.getByTestId('tiers-save').click();
    await expect.poll(() => page.getByTestId('tiers-note').textContent(), { timeout: 10_000 }).toContain('探访分级表有误');
    expect((await tiers(server, admin)).rules.find((r) => r.tier === 'weekly')?.interval).toEqual({ days: 7 });
    expectNoExternal(desk.external);
  });
});

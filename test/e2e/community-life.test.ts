/**
 * Community life in Chromium: staff create an activity in the console calendar, record registrations and
 * attendance; a visit logged in the visit list for a lone elderly resident changes that grid's isolation
 * indicator on the wall (pushed, no reload). Screenshots: the wall panel (1920×1080), the calendar (1440×900).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

const STREET = '510108003';
const ZHIQIANG = '510108003002';
const GRID = '510108003002001';

async function mapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const d = (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset;
    return !!d && d.mapState === 'idle' && Number(d.renderedGrids ?? 0) > 0;
  }, null, { timeout: 60_000 });
}

describe('community life', () => {
  let server: ServerHandle;
  let browser: Browser;
  let wall: PageHandle;
  let desk: PageHandle;
  let admin: string;
  const lone: string[] = [];

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off' } });
    admin = await login(server);
    // Six lone residents aged 80+ who nobody has reached yet: the grid's figure is shown on a wall (a group ≥ 5),
    // before and after one of them is visited (neither the reached nor the unreached may then be 1..4).
    for (const name of ['甲奶奶', '乙爷爷', '丙奶奶', '丁爷爷', '戊奶奶', '己爷爷']) {
      const res = await fetch(`${server.url}/api/care/residents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ gridId: GRID, name, birthDate: '1939-06-01', livingAlone: true }),
      });
      expect(res.status).toBe(201);
      lone.push(((await res.json()) as { id: string }).id);
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await wall?.context.close();
    await desk?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('shows the community-life panel and the isolation choropleth on the wall', async () => {
    wall = await newPage(browser, `${server.url}/?metric=isolation`);
    const { page } = wall;
    const panel = page.getByTestId('care-wall-panel');
    await expect.poll(() => page.getByTestId('care-isolation').getAttribute('data-value'), { timeout: 20_000 }).not.toBe('');
    await expect(panel.textContent()).resolves.toContain('本周活动');
    await expect.poll(() => page.getByTestId('care-teams').locator('li').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('care-week').locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('care-trend').locator('.bar').count()).toBe(8);
    await expect.poll(() => page.getByTestId('map-legend').getAttribute('data-metric')).toBe('isolation');
    // No resident, phone or volunteer's name anywhere on the wall.
    expect(await page.locator('body').textContent()).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)|甲奶奶/);
    await mapIdle(page);
    await page.waitForTimeout(800);
    await screenshot(page, 'community-life-wall');
    expectNoExternal(wall.external);
  });

  let before = NaN;
  it('opens the grid panel with its care figures', async () => {
    const { page } = wall;
    for (const id of [STREET, ZHIQIANG, GRID]) await page.locator(`[data-testid=breadcrumb-child][data-region-id="${id}"]`).click();
    const care = page.getByTestId('grid-panel-community');
    await expect.poll(() => care.getAttribute('data-isolation'), { timeout: 15_000 }).toMatch(/^0?\.\d+|^1$/);
    before = Number(await care.getAttribute('data-isolation'));
    expect(before).toBeGreaterThan(0);
  });

  it('staff create an activity, record registrations and attendance', { timeout: 120_000 }, async () => {
    desk = await newPage(browser, `${server.url}/console/community`, { viewport: { width: 1440, height: 900 } });
    const { page } = desk;
    await page.waitForURL(/\/login/);
    await page.locator('input[name=username]').fill('admin');
    await page.locator('input[name=password]').fill(server.adminPassword);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/console\/community/);
    await expect.poll(() => page.getByTestId('calendar-occurrence').count(), { timeout: 15_000 }).toBeGreaterThan(0);

    await page.getByTestId('activity-new').click();
    await page.getByTestId('activity-title').fill('测试书画班');
    await page.getByTestId('activity-venue').fill('志强社区党群服务中心');
    const day = new Date(Date.now() + 8 * 3600_000 - 86_400_000).toISOString().slice(0, 10); // yesterday, CST
    await page.getByTestId('activity-start').fill(`${day}T09:30`);
    await page.getByTestId('activity-repeat').fill('4');
    await page.getByTestId('activity-create').click();
    const mine = page.locator('[data-testid=calendar-occurrence][data-title="测试书画班"]');
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBeGreaterThan(0);

    await mine.first().click();
    const regs = page.getByTestId('registrations');
    for (const [name, phone, age] of [['王秀兰', '13811112222', '72'], ['李建国', '', '66']] as const) {
      await page.getByTestId('reg-name').fill(name);
      await page.getByTestId('reg-phone').fill(phone);
      await page.getByTestId('reg-age').fill(age);
      await page.getByTestId('reg-add').click();
      await expect.poll(() => regs.textContent()).toContain(name);
    }
    await expect.poll(() => page.getByTestId('registration').count()).toBe(2);
    await page.getByTestId('reg-attended').first().check();
    await page.getByTestId('attendance-save').click();
    await expect.poll(() => regs.locator('.meta').textContent()).toContain('到场 1');
    await expect(regs.locator('.meta').textContent()).resolves.toContain('已报名 2');
    await page.waitForTimeout(300);
    await screenshot(page, 'community-life-calendar');
    await page.getByTestId('calendar-week').click();
    await expect.poll(() => page.getByTestId('community-calendar').getAttribute('data-view')).toBe('week');
    await screenshot(page, 'community-life-calendar-week');
    expectNoExternal(desk.external);
    expect(desk.pageErrors).toEqual([]);
  });

  it('a visit logged for a lone resident changes the grid’s isolation indicator on the wall', { timeout: 60_000 }, async () => {
    const { page } = desk;
    await page.getByTestId('community-tab-visits').click();
    const row = page.locator(`[data-testid=visit-row][data-resident-id="${lone[0]}"]`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    // Overdue rows come first.
    const flags = await page.getByTestId('visit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-overdue')));
    expect(flags.indexOf('false')).toBeGreaterThan(-1);
    expect(flags.slice(flags.indexOf('false')).includes('true')).toBe(false);
    await row.getByTestId('visit-log').click();
    await page.getByTestId('visit-visitor').fill('网格员小张');
    await page.getByTestId('visit-save').click();
    await expect.poll(() => row.locator('td').nth(3).textContent()).not.toBe('—');

    const care = wall.page.getByTestId('grid-panel-community');
    await expect.poll(async () => {
      const v = await care.getAttribute('data-isolation');
      return v ? Number(v) : NaN; // '' (hidden on a wall) is no figure
    }, { timeout: 15_000 }).toBeLessThan(before);
    await screenshot(wall.page, 'community-life-wall-grid');
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_BANDS, SEXES } from '#common/population/types';
import { bandColumn } from '#common/population/registry-columns';
import { cstMonth } from '#server/population/seed';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

const STREET = '510108003';
const ZHIQIANG = '510108003002';
const GRID = '510108003002001';

const attr = (page: Page, testId: string, name: string) => page.getByTestId(testId).getAttribute(name);

/** Map idle with grids drawn. */
async function mapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const d = (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset;
    return !!d && d.mapState === 'idle' && Number(d.renderedGrids ?? 0) > 0;
  }, null, { timeout: 60_000 });
}

describe('population on the wall', () => {
  let server: ServerHandle;
  let browser: Browser;
  let h: PageHandle;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: '60' } });
    browser = await launchBrowser();
    // The wall's URL picks the aging choropleth: an unattended screen needs no clicks.
    h = await newPage(browser, `${server.url}/?metric=aging65`);
  });
  afterAll(async () => {
    await h?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('draws the pyramid, the trend and the aging choropleth with Chinese labels', async () => {
    const { page } = h;
    await expect.poll(() => attr(page, 'connection-status', 'data-state'), { timeout: 15_000 }).toBe('live');
    await expect.poll(() => attr(page, 'population-pyramid', 'data-region-id'), { timeout: 15_000 }).toBe('510108');
    expect(Number(await attr(page, 'population-pyramid', 'data-residents'))).toBeGreaterThan(100_000);
    expect(await attr(page, 'population-trend', 'data-months')).toBe('24');
    await expect(page.getByTestId('population-pyramid').locator('header').textContent()).resolves.toContain('人口金字塔');
    await expect(page.getByTestId('population-trend').locator('header').textContent()).resolves.toContain('老龄化趋势');
    await expect(page.getByTestId('population-summary').textContent()).resolves.toMatch(/65岁及以上[\s\S]*%/);
    // The charts drew on their canvases.
    expect(await page.getByTestId('population-pyramid').locator('canvas').count()).toBeGreaterThan(0);
    const legend = page.getByTestId('map-legend');
    await expect.poll(() => legend.getAttribute('data-metric')).toBe('aging65');
    await expect(legend.textContent()).resolves.toContain('65岁及以上人口占比');
    await mapIdle(page);
    await page.waitForTimeout(800);
    await screenshot(page, 'population-wall');
  });

  it('follows a community selected on the map', async () => {
    const { page } = h;
    const before = await attr(page, 'population-pyramid', 'data-residents');
    for (const id of [STREET, ZHIQIANG]) await page.locator(`[data-testid=breadcrumb-child][data-region-id="${id}"]`).click();
    await expect.poll(() => attr(page, 'population-pyramid', 'data-region-id'), { timeout: 15_000 }).toBe(ZHIQIANG);
    const after = await attr(page, 'population-pyramid', 'data-residents');
    expect(Number(after)).toBeGreaterThan(0);
    expect(after).not.toBe(before);
    await expect(page.getByTestId('population-summary').textContent()).resolves.toContain('志强社区');
    await expect.poll(() => attr(page, 'population-rank', 'data-count')).not.toBe('0');
    await mapIdle(page);
    await page.waitForTimeout(800);
    await screenshot(page, 'population-community');
  });

  it('shows the care section of a grid, and updates live when an admin imports a month', async () => {
    const { page } = h;
    await page.locator(`[data-testid=breadcrumb-child][data-region-id="${GRID}"]`).click();
    const care = page.getByTestId('grid-panel-care');
    await expect.poll(() => care.getAttribute('data-living-alone'), { timeout: 15_000 }).not.toBe('');
    await expect(care.textContent()).resolves.toContain('独居老人');

    const before = await attr(page, 'population-pyramid', 'data-residents');
    // A plausible grid of about a thousand residents, older than the demo's.
    const male = [18, 21, 22, 20, 24, 30, 38, 36, 33, 38, 42, 40, 36, 32, 24, 17, 11, 6, 2, 1, 0];
    const female = [17, 20, 21, 19, 23, 29, 37, 35, 33, 39, 44, 43, 40, 37, 29, 22, 15, 9, 4, 1, 0];
    const cells = [...male, ...female];
    const total = cells.reduce((s, c) => s + c, 0);
    const csv = [
      ['grid_id', 'month', 'households', 'registered', 'floating', ...SEXES.flatMap((s) => AGE_BANDS.map((b) => bandColumn(s, b))), 'living_alone'].join(','),
      [GRID, cstMonth(new Date()), 300, total, 0, ...cells, 3].join(','),
    ].join('\n');
    const token = await login(server);
    const res = await fetch(`${server.url}/api/population/import`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' }, body: csv });
    expect(res.status).toBe(200);
    await expect.poll(() => attr(page, 'population-pyramid', 'data-residents'), { timeout: 15_000 }).toBe(String(total));
    expect(before).not.toBe(String(total));
    // The wall never shows the 3: its grid cell reads "<5".
    await expect.poll(() => care.getAttribute('data-living-alone'), { timeout: 15_000 }).toBe('<5');
    // Its rank among the grids of its community.
    await expect.poll(() => attr(page, 'population-rank', 'data-count')).not.toBe('0');
    await page.waitForTimeout(800);
    await screenshot(page, 'population-grid-care');

    expect(h.pageErrors).toEqual([]);
    expectNoExternal(h.external);
  });

  it('turns the bottom of the left column by itself', async () => {
    const { page } = h;
    const carousel = page.getByTestId('population-carousel');
    const first = await carousel.getAttribute('data-set');
    await expect.poll(() => carousel.getAttribute('data-set'), { timeout: 25_000, interval: 500 }).not.toBe(first);
    await page.locator('[data-testid=breadcrumb][data-region-id="510108003002"]').click();
    await expect.poll(() => attr(page, 'population-pyramid', 'data-region-id'), { timeout: 15_000 }).toBe('510108003002');
    await page.waitForTimeout(1200);
    await screenshot(page, `population-set-${await carousel.getAttribute('data-set')}`);
    expect(h.pageErrors).toEqual([]);
    expectNoExternal(h.external);
  });
});

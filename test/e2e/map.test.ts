import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expectNoExternal, launchBrowser, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

const STREET = '510108003';
const ZHIQIANG = '510108003002';
const GRID = '510108003002001';

const mapData = (page: Page) =>
  page.getByTestId('map').evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string | undefined>);

/** Wait until the map has moved away from `zoom` and is idle again (a flight has ended). */
async function settled(page: Page, fromZoom?: string): Promise<Record<string, string | undefined>> {
  await page.waitForFunction(
    (z) => {
      const d = (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset;
      return !!d && d.mapState === 'idle' && Number(d.renderedGrids ?? 0) > 0 && (z === undefined || d.mapZoom !== z);
    },
    fromZoom,
    { timeout: 60_000 },
  );
  return mapData(page);
}

const current = (page: Page) => page.locator('[data-testid=breadcrumb][aria-current=location]').getAttribute('data-region-id');

describe('wall map', () => {
  let server: ServerHandle;
  let browser: Browser;
  let h: PageHandle;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: '240' } });
    browser = await launchBrowser();
    h = await newPage(browser, `${server.url}/`);
  });

  afterAll(async () => {
    await h?.context.close();
    await browser?.close();
    await server?.stop();
  });

  it('draws the district’s grids with Chinese labels and live incidents', async () => {
    const d = await settled(h.page);
    expect(Number(d.renderedGrids)).toBeGreaterThan(100);
    await h.page.waitForFunction(() => Number((document.querySelector('[data-testid=map]') as HTMLElement).dataset.renderedIncidents) > 0, null, { timeout: 60_000 });
    await expect.poll(() => current(h.page)).toBe('510108');
    await h.page.waitForTimeout(500);
    await screenshot(h.page, 'map-district');
  });

  it('drills down street → community → grid through the breadcrumbs and opens the grid’s panel', async () => {
    let d = await mapData(h.page);
    for (const id of [STREET, ZHIQIANG]) {
      await h.page.locator(`[data-testid=breadcrumb-child][data-region-id="${id}"]`).click();
      await expect.poll(() => current(h.page)).toBe(id);
      d = await settled(h.page, d.mapZoom);
    }
    await expect(h.page.getByTestId('breadcrumb').allTextContents()).resolves.toEqual([
      expect.stringContaining('成华区'), expect.stringContaining('府青路街道'), expect.stringContaining('志强社区'),
    ]);
    await screenshot(h.page, 'map-community');

    await h.page.locator(`[data-testid=breadcrumb-child][data-region-id="${GRID}"]`).click();
    d = await settled(h.page, d.mapZoom);
    const panel = h.page.getByTestId('grid-panel');
    await expect.poll(() => panel.getAttribute('data-region-id')).toBe(GRID);
    await expect.poll(() => h.page.getByTestId('grid-panel-name').textContent()).toContain('志强社区第1网格');
    // The wall sees who is on duty, masked, and no phone number.
    const workers = await h.page.getByTestId('grid-panel-workers').textContent();
    expect(workers).toMatch(/\*/);
    expect(await panel.textContent()).not.toMatch(/1[3-9]\d{9}|\d{3}\*{4}\d{4}/);
    await screenshot(h.page, 'map-grid-panel');
  });

  it('opens a grid’s panel from a click on the map', async () => {
    await h.page.getByTestId('grid-panel-close').click();
    await expect.poll(() => h.page.getByTestId('grid-panel').count()).toBe(0);
    // The last flight framed the grid beside the open panel: its centre is 160 px left of and 30 px below the middle.
    const box = (await h.page.getByTestId('map').boundingBox())!;
    await h.page.mouse.click(box.x + box.width / 2 - 160, box.y + box.height / 2 + 30);
    await expect.poll(() => h.page.getByTestId('grid-panel').getAttribute('data-region-id')).toBe(GRID);
  });

  it('goes back up to the district through the breadcrumbs', async () => {
    const d = await mapData(h.page);
    await h.page.locator('[data-testid=breadcrumb][data-region-id="510108"]').click();
    await expect.poll(() => current(h.page)).toBe('510108');
    await settled(h.page, d.mapZoom);
    await expect(h.page.getByTestId('breadcrumb').count()).resolves.toBe(1);
    await expect(h.page.getByTestId('grid-panel').count()).resolves.toBe(0);
  });

  it('shows a choropleth by open incidents with its legend, and a heatmap', async () => {
    const toggles = h.page.getByTestId('layer-toggles');
    await expect(h.page.getByTestId('map-legend').count()).resolves.toBe(0);
    await toggles.locator('[data-metric=open]').click();
    const legend = h.page.getByTestId('map-legend');
    await expect.poll(() => legend.getAttribute('data-metric')).toBe('open');
    await expect(legend.locator('li').count()).resolves.toBe(6);
    await expect(legend.textContent()).resolves.toContain('在办事件');
    await h.page.waitForTimeout(800);
    await screenshot(h.page, 'map-choropleth');

    await toggles.locator('[data-metric=density]').click();
    await expect.poll(() => legend.textContent()).toContain('人口密度');
    await toggles.locator('[data-metric=none]').click();
    await expect(legend.count()).resolves.toBe(0);

    await toggles.locator('[data-layer=heatmap]').click();
    await expect(toggles.locator('[data-layer=heatmap]').getAttribute('aria-pressed')).resolves.toBe('true');
    await h.page.waitForTimeout(800);
    await screenshot(h.page, 'map-heatmap');
  });

  it('never left the loopback and raised no page errors', () => {
    expectNoExternal(h.external);
    expect(h.pageErrors).toEqual([]);
  });
});

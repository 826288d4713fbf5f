/**
 * Time until the wall map is idle with the city-scale set (30,000 grids) served: the server runs with a
 * DATA_DIR whose geo/ holds the generated city, Chromium opens the wall view, and we time navigation → the
 * first idle map (city overview, where grids are not yet cut into tiles), then a drill-down to the first
 * community through the breadcrumbs → idle with its grids drawn. Also the server's first-tile cost.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { generateDataset, serializeDataset } from '../../geo/scripts/dataset.ts';
import { launchBrowser, login, newPage, startServer } from '../e2e/harness.ts';
import { round, type BenchResult } from './lib.ts';

const GRIDS = 30_000;

const idle = (page: Page, opts: { grids?: boolean; zoomNot?: string } = {}) =>
  page.waitForFunction(
    ({ grids, zoomNot }) => {
      const d = (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset;
      return !!d && d.mapState === 'idle' && (!grids || Number(d.renderedGrids) > 0) && (zoomNot === undefined || d.mapZoom !== zoomNot);
    },
    opts,
    { timeout: 120_000, polling: 20 },
  );

const dataset = (page: Page) => page.getByTestId('map').evaluate((el) => ({ ...(el as HTMLElement).dataset }));

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridops-bench-city-'));
  const geoDir = join(dataDir, 'geo');
  mkdirSync(geoDir, { recursive: true });
  const data = generateDataset({ grids: GRIDS, details: false });
  for (const [name, text] of Object.entries(serializeDataset(data))) writeFileSync(join(geoDir, name), text);
  const communityId = data.regions.features.find((f) => f.properties.level === 'community')!.properties.id;
  const streetId = communityId.slice(0, 9);

  const t0 = performance.now();
  const server = await startServer({ env: { SIMULATOR: 'off', DATA_DIR: dataDir } });
  const serverStartMs = performance.now() - t0;
  const browser = await launchBrowser();
  try {
    // Server side: the first tile of the city overview builds the scope's tile indexes.
    const token = await login(server);
    const x = Math.floor(((data.meta.centre.lng + 180) / 360) * 2 ** 10);
    const lat = (data.meta.centre.lat * Math.PI) / 180;
    const y = Math.floor(((1 - Math.asinh(Math.tan(lat)) / Math.PI) / 2) * 2 ** 10);
    const t1 = performance.now();
    const first = await fetch(`${server.url}/api/geo/tiles/10/${x}/${y}.pbf`, { headers: { Authorization: `Bearer ${token}` } });
    await first.arrayBuffer();
    const firstTileMs = performance.now() - t1;

    const { page } = await newPage(browser, 'about:blank');
    const t2 = performance.now();
    await page.goto(`${server.url}/`, { waitUntil: 'commit' });
    await idle(page);
    const firstIdleMs = performance.now() - t2;
    const overview = await dataset(page);

    const t3 = performance.now();
    await page.locator(`[data-testid=breadcrumb-child][data-region-id="${streetId}"]`).click();
    await idle(page, { zoomNot: overview.mapZoom });
    const streetIdleMs = performance.now() - t3;
    const street = await dataset(page);
    const t4 = performance.now();
    await page.locator(`[data-testid=breadcrumb-child][data-region-id="${communityId}"]`).click();
    await idle(page, { grids: true, zoomNot: street.mapZoom });
    const communityIdleMs = performance.now() - t4;
    const community = await dataset(page);
    return {
      name: 'map idle (30,000-grid city)',
      metrics: {
        grids: GRIDS,
        serverStartMs: round(serverStartMs, 0),
        firstTileMs: round(firstTileMs, 0),
        firstIdleMs: round(firstIdleMs, 0),
        overviewZoom: overview.mapZoom ?? '',
        streetIdleMs: round(streetIdleMs, 0),
        streetGrids: Number(street.renderedGrids ?? 0),
        communityIdleMs: round(communityIdleMs, 0),
        communityGrids: Number(community.renderedGrids ?? 0),
      },
    };
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

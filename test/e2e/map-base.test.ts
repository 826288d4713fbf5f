/**
 * The optional base map from config. A raster PMTiles file (written here: checkerboard PNG tiles, zooms 10–14,
 * over the demo district) is hosted by the server at /api/geo/base.pmtiles and read by the client with range
 * requests carrying the session's token, drawn under our layers and switched by the layer toggle. A vector
 * PMTiles file is not drawn (one console warning). Without a base config nothing is requested for it, and the
 * pmtiles code is not even loaded.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRasterPmtiles } from '../fixtures/pmtiles/write-raster.ts';
import { expectNoExternal, launchBrowser, newPage, screenshot, startServer, type PageHandle, type ServerHandle } from './harness.ts';

/** Around the demo district (Chenghua, about 104.10 E, 30.67 N), a little wider than its first view. */
const BBOX: [number, number, number, number] = [103.95, 30.58, 104.25, 30.78];

const dir = mkdtempSync(join(tmpdir(), 'gridops-base-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mapData = (page: Page) =>
  page.getByTestId('map').evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string | undefined>);

/** Wait for an idle map with grids drawn and the base layer shown (`kind`) or not (null). */
async function idleWithBase(page: Page, kind: string | null): Promise<void> {
  await page.waitForFunction(
    (k) => {
      const d = (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset;
      return !!d && d.mapState === 'idle' && Number(d.renderedGrids ?? 0) > 0 && (d.baseLayer ?? null) === k;
    },
    kind,
    { timeout: 60_000 },
  );
}

interface Seen {
  requests: Request[];
  statuses: number[];
  warnings: string[];
  scripts: string[];
}

/**
 * Open the wall and record, from the start of a fresh load, every request to base.pmtiles (with its answer's
 * status), every script loaded and every console warning. newPage already loaded the page once (before we
 * could listen), so it is reloaded with the listeners in place.
 */
async function openWall(browser: Browser, server: ServerHandle): Promise<PageHandle & { seen: Seen }> {
  const h = await newPage(browser, `${server.url}/`);
  const seen: Seen = { requests: [], statuses: [], warnings: [], scripts: [] };
  h.page.on('request', (r) => {
    if (r.url().includes('/api/geo/base.pmtiles')) seen.requests.push(r);
    if (r.resourceType() === 'script') seen.scripts.push(r.url());
  });
  h.page.on('response', (r) => {
    if (r.url().includes('/api/geo/base.pmtiles')) seen.statuses.push(r.status());
  });
  h.page.on('console', (m) => {
    if (m.type() === 'warning') seen.warnings.push(m.text());
  });
  await h.page.reload({ waitUntil: 'load' });
  return { ...h, seen };
}

describe('map base layer from config', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe('raster PMTiles (MAP_BASE_PMTILES)', () => {
    let server: ServerHandle;
    let h: PageHandle & { seen: Seen };

    beforeAll(async () => {
      const file = join(dir, 'raster.pmtiles');
      const written = writeRasterPmtiles(file, { bbox: BBOX, minZoom: 10, maxZoom: 14 });
      expect(written.tiles).toBeGreaterThan(50);
      server = await startServer({ env: { MAP_BASE_PMTILES: file } });
      h = await openWall(browser, server);
    });
    afterAll(async () => {
      await h?.context.close();
      await server?.stop();
    });

    it('draws it under our layers, read with authorised range requests (206)', async () => {
      await idleWithBase(h.page, 'pmtiles');
      const { seen } = h;
      expect(seen.requests.length).toBeGreaterThan(1); // the header + root directory, then tiles
      expect(seen.statuses.length).toBeGreaterThan(1);
      expect(seen.statuses.every((s) => s === 206)).toBe(true);
      const headers = await Promise.all(seen.requests.map((r) => r.allHeaders()));
      for (const hd of headers) {
        expect(hd.range).toMatch(/^bytes=\d+-\d+$/);
        expect(hd.authorization).toMatch(/^Bearer \S+/);
      }
      expect(headers[0]!.range).toBe('bytes=0-16383');
      // Tile bytes too, not only the header: ranges that start past the header and root directory.
      expect(headers.some((hd) => Number(/^bytes=(\d+)-/.exec(hd.range!)![1]) > 127)).toBe(true);

      const toggle = h.page.locator('[data-testid=layer-toggles] [data-layer=base]');
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
      await h.page.waitForTimeout(500);
      await screenshot(h.page, 'map-base-pmtiles');
    });

    it('is switched off and on again by its layer toggle', async () => {
      const toggle = h.page.locator('[data-testid=layer-toggles] [data-layer=base]');
      await toggle.click();
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
      await idleWithBase(h.page, null);
      await screenshot(h.page, 'map-base-pmtiles-off');
      await toggle.click();
      await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
      await idleWithBase(h.page, 'pmtiles');
    });

    it('never left the loopback and raised no errors', () => {
      expectNoExternal(h.external);
      expect(h.pageErrors).toEqual([]);
      expect(h.consoleErrors).toEqual([]);
      expect(h.seen.warnings.filter((w) => w.includes('PMTiles'))).toEqual([]);
    });
  });

  describe('vector PMTiles', () => {
    let server: ServerHandle;
    let h: PageHandle & { seen: Seen };

    beforeAll(async () => {
      const file = join(dir, 'vector.pmtiles');
      // Any bytes will do as "MVT" tiles: the client reads the header and stops there.
      writeRasterPmtiles(file, { bbox: BBOX, minZoom: 10, maxZoom: 11, tileType: 1, tile: () => Buffer.from([0x1a, 0x00]) });
      server = await startServer({ env: { MAP_BASE_PMTILES: file } });
      h = await openWall(browser, server);
    });
    afterAll(async () => {
      await h?.context.close();
      await server?.stop();
    });

    it('is not drawn, with one clear console warning, and the rest of the map works', async () => {
      await expect.poll(() => h.seen.warnings.filter((w) => w.includes('PMTiles')).length, { timeout: 30_000 }).toBe(1);
      expect(h.seen.warnings.find((w) => w.includes('PMTiles'))).toMatch(/vector.*needs a style of its own/);
      await idleWithBase(h.page, null);
      await expect(h.page.locator('[data-testid=layer-toggles] [data-layer=base]').count()).resolves.toBe(0);
      // Only the header (and root directory) was read.
      expect(h.seen.requests.length).toBe(1);
      expect(h.seen.statuses).toEqual([206]);
      expectNoExternal(h.external);
      expect(h.pageErrors).toEqual([]);
    });
  });

  describe('no base configured (the default)', () => {
    let server: ServerHandle;
    let h: PageHandle & { seen: Seen };

    beforeAll(async () => {
      server = await startServer({ env: { MAP_BASE_PMTILES: '', MAP_BASE_XYZ: '' } });
      h = await openWall(browser, server);
    });
    afterAll(async () => {
      await h?.context.close();
      await server?.stop();
    });

    it('requests nothing for it, loads no pmtiles code and shows no base toggle', async () => {
      await idleWithBase(h.page, null);
      await h.page.waitForTimeout(500);
      expect((await mapData(h.page)).baseLayer).toBeUndefined();
      expect(h.seen.requests.map((r) => r.url())).toEqual([]);
      expect(h.seen.scripts.length).toBeGreaterThan(0);
      expect(h.seen.scripts.filter((u) => /pmtiles/i.test(u))).toEqual([]);
      await expect(h.page.locator('[data-testid=layer-toggles] [data-layer=base]').count()).resolves.toBe(0);
      expectNoExternal(h.external);
    });
  });
});

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

/** The walls command centers really have, at device pixel ratio 1. */
const WALLS = [
  { name: '1080p', width: 1920, height: 1080, scale: 1 },
  { name: '4k', width: 3840, height: 2160, scale: 2 },
  // Six 1080p panels spliced 3×2: the height limits the scale, the extra width goes to the map.
  { name: 'spliced-5760', width: 5760, height: 2160, scale: 2 },
] as const;

interface Box { name: string; x: number; y: number; w: number; h: number; overflow: number }

/** The wall's layout blocks: header parts, every panel of both columns and the map. */
async function blocks(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const els = [
      ...document.querySelectorAll('.wall-header > *, .wall > .body > .left > *, .wall > .body > .right > *, .wall > .body > .center'),
    ] as HTMLElement[];
    return els.map((el) => {
      const r = el.getBoundingClientRect();
      const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.dataset.testid ?? ''}]`;
      return { name, x: r.x, y: r.y, w: r.width, h: r.height, overflow: el.scrollHeight - el.clientHeight };
    });
  });
}

/** Shown panels (the carousel's current set included) whose content is taller than the panel. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('.wall .panel')) {
      if (el.closest('.set:not(.on)')) continue;
      const over = el.scrollHeight - el.clientHeight;
      if (over > 1) out.push(`${el.dataset.testid ?? el.className} +${over}px`);
    }
    return out;
  });
}

function overlaps(a: Box, b: Box): boolean {
  const e = 0.5; // sub-pixel rounding
  return a.x + a.w > b.x + e && b.x + b.w > a.x + e && a.y + a.h > b.y + e && b.y + b.h > a.y + e;
}

describe('wall sizes', () => {
  let server: ServerHandle;
  let browser: Browser;
  const axisFont: Record<string, number> = {};

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: '60' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const wall of WALLS) {
    it(`lays out ${wall.width}×${wall.height} without overlap, with text at ${wall.scale}× the 1080p size`, async () => {
      const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/`, { viewport: { width: wall.width, height: wall.height } });
      try {
        await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
        const map = page.getByTestId('map');
        // Loaded and scaled (software GL in CI may take long to go idle on a 4K canvas under live data).
        await expect.poll(() => map.getAttribute('data-text-scale'), { timeout: 45_000 }).not.toBeNull();
        await expect.poll(async () => page.locator('[data-axis-font-size]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect.poll(() => page.getByTestId('incident-item').count(), { timeout: 30_000 }).toBeGreaterThan(3);

        await page.waitForTimeout(1500);
        await screenshot(page, `wall-${wall.name}`);
        const boxes = await blocks(page);
        expect(boxes.length).toBeGreaterThan(6);
        for (const b of boxes) {
          // Inside the screen, and nothing spills out of its panel.
          expect(b.x, b.name).toBeGreaterThanOrEqual(-0.5);
          expect(b.y, b.name).toBeGreaterThanOrEqual(-0.5);
          expect(b.x + b.w, b.name).toBeLessThanOrEqual(wall.width + 0.5);
          expect(b.y + b.h, b.name).toBeLessThanOrEqual(wall.height + 0.5);
          expect(b.w * b.h, b.name).toBeGreaterThan(0);
        }
        expect(await overflowing(page)).toEqual([]);
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.name} overlaps ${boxes[j]!.name}`).toBe(false);
        }

        // Chart text as ECharts holds it after the merge, and the map's label scale.
        const sizes = (await page.locator('[data-axis-font-size]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.axisFontSize))));
        axisFont[wall.name] = Math.max(...sizes);
        expect(Number(await map.getAttribute('data-text-scale'))).toBe(wall.scale);
        const rootPx = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
        expect(rootPx).toBe(16 * wall.scale);

        expect(pageErrors).toEqual([]);
        expectNoExternal(external);
      } finally {
        await context.close();
      }
    });
  }

  it('grows chart text with the wall', () => {
    expect(axisFont['1080p']).toBeGreaterThan(0);
    expect(axisFont['4k']).toBe(axisFont['1080p']! * 2);
    expect(axisFont['spliced-5760']).toBe(axisFont['1080p']! * 2);
  });
});

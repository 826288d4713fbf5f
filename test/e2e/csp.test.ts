import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, newPage, startServer, type ServerHandle } from './harness.ts';

/** Violations reported in the page (recorded from the first script on) and console lines about the policy. */
interface Watch {
  page: Page;
  context: BrowserContext;
  external: string[];
  violations: () => Promise<string[]>;
  /** Proves the watch works: a fetch to another origin must be blocked and reported as exactly one violation. */
  canary: () => Promise<void>;
}

async function open(browser: Browser, url: string): Promise<Watch> {
  const { page, context, external } = await newPage(browser, 'about:blank');
  await context.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[] };
    w.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      w.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  const consoleLines: string[] = [];
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) consoleLines.push(msg.text());
  });
  await page.goto(url, { waitUntil: 'load' });
  return {
    page,
    context,
    external,
    violations: async () => [...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)), ...consoleLines],
    canary: async () => {
      await page.evaluate(() => fetch('http://127.0.0.1:9/csp-canary').catch(() => undefined));
      await expect.poll(async () => (await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).join('\n'), { timeout: 5000 }).toMatch(/^connect-src http:\/\/127\.0\.0\.1:9\/csp-canary/);
    },
  };
}

/** The wall, login and console pages under the server's Content-Security-Policy: zero violations in Chromium. */
describe('content security policy', () => {
  let server: ServerHandle;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: '120' } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the wall draws its map and live data with no violation', async () => {
    const w = await open(browser, `${server.url}/`);
    try {
      const res = await w.page.request.get(`${server.url}/`);
      expect(res.headers()['content-security-policy']).toContain("default-src 'self'");
      await expect.poll(() => w.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
      await expect.poll(async () => Number(await w.page.getByTestId('map').getAttribute('data-rendered-grids')), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(async () => Number(await w.page.getByTestId('map').getAttribute('data-rendered-incidents')), { timeout: 20_000 }).toBeGreaterThan(0);
      await expect.poll(() => w.page.getByTestId('incident-item').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      // Hover every chart, so ECharts draws its HTML tooltips (inline style attributes) under the policy too.
      for (const canvas of await w.page.locator('canvas:not(.maplibregl-canvas)').all()) {
        // The mouse itself, not locator.hover: the wall's rotating panels stack charts on top of one another.
        const box = await canvas.boundingBox();
        if (!box) continue;
        await w.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await w.page.waitForTimeout(200);
      }
      { const v = await w.violations(); expect(v, JSON.stringify(v)).toEqual([]); }
      await w.canary();
      expectNoExternal(w.external);
    } finally {
      await w.context.close();
    }
  });

  it('login and the console (signed in as admin) with no violation', async () => {
    const w = await open(browser, `${server.url}/console`);
    try {
      await w.page.waitForURL(/\/login/);
      await w.page.locator('input[name=username]').waitFor();
      { const v = await w.violations(); expect(v, JSON.stringify(v)).toEqual([]); }
      await w.page.locator('input[name=username]').fill('admin');
      await w.page.locator('input[name=password]').fill(server.adminPassword);
      await w.page.locator('button[type=submit]').click();
      await w.page.waitForURL(/\/console/);
      await w.page.getByTestId('queue').waitFor();
      await expect.poll(() => w.page.getByTestId('queue-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // The console's map too, when it has one.
      if (await w.page.getByTestId('map').count()) {
        await expect.poll(async () => Number(await w.page.getByTestId('map').getAttribute('data-rendered-grids')), { timeout: 20_000 }).toBeGreaterThan(0);
      }
      await w.page.waitForTimeout(1000);
      { const v = await w.violations(); expect(v, JSON.stringify(v)).toEqual([]); }
      await w.canary();
      expectNoExternal(w.external);
    } finally {
      await w.context.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { expectNoExternal, isLocalUrl, launchBrowser, login, newPage, screenshot, startServer } from './harness.ts';
import type { ServerHandle } from './harness.ts';

describe('e2e harness', () => {
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

  it('starts a server on a free loopback port with its own data dir', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.dataDir).toContain('gridops-e2e-');
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    expect(await login(server)).toEqual(expect.any(String));
  });

  it('tells local from external URLs', () => {
    expect(isLocalUrl('http://127.0.0.1:8080/x')).toBe(true);
    expect(isLocalUrl('ws://localhost:1/socket.io/')).toBe(true);
    expect(isLocalUrl('http://[::1]:3000/')).toBe(true);
    expect(isLocalUrl('data:text/plain,hi')).toBe(true);
    expect(isLocalUrl('https://fonts.googleapis.com/css')).toBe(false);
    expect(isLocalUrl('http://10.0.0.1/')).toBe(false);
  });

  it('serves the client page to Chromium without any request leaving the loopback', async () => {
    const { context, page, external, consoleErrors } = await newPage(browser, `${server.url}/`, { bypassCSP: true });
    try {
      const res = await fetch(`${server.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      // The page Chromium loaded is the built client: Vite's index.html always has a module script.
      expect(await page.locator('script[type="module"]').count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.readyState)).toBe('complete');
      // An external request from the page is aborted and recorded, not sent.
      const attempted = await page.evaluate(async () => {
        try {
          await fetch('https://example.com/probe', { mode: 'no-cors' });
          return 'sent';
        } catch {
          return 'blocked';
        }
      });
      expect(attempted).toBe('blocked');
      expect(external).toEqual(['https://example.com/probe']);
      expect(() => expectNoExternal(external)).toThrow(/example\.com/);
      external.length = 0;

      // Give the app a moment to start its own requests (map style, socket) before checking again.
      await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
      await screenshot(page, 'harness-smoke');
      expectNoExternal(external);
      // Console errors are the wall-view test's business; list them here for whoever reads the output.
      const otherErrors = consoleErrors.filter((e) => !/ERR_BLOCKED_BY_CLIENT/.test(e));
      if (otherErrors.length) console.warn(`console errors on /:\n  ${otherErrors.join('\n  ')}`);
    } finally {
      await context.close();
    }
  });
});

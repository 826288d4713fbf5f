/**
 * The console on a street office's LAN: plain HTTP on the server's own address, which the browser does not count as a
 * secure context (only HTTPS and localhost are). There crypto.randomUUID does not exist, and the desk's every
 * action, whose Idempotency-Key was made with it, failed without a word: V on a new case left it 待受理.
 * Skipped on a machine with no address but the loopback.
 */
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { launchBrowser, login, startServer } from './harness.ts';

const KEY = 'e2e-lan-ingest-key-0123456789';
const lan = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

describe.skipIf(!lan)('console over plain HTTP on a LAN address', () => {
  it('takes a desk action (V: verify) outside a secure context', { timeout: 120_000 }, async () => {
    const server = await startServer({ env: { SIMULATOR: 'off', HOST: lan!, INGEST_KEYS: `hotline:${KEY}` } });
    const browser = await launchBrowser();
    try {
      const admin = await login(server);
      const res = await fetch(`${server.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
        body: JSON.stringify({ externalId: 'lan-1', source: 'hotline', category: 'garbage_exposed', title: '垃圾', location: { lng: 104.1, lat: 30.67 }, reportedAt: new Date().toISOString() }),
      });
      const id = ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
      const signIn = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: server.adminPassword }) });
      // The harness's pages abort requests off the loopback; this one is meant to reach the LAN address.
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
      await context.addInitScript(`localStorage.setItem('gridops.session', ${JSON.stringify(JSON.stringify(await signIn.json()))});`);
      const page = await context.newPage();
      await page.goto(`${server.url}/console`);
      expect(await page.evaluate(() => isSecureContext)).toBe(false);
      const row = page.getByTestId('queue-row').first();
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      // The drawer loads the case (its version) before the shortcut can act on it.
      await page.waitForTimeout(1000);
      await page.keyboard.press('v');
      await expect
        .poll(async () => ((await (await fetch(`${server.url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { incident: { status: string } }).incident.status, { timeout: 5000 })
        .toBe('verifying');
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});

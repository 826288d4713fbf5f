import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const KEY = 'e2e-parked-hotline-key-0123456789';
const ADDRESSES = ['城北旧货市场后门', '老地方茶馆对面巷子', '河边那棵大树下'];

async function ingest(url: string, body: unknown): Promise<{ results: { id: string; parked?: boolean }[] }> {
  const res = await fetch(`${url}/api/ingest/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return (await res.json()) as { results: { id: string; parked?: boolean }[] };
}

describe('console: parked reports (待定位)', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `hotline:${KEY}` } });
    browser = await launchBrowser();
    admin = await login(server);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('lists parked reports with a count, and a dispatcher places one from the map into the queue', { timeout: 120_000 }, async () => {
    // Addresses no gazetteer entry matches: parked, acknowledged, never dropped.
    const sent = await ingest(
      server.url,
      ADDRESSES.map((address, n) => ({ externalId: `park-${n}`, source: 'hotline', category: 'garbage_exposed', title: '垃圾堆放', description: `来电反映${address}垃圾堆积`, address, reporter: { name: '王五', phone: '13800138000' } })),
    );
    expect(sent.results.every((r) => r.parked)).toBe(true);

    const { page, external, pageErrors } = await newPage(browser, `${server.url}/console`, { viewport: { width: 1440, height: 900 } });
    try {
      await page.waitForURL(/\/login/);
      await page.locator('input[name=username]').fill('admin');
      await page.locator('input[name=password]').fill(server.adminPassword);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/console/);

      const badge = page.getByTestId('parked-badge');
      await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toMatch(/待定位\s*3/);
      await badge.click();
      const items = page.getByTestId('parked-item');
      await expect.poll(() => items.count()).toBe(3);
      await expect(items.first().textContent()).resolves.toContain(ADDRESSES[0]);
      // The source by its Chinese name, not the connector's id.
      await expect(items.first().textContent()).resolves.toContain('12345热线');
      await expect(items.first().textContent()).resolves.not.toContain('hotline');

      // Pick the first, click the map (right of the panel), confirm.
      await items.first().getByTestId('parked-pick').click();
      const map = page.getByTestId('map');
      await expect.poll(() => map.getAttribute('data-picking')).toBe('on');
      await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 15_000 }).toBe('idle');
      const box = (await map.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.62, box.y + box.height * 0.5);
      await expect.poll(() => map.getAttribute('data-picked')).toMatch(/^\d+\.\d+,\d+\.\d+$/);
      const [lng, lat] = (await map.getAttribute('data-picked'))!.split(',').map(Number) as [number, number];
      await screenshot(page, 'console-parked');

      await page.getByTestId('parked-confirm').click();
      // The drawer opens the incident it became; the queue has it; the badge counts one fewer.
      const drawer = page.getByTestId('drawer');
      await expect.poll(() => drawer.getAttribute('data-id'), { timeout: 10_000 }).toMatch(/^INC-/);
      const id = (await drawer.getAttribute('data-id'))!;
      await expect.poll(() => badge.textContent(), { timeout: 10_000 }).toMatch(/待定位\s*2/);
      await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('history-locate').textContent(), { timeout: 10_000 }).toContain('调度员在地图上定位');

      const detail = (await (await fetch(`${server.url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { incident: { externalId: string; location: { lng: number; lat: number }; address: string } };
      expect(detail.incident).toMatchObject({ externalId: 'park-0', address: ADDRESSES[0] });
      expect(detail.incident.location.lng).toBeCloseTo(lng, 6);
      expect(detail.incident.location.lat).toBeCloseTo(lat, 6);
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await page.context().close();
    }
  });
});

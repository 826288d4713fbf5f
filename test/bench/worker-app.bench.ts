/**
 * The grid-worker app (/m) on a phone's link:
 *  - app shell: what the service worker precaches (dist/client/sw.js's list: the JS, CSS, HTML, manifest and icons
 *    the app opens from with no network), raw and gzip (level 9), and, of it, the JS the task list itself fetches;
 *  - time to an interactive task list on a throttled connection (CDP Network.emulateNetworkConditions: 1.6 Mbps
 *    down, 750 kbps up, 150 ms RTT — a slow 4G in a stairwell), cold (nothing cached) and warm (service worker);
 *    "interactive" = the first task row is rendered from live data and the page answers a tap.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLIENT_OUT, ensureClientBuilt } from '../../scripts/build-client.ts';
import { launchBrowser, login, newPage, startServer } from '../e2e/harness.ts';
import { round, type BenchResult } from './lib.ts';

const kb = (bytes: number) => round(bytes / 1024, 1);
const THROTTLE = { offline: false, downloadThroughput: (1.6e6 / 8) | 0, uploadThroughput: (750e3 / 8) | 0, latency: 150 };

function precached(): string[] {
  const sw = readFileSync(join(CLIENT_OUT, 'sw.js'), 'utf8');
  return [...sw.matchAll(/url:"([^"]+)"/g)].map((m) => m[1]!);
}

export async function run(): Promise<BenchResult> {
  await ensureClientBuilt();
  const files = precached();
  let shellRaw = 0;
  let shellGzip = 0;
  for (const f of files) {
    const buf = readFileSync(join(CLIENT_OUT, f));
    shellRaw += buf.length;
    shellGzip += gzipSync(buf, { level: 9 }).length;
  }

  const server = await startServer({ env: { SIMULATOR: 'off' } });
  const browser = await launchBrowser();
  try {
    const admin = await login(server);
    const h = { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' };
    const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string; base: { lng: number; lat: number } }[] }).workers;
    const w = roster[0]!;
    await fetch(`${server.url}/api/users`, { method: 'POST', headers: h, body: JSON.stringify({ username: 'gw-bench', displayName: 'gw', password: 'bench-password-123', role: 'worker', regionId: w.gridId, workerId: w.id }) });
    const session = (await (await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'gw-bench', password: 'bench-password-123' }) })).json()) as unknown;
    // Five cases dispatched to the worker (made as street reports, the app's own endpoint).
    for (let n = 0; n < 5; n++) {
      const res = await fetch(`${server.url}/api/me/reports`, { method: 'POST', headers: { ...h, Authorization: `Bearer ${(session as { token: string }).token}` }, body: JSON.stringify({ id: `bench-${n}-0000`, category: ['graffiti', 'streetlight_out', 'manhole_cover', 'road_damaged', 'illegal_posting'][n], location: { lng: w.base.lng + n * 0.0001, lat: w.base.lat } }) });
      const { incidentId } = (await res.json()) as { incidentId: string };
      let version = ((await (await fetch(`${server.url}/api/incidents/${incidentId}`, { headers: h })).json()) as { incident: { version: number } }).incident.version;
      for (const action of ['verify', 'file']) {
        version = ((await (await fetch(`${server.url}/api/incidents/${incidentId}/actions`, { method: 'POST', headers: h, body: JSON.stringify({ action, version }) })).json()) as { incident: { version: number } }).incident.version;
      }
      await fetch(`${server.url}/api/incidents/${incidentId}/actions`, { method: 'POST', headers: h, body: JSON.stringify({ action: 'dispatch', version, assigneeId: w.id }) });
    }

    const { page, context } = await newPage(browser, 'about:blank', {
      viewport: { width: 390, height: 844 },
      contextOptions: { isMobile: true, hasTouch: true },
      initScript: `localStorage.setItem('gridops.session', ${JSON.stringify(JSON.stringify(session))});`,
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    const wire = new Map<string, number>();
    const js = new Set<string>();
    cdp.on('Network.responseReceived', (e) => {
      if (/\.m?js$/.test(new URL(e.response.url).pathname)) js.add(new URL(e.response.url).pathname.slice(1));
    });
    cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));

    const interactive = async (): Promise<number> => {
      const t0 = Date.now();
      await page.goto(`${server.url}/m`, { waitUntil: 'commit' });
      await page.locator('[data-testid=m-task-row]').first().waitFor({ timeout: 120_000 });
      // The main thread answers: a task responds to input once nothing long runs.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      return Date.now() - t0;
    };
    const coldMs = await interactive();
    const coldWire = [...wire.values()].reduce((s, n) => s + n, 0);
    const fetchedJsGzip = [...js].filter((f) => f.startsWith('assets/')).reduce((s, f) => s + gzipSync(readFileSync(join(CLIENT_OUT, f)), { level: 9 }).length, 0);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    wire.clear();
    const warmMs = await interactive();
    const warmWire = [...wire.values()].reduce((s, n) => s + n, 0);

    return {
      name: 'worker app (/m)',
      metrics: {
        'shell files': files.length,
        'shell raw KB': kb(shellRaw),
        'shell gzip KB': kb(shellGzip),
        'task list JS gzip KB': kb(fetchedJsGzip),
        'cold interactive ms (1.6M/150ms)': coldMs,
        'cold wire KB': kb(coldWire),
        'warm interactive ms (SW)': warmMs,
        'warm wire KB': kb(warmWire),
      },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

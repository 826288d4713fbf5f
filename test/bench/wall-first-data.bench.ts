/**
 * Wall view, first live data after navigation on localhost. The server runs the simulator at a modest rate
 * and already holds ~50 incidents. Each round: a fresh browser context (nothing cached, new login) →
 * `page.goto('/')`; a MutationObserver installed before any page script records `performance.now()`
 * (milliseconds since navigation start) at the first moment that
 *   (a) an `incident-item` is in the DOM,
 *   (b) the connection status says `live`,
 *   (c) the map is idle with incidents drawn (`data-rendered-incidents` > 0),
 * and "first live data" is the later of (a) and (b). Round 1 warms the server and the browser and is
 * not reported; of the rest, median and worst.
 * The contexts are plain ones (no request interception, which would add a Playwright round trip to every
 * request); requests off the loopback are still counted.
 * Budget (DESIGN): ≤ 3 s to first live data.
 */
import type { Browser } from 'playwright-core';
import { ensureClientBuilt } from '../../scripts/build-client.ts';
import { isLocalUrl, launchBrowser, login, startServer } from '../e2e/harness.ts';
import { percentile, round, sleep, type BenchResult } from './lib.ts';

const ROUNDS = 7;
/** Simulator rate (incidents per minute, before the hour-of-day rhythm); BENCH_FIRST_DATA_RATE overrides. */
const RATE = Number(process.env.BENCH_FIRST_DATA_RATE ?? 300);
const MIN_INCIDENTS = 50;
const MAP_WAIT_MS = 30_000;
const BUDGET_MS = 3000;

interface Marks {
  item?: number;
  live?: number;
  map?: number;
  mapIdle?: number;
  domContentLoaded?: number;
  load?: number;
}

declare global {
  interface Window {
    __benchFirstData?: Marks;
  }
}

/**
 * Runs in the page before its own scripts. A string, not a function: tsx (esbuild keepNames) would wrap a
 * serialised function's inner functions in a `__name` helper the page does not have.
 */
const OBSERVE = `(() => {
  const marks = {};
  window.__benchFirstData = marks;
  const observer = new MutationObserver(() => {
    const t = performance.now();
    if (marks.item === undefined && document.querySelector('[data-testid=incident-item]')) marks.item = t;
    if (marks.live === undefined && document.querySelector('[data-testid=connection-status]')?.getAttribute('data-state') === 'live') marks.live = t;
    const map = document.querySelector('[data-testid=map]');
    if (marks.mapIdle === undefined && map?.dataset.mapState === 'idle') marks.mapIdle = t;
    if (marks.map === undefined && map?.dataset.mapState === 'idle' && Number(map.dataset.renderedIncidents) > 0) marks.map = t;
    if (marks.item !== undefined && marks.live !== undefined && marks.map !== undefined) observer.disconnect();
  });
  observer.observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-state', 'data-map-state', 'data-rendered-incidents'],
  });
  document.addEventListener('DOMContentLoaded', () => { marks.domContentLoaded = performance.now(); });
  window.addEventListener('load', () => { marks.load = performance.now(); });
})();`;

async function oneRound(browser: Browser, url: string, external: string[]): Promise<Marks> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  try {
    context.on('request', (req) => {
      if (!isLocalUrl(req.url())) external.push(req.url());
    });
    await context.addInitScript({ content: OBSERVE });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    try {
      await page.waitForFunction(() => {
        const m = window.__benchFirstData;
        return !!m && m.item !== undefined && m.live !== undefined && m.load !== undefined;
      }, null, { timeout: 60_000, polling: 50 });
    } catch (err) {
      const marks = await page.evaluate(() => JSON.stringify(window.__benchFirstData ?? null)).catch(() => '?');
      throw new Error(`the wall view did not show live data within 60 s (marks so far: ${marks})`, { cause: err });
    }
    // MapLibre fires 'idle' only once no source is loading: a steady stream of setData can hold it off.
    await page
      .waitForFunction(() => window.__benchFirstData?.map !== undefined, null, { timeout: MAP_WAIT_MS, polling: 50 })
      .catch(() => undefined);
    return (await page.evaluate(() => window.__benchFirstData)) as Marks;
  } finally {
    await context.close();
  }
}

export async function run(): Promise<BenchResult> {
  await ensureClientBuilt();
  const server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: String(RATE), HEARTBEAT_MS: '1000' } });
  const browser = await launchBrowser();
  try {
    // Wait until the server holds enough incidents for a realistic snapshot.
    const token = await login(server);
    let held = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${server.url}/api/incidents?limit=500`, { headers: { Authorization: `Bearer ${token}` } });
      held = ((await res.json()) as { items: unknown[] }).items.length;
      if (held >= MIN_INCIDENTS) break;
      await sleep(500);
    }

    const external: string[] = [];
    const rounds: Marks[] = [];
    for (let r = 0; r < ROUNDS; r++) rounds.push(await oneRound(browser, `${server.url}/`, external));
    const measured = rounds.slice(1).map((m) => ({ ...m, firstLive: Math.max(m.item!, m.live!) }));
    type Key = 'firstLive' | 'item' | 'live' | 'map' | 'mapIdle' | 'domContentLoaded' | 'load';
    const values = (k: Key) => measured.map((x) => x[k]).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
    const med = (k: Key) => round(percentile(values(k), 50), 0);
    const worst = (k: Key) => (values(k).length ? round(Math.max(...values(k)), 0) : NaN);
    const mapMissed = measured.filter((m) => m.map === undefined).length;
    return {
      name: 'wall view first live data',
      metrics: {
        simulatorRatePerMin: RATE,
        incidentsHeld: held,
        rounds: measured.length,
        firstLiveDataMsMedian: med('firstLive'),
        firstLiveDataMsWorst: worst('firstLive'),
        firstIncidentItemMsMedian: med('item'),
        firstIncidentItemMsWorst: worst('item'),
        statusLiveMsMedian: med('live'),
        statusLiveMsWorst: worst('live'),
        mapFirstIdleMsMedian: med('mapIdle'),
        mapFirstIdleMsWorst: worst('mapIdle'),
        mapIncidentsIdleMsMedian: med('map'),
        mapIncidentsIdleMsWorst: worst('map'),
        mapNotIdleWithIncidentsIn30s: `${mapMissed} of ${measured.length}`,
        domContentLoadedMsMedian: med('domContentLoaded'),
        loadEventMsMedian: med('load'),
        warmupRoundFirstLiveMs: round(Math.max(rounds[0]!.item!, rounds[0]!.live!), 0),
        externalRequests: external.length,
        budgetMs: BUDGET_MS,
      },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

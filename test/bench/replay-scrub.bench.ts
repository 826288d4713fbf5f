/**
 * Day replay scrub in Chromium: a day of 20,000 changes (3,000 incidents) loaded into the wall's replay store,
 * then scrubs to random instants; each is timed from the seek (local fold, replay-reducer) until the map has
 * applied the frame's incidents and the browser has painted the next frame (two animation frames); and, apart,
 * until the map reports idle (its worker re-indexed the points and every layer is drawn with them).
 * Budget (issue 10): ≤ 200 ms from scrub to paint.
 */
import { launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { percentile, round, type BenchResult } from './lib.ts';

const CHANGES = 20_000;
const INCIDENTS = 3_000;
const SCRUBS = 25;

export async function run(): Promise<BenchResult> {
  const server = await startServer({ env: { SIMULATOR: 'off' } });
  const browser = await launchBrowser();
  try {
    const { page } = await newPage(browser, `${server.url}/`);
    await page.waitForFunction(() => {
      const d = (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset;
      return d?.mapState === 'idle' && Number(d.renderedGrids) > 0;
    }, null, { timeout: 60_000 });
    const r = await page.evaluate(async ({ changes, incidents, scrubs }) => {
      type Store = Record<string, unknown>;
      const app = (document.querySelector('#app') as unknown as { __vue_app__: { config: { globalProperties: { $pinia: { _s: Map<string, Store> } } } } }).__vue_app__;
      const stores = app.config.globalProperties.$pinia._s;
      const regions = stores.get('regions') as unknown as { byId: Map<string, { level: string; id: string }> };
      const grids = [...regions.byId.values()].filter((g) => g.level === 'grid').map((g) => g.id);
      // The replay store is created on first use; the slider's button makes it.
      (document.querySelector('[data-testid=replay-open]') as HTMLButtonElement).click();
      await new Promise((res) => setTimeout(res, 1500));
      const replay = stores.get('replay') as unknown as { seek(ms: number): void; lastFoldMs: number; openDay(d: string): Promise<void> };
      const from = Date.parse(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10) + 'T00:00:00+08:00');
      const to = from + 86_400_000 - 1;
      const status = ['reported', 'verifying', 'filed', 'dispatched', 'in_progress', 'feedback', 'checking', 'closed'];
      const sev = ['low', 'medium', 'high', 'critical'];
      const list = Array.from({ length: changes }, (_, i) => {
        const n = i % incidents;
        const step = Math.floor(i / incidents);
        const at = from + Math.floor((i / changes) * 86_000_000);
        return {
          seq: i + 1,
          at,
          incident: {
            id: `DAY-${n}`, source: 'iot', connectorId: 'bench', externalId: null, category: 'garbage_exposed', severity: sev[n % 4],
            title: `回放基准 ${n}`, description: '', location: { lng: 104.078 + ((n * 37) % 400) / 10_000, lat: 30.654 + ((n * 53) % 320) / 10_000 },
            address: null, gridId: grids[(n * 7919) % grids.length] ?? null, status: status[Math.min(step, status.length - 1)],
            reportedAt: new Date(from + Math.floor((n / incidents) * 20_000_000)).toISOString(), updatedAt: new Date(at).toISOString(),
            dueAt: null, assigneeId: null, reportCount: 1, version: step + 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null,
          },
        };
      });
      // What openDay does after the fetch: build the timeline (imported by the store module already).
      const t0 = performance.now();
      // The day goes through the store's own path (fetch → buildTimeline → first seek), with the answer stubbed.
      const realFetch = window.fetch;
      window.fetch = async () => new Response(JSON.stringify({ regionId: '510108', day: '', from: new Date(from).toISOString(), to: new Date(to).toISOString(), base: [], changes: list, truncated: false }), { headers: { 'Content-Type': 'application/json' } });
      await replay.openDay('2000-01-01');
      window.fetch = realFetch;
      const buildMs = performance.now() - t0;
      const times: number[] = [];
      const folds: number[] = [];
      const idles: number[] = [];
      const mapEl = document.querySelector('[data-testid=map]') as HTMLElement;
      for (let s = 0; s < scrubs; s++) {
        const at = from + Math.floor(((s * 7919) % scrubs) / scrubs * 86_000_000);
        // The map's own idle (every tile, the new incident points included, drawn): useMap sets the attribute.
        let idleAt = 0;
        const obs = new MutationObserver(() => {
          if (!idleAt && mapEl.dataset.mapState === 'idle') idleAt = performance.now();
        });
        obs.observe(mapEl, { attributes: true, attributeFilter: ['data-map-state'] });
        const t1 = performance.now();
        replay.seek(at);
        folds.push(replay.lastFoldMs);
        const deadline = performance.now() + 5000;
        while ((performance.getEntriesByName('gridops:map-incidents').at(-1)?.startTime ?? -1) < t1 && performance.now() < deadline) {
          await new Promise((res) => requestAnimationFrame(res));
        }
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        times.push(performance.now() - t1);
        while (!idleAt && performance.now() < deadline) await new Promise((res) => setTimeout(res, 5));
        obs.disconnect();
        idles.push((idleAt || performance.now()) - t1);
        await new Promise((res) => setTimeout(res, 150));
      }
      return { buildMs, times, folds, idles };
    }, { changes: CHANGES, incidents: INCIDENTS, scrubs: SCRUBS });
    const times = r.times.slice(2).sort((a, b) => a - b);
    const folds = r.folds.slice(2).sort((a, b) => a - b);
    const idles = r.idles.slice(2).sort((a, b) => a - b);
    return {
      name: 'replay scrub (20,000 changes a day)',
      metrics: {
        changes: CHANGES,
        scrubs: times.length,
        loadDayMs: round(r.buildMs),
        foldMsMedian: round(percentile(folds, 50)),
        scrubToPaintMsMedian: round(percentile(times, 50)),
        scrubToPaintMsP95: round(percentile(times, 95)),
        scrubToPaintMsWorst: round(times.at(-1)!),
        scrubToMapIdleMsMedian: round(percentile(idles, 50)),
        scrubToMapIdleMsP95: round(percentile(idles, 95)),
        budgetMs: 200,
      },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

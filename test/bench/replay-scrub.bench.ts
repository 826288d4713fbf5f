/**
 * Day replay scrub in Chromium: a day of 20,000 changes (3,000 incidents) loaded into the wall's replay store,
 * then scrubs to random instants; each is timed from the seek (local fold, replay-reducer) until the map has
 * applied the frame's incidents and the browser has painted the next frame (two animation frames); and, apart,
 * until the map reports idle (its worker re-indexed the points and every layer is drawn with them).
 * Beside the time to paint, the app's own share of it: the main thread's JavaScript between the seek and the
 * paint, from a V8 CPU profile of each seek (CDP Profiler), by chunk (our code, Vue, MapLibre, GC); and from a
 * Chromium trace over the scrubs, each thread's busy time per seek (the GPU process's is SwiftShader's software
 * GL on this machine). `REPLAY_TRACE=file.json` keeps that trace for chrome://tracing or Perfetto.
 * Budget (issue 10): ≤ 200 ms from scrub to paint.
 */
import { writeFileSync } from 'node:fs';
import { launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { jsShare, profileMainThread, threadBusy, traceBrowser, type JsShare } from './cdp-profile.ts';
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
    const setup = await page.evaluate(async ({ changes, incidents }) => {
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
      const t0 = performance.now();
      // The day goes through the store's own path (fetch → buildTimeline → first seek), with the answer stubbed.
      const realFetch = window.fetch;
      window.fetch = async () => new Response(JSON.stringify({ regionId: '510108', day: '', from: new Date(from).toISOString(), to: new Date(to).toISOString(), base: [], changes: list, truncated: false }), { headers: { 'Content-Type': 'application/json' } });
      await replay.openDay('2000-01-01');
      window.fetch = realFetch;
      const buildMs = performance.now() - t0;
      const mapEl = document.querySelector('[data-testid=map]') as HTMLElement;
      let idleAt = 0;
      let t1 = 0;
      // The map's first frame with the seek's points and grid counts (useMapSync marks it), then painted.
      let drawnAt = 0;
      new PerformanceObserver((list) => {
        if (list.getEntriesByName('gridops:replay-drawn').some((e) => e.startTime >= t1)) requestAnimationFrame(() => (drawnAt ||= performance.now()));
      }).observe({ type: 'mark' });
      new MutationObserver(() => {
        if (!idleAt && mapEl.dataset.mapState === 'idle') idleAt = performance.now();
      }).observe(mapEl, { attributes: true, attributeFilter: ['data-map-state'] });
      const w = window as unknown as Record<string, unknown>;
      // One seek until painted: the map applied the frame (its measure), then two animation frames.
      w.__scrubPaint = async (at: number) => {
        idleAt = 0;
        drawnAt = 0;
        t1 = performance.now();
        replay.seek(at);
        const fold = replay.lastFoldMs;
        const deadline = performance.now() + 5000;
        while ((performance.getEntriesByName('gridops:map-incidents').at(-1)?.startTime ?? -1) < t1 && performance.now() < deadline) {
          await new Promise((res) => requestAnimationFrame(res));
        }
        await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
        return { paint: performance.now() - t1, fold };
      };
      // Then until the map's own idle (every tile, the new incident points included, drawn: useMap's attribute).
      w.__scrubIdle = async () => {
        const deadline = t1 + 5000;
        while (!idleAt && performance.now() < deadline) await new Promise((res) => setTimeout(res, 5));
        const idle = (idleAt || performance.now()) - t1;
        await new Promise((res) => setTimeout(res, 150));
        return { idle, drawn: drawnAt ? drawnAt - t1 : NaN };
      };
      return { buildMs, from };
    }, { changes: CHANGES, incidents: INCIDENTS });

    const cdp = await page.context().newCDPSession(page);
    const scrubPaint = (ms: number) => page.evaluate((at) => (window as unknown as { __scrubPaint(at: number): Promise<{ paint: number; fold: number }> }).__scrubPaint(at), ms);
    const scrubIdle = () => page.evaluate(() => (window as unknown as { __scrubIdle(): Promise<{ idle: number; drawn: number }> }).__scrubIdle());
    const instant = (s: number) => setup.from + Math.floor(((s * 7919) % SCRUBS) / SCRUBS * 86_000_000);
    // Pass 1, the figures: no instrument running.
    const times: number[] = [];
    const folds: number[] = [];
    const idles: number[] = [];
    const drawn: number[] = [];
    for (let s = 0; s < SCRUBS; s++) {
      const one = await scrubPaint(instant(s));
      times.push(one.paint);
      folds.push(one.fold);
      const after = await scrubIdle();
      idles.push(after.idle);
      drawn.push(after.drawn);
    }
    // Pass 2, the same instants under Chromium's instruments (they slow the page a little): a CPU profile of each
    // seek → paint, and a trace over the whole pass.
    const js: JsShare[] = [];
    const profiled: number[] = [];
    const endTrace = await traceBrowser(cdp);
    for (let s = 0; s < SCRUBS; s++) {
      const stop = await profileMainThread(cdp);
      const one = await scrubPaint(instant(s));
      js.push(jsShare(await stop()));
      profiled.push(one.paint);
      await scrubIdle();
    }
    const trace = await endTrace();
    if (process.env.REPLAY_TRACE) writeFileSync(process.env.REPLAY_TRACE, JSON.stringify({ traceEvents: trace }));
    const busy = threadBusy(trace);
    const perSeek = (key: string) => round(Object.entries(busy).filter(([k]) => k.endsWith(key)).reduce((a, [, v]) => a + v, 0) / SCRUBS);
    const med = (k: keyof JsShare) => round(percentile(js.slice(2).map((x) => x[k]).sort((a, b) => a - b), 50));
    // The first two seeks warm up (JIT, first tiles); sorted for the percentiles.
    const sorted = (xs: number[]) => xs.slice(2).sort((a, b) => a - b);
    const [paints, foldsMs, idlesMs] = [sorted(times), sorted(folds), sorted(idles)];
    // NaN where the build has no such mark (before it was added).
    const drawnMs = sorted(drawn.filter((x) => !Number.isNaN(x)));
    return {
      name: 'replay scrub (20,000 changes a day)',
      metrics: {
        changes: CHANGES,
        scrubs: paints.length,
        loadDayMs: round(setup.buildMs),
        foldMsMedian: round(percentile(foldsMs, 50)),
        scrubToPaintMsMedian: round(percentile(paints, 50)),
        scrubToPaintMsP95: round(percentile(paints, 95)),
        scrubToPaintMsWorst: round(paints.at(-1)!),
        // Seek → the map's first frame with the new points and counts → painted (the instant fully on screen).
        scrubToPointsDrawnMsMedian: drawnMs.length ? round(percentile(drawnMs, 50)) : 'n/a',
        scrubToPointsDrawnMsP95: drawnMs.length ? round(percentile(drawnMs, 95)) : 'n/a',
        scrubToMapIdleMsMedian: round(percentile(idlesMs, 50)),
        scrubToMapIdleMsP95: round(percentile(idlesMs, 95)),
        // The app's own share of a seek → paint: main-thread JavaScript (profiled), medians by chunk.
        profiledScrubToPaintMsMedian: round(percentile(profiled.slice(2).sort((a, b) => a - b), 50)),
        seekJsMsMedian: med('total'),
        seekJsAppMs: med('app'),
        seekJsVueMs: med('vue'),
        seekJsMaplibreMs: med('maplibre'),
        seekJsEchartsMs: med('echarts'),
        seekJsGcMs: med('gc'),
        // Busy time per seek (whole scrub, idle wait included) of each thread, from the trace.
        rendererMainBusyMsPerSeek: perSeek('/CrRendererMain'),
        rendererCompositorBusyMsPerSeek: perSeek('/Compositor'),
        mapWorkerBusyMsPerSeek: perSeek('/DedicatedWorker thread'),
        gpuMainBusyMsPerSeek: perSeek('/CrGpuMain'),
        vizCompositorBusyMsPerSeek: perSeek('/VizCompositorThread'),
        budgetMs: 200,
      },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

/**
 * Wall view JS heap over an accelerated run. The server runs the simulator at a high rate (default 1,200
 * incidents a minute, 20× a busy street, before the hour-of-day rhythm; BENCH_SOAK_RATE overrides) with a
 * 1 s heartbeat; one wall page stays open for BENCH_SOAK_MINUTES minutes (default 10; the DESIGN figure is
 * a 30-minute run). Every 30 s: a full GC through CDP (HeapProfiler.collectGarbage), then the page's heap
 * (Runtime.getHeapUsage: V8 heap, and Blink's embedder heap beside it), DOM nodes and listeners (Performance.getMetrics), the applied seq (`data-seq`),
 * and a few in-page counts that point at the usual culprits (incident store size, feed items, performance
 * timeline entries). Heap growth is measured from the sample at minute 1 (after warm-up) to the last one.
 * The map's worker runs in its own isolate and is not part of these figures.
 * Budget (DESIGN): ≤ 10 % growth over 30 minutes.
 */
import type { CDPSession, Page } from 'playwright-core';
import { ensureClientBuilt } from '../../scripts/build-client.ts';
import { launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { round, sleep, type BenchResult } from './lib.ts';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const RATE = Number(process.env.BENCH_SOAK_RATE ?? 1200);
const SAMPLE_MS = 30_000;
const WARMUP_MS = 60_000;
const BUDGET_PCT = 10;

interface Sample {
  atS: number;
  heapUsed: number;
  heapTotal: number;
  /** Blink's own (Oilpan) heap: DOM, performance timeline entries and other objects outside V8. */
  embedderUsed: number;
  nodes: number;
  listeners: number;
  seq: number;
  storeIncidents: number;
  feedItems: number;
  perfEntries: number;
  measures: number;
}

const mb = (bytes: number) => round(bytes / 2 ** 20, 2);

async function sample(page: Page, cdp: CDPSession, t0: number): Promise<Sample> {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
  const inPage = await page.evaluate(() => {
    type Store = Record<string, unknown>;
    const app = (document.querySelector('#app') as unknown as { __vue_app__?: { config: { globalProperties: { $pinia?: { _s: Map<string, Store> } } } } })
      .__vue_app__;
    const incidents = app?.config.globalProperties.$pinia?._s.get('incidents') as { state?: { byId: Map<string, unknown> } } | undefined;
    return {
      seq: Number(document.querySelector('[data-testid=connection-status]')?.getAttribute('data-seq') ?? NaN),
      storeIncidents: incidents?.state?.byId.size ?? NaN,
      feedItems: document.querySelectorAll('[data-testid=incident-item]').length,
      perfEntries: performance.getEntries().length,
      measures: performance.getEntriesByType('measure').length,
    };
  });
  return {
    atS: Math.round((performance.now() - t0) / 1000),
    heapUsed: heap.usedSize,
    heapTotal: heap.totalSize,
    embedderUsed: heap.embedderHeapUsedSize ?? NaN,
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    ...inPage,
  };
}

export async function run(): Promise<BenchResult> {
  await ensureClientBuilt();
  const server = await startServer({ env: { SIMULATOR: 'on', SIMULATOR_RATE: String(RATE), HEARTBEAT_MS: '1000' } });
  const browser = await launchBrowser();
  try {
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/`);
    await page.waitForSelector('[data-testid=incident-item]', { timeout: 60_000 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.enable');

    const t0 = performance.now();
    const samples: Sample[] = [];
    const end = t0 + MINUTES * 60_000;
    let next = t0 + WARMUP_MS;
    const first = await sample(page, cdp, t0); // right after the first data, before warm-up
    while (next <= end + 1000) {
      await sleep(Math.max(0, next - performance.now()));
      const s = await sample(page, cdp, t0);
      samples.push(s);
      if (process.env.BENCH_VERBOSE) console.log(`\n  t=${s.atS}s heap=${mb(s.heapUsed)}MB embedder=${mb(s.embedderUsed)}MB nodes=${s.nodes} seq=${s.seq} store=${s.storeIncidents} feed=${s.feedItems} perfEntries=${s.perfEntries}`);
      next += SAMPLE_MS;
    }
    const base = samples[0]!;
    const last = samples[samples.length - 1]!;
    const growthPct = ((last.heapUsed - base.heapUsed) / base.heapUsed) * 100;
    const minutes = (last.atS - base.atS) / 60;
    // The incident store fills up to its cap (1,000) during the first minutes at this rate: growth measured
    // from the first sample where it is full separates that expected fill from a leak.
    const full = samples.find((s) => s.storeIncidents >= 900);
    const steadyPct = full && full !== last ? round(((last.heapUsed - full.heapUsed) / full.heapUsed) * 100, 1) : 'n/a';
    // Least-squares slope over the second half of the run.
    const half = samples.slice(Math.floor(samples.length / 2));
    const mx = half.reduce((a, s) => a + s.atS, 0) / half.length;
    const my = half.reduce((a, s) => a + s.heapUsed, 0) / half.length;
    const slope = half.reduce((a, s) => a + (s.atS - mx) * (s.heapUsed - my), 0) / (half.reduce((a, s) => a + (s.atS - mx) ** 2, 0) || 1);
    return {
      name: 'wall view soak (JS heap)',
      metrics: {
        ran: `${MINUTES} min, simulator ${RATE}/min, heartbeat 1 s (DESIGN figure: 30 min)`,
        incidentsReceived: last.seq - first.seq,
        seqAtEnd: last.seq,
        heapAtFirstDataMB: mb(first.heapUsed),
        heapAfterWarmupMB: mb(base.heapUsed),
        heapAtEndMB: mb(last.heapUsed),
        heapMaxMB: mb(Math.max(...samples.map((s) => s.heapUsed))),
        heapGrowthPct: round(growthPct, 1),
        heapGrowthKBPerMin: round((last.heapUsed - base.heapUsed) / 1024 / minutes, 1),
        budgetGrowthPct: BUDGET_PCT,
        embedderHeapAfterWarmupMB: mb(base.embedderUsed),
        embedderHeapAtEndMB: mb(last.embedderUsed),
        embedderHeapGrowthPct: round(((last.embedderUsed - base.embedderUsed) / base.embedderUsed) * 100, 1),
        storeFullAtMin: full ? round(full.atS / 60, 1) : 'never',
        heapGrowthSinceStoreFullPct: steadyPct,
        heapSlopeSecondHalfKBPerMin: round((slope * 60) / 1024, 1),
        domNodesStart: base.nodes,
        domNodesEnd: last.nodes,
        jsEventListenersStart: base.listeners,
        jsEventListenersEnd: last.listeners,
        storeIncidentsEnd: last.storeIncidents,
        feedItemsStartEnd: `${base.feedItems} → ${last.feedItems}`,
        perfTimelineEntriesStartEnd: `${base.perfEntries} → ${last.perfEntries} (measures ${base.measures} → ${last.measures})`,
        heapSeriesMB: samples.map((s) => `${round(s.atS / 60, 1)}m:${mb(s.heapUsed)}`).join(' '),
        pageErrors: pageErrors.length,
        externalRequests: external.length,
      },
    };
  } finally {
    await browser.close();
    await server.stop();
  }
}

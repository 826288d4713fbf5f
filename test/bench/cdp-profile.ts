/**
 * Main-thread shares from Chromium's own instruments, for browser benches: JavaScript time from a V8 CPU profile
 * (CDP `Profiler`) split by the chunk the code came from, and thread busy time from a performance trace (CDP
 * `Tracing`). What is left of a timed interval beyond them is the browser's own work (style, layout, raster,
 * SwiftShader's software GL in the GPU process) and waiting for frames.
 */
import type { CDPSession } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** Where a sample's time goes: the asset chunk (maplibre, vue, echarts, app) or the garbage collector. */
export type JsShare = Record<'total' | 'maplibre' | 'vue' | 'echarts' | 'app' | 'gc', number>;

function bucketOf(url: string): keyof JsShare | null {
  if (!url) return null;
  const file = url.slice(url.lastIndexOf('/') + 1);
  if (file.startsWith('maplibre')) return 'maplibre';
  if (file.startsWith('vue-')) return 'vue';
  if (file.startsWith('echarts')) return 'echarts';
  return 'app';
}

/**
 * JavaScript time of a profile in ms (GC included; idle and "(program)", the browser's native work, left out),
 * each sample charged to the chunk of its nearest frame with a URL (a builtin such as JSON.stringify or
 * postMessage's structured clone is charged to its caller's chunk).
 */
export function jsShare(p: CpuProfile): JsShare {
  const out: JsShare = { total: 0, maplibre: 0, vue: 0, echarts: 0, app: 0, gc: 0 };
  const parent = new Map<number, number>();
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map<number, keyof JsShare | 'none'>();
  const bucket = (id: number): keyof JsShare | 'none' => {
    const hit = memo.get(id);
    if (hit) return hit;
    const n = byId.get(id)!;
    const name = n.callFrame.functionName;
    let b: keyof JsShare | 'none';
    if (name === '(idle)' || name === '(program)' || name === '(root)') b = 'none';
    else if (name === '(garbage collector)') b = 'gc';
    else b = bucketOf(n.callFrame.url) ?? (parent.has(id) ? bucket(parent.get(id)!) : 'none');
    if (b === 'none' && name !== '(idle)' && name !== '(program)' && name !== '(root)') b = 'app';
    memo.set(id, b);
    return b;
  };
  const samples = p.samples ?? [];
  const deltas = p.timeDeltas ?? [];
  let t = p.startTime;
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const next = i + 1 < samples.length ? t + (deltas[i + 1] ?? 0) : p.endTime;
    const b = bucket(samples[i]!);
    if (b === 'none') continue;
    const ms = (next - t) / 1000;
    out[b] += ms;
    out.total += ms;
  }
  return out;
}

/** Starts a V8 CPU profile of the page's main thread (sampling every 100 µs); the returned function stops it. */
export async function profileMainThread(cdp: CDPSession): Promise<() => Promise<CpuProfile>> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return async () => (await cdp.send('Profiler.stop')).profile as CpuProfile;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/** Busy ms per thread (named "process/thread") in a trace: the sum of its top-level tasks. */
export function threadBusy(events: TraceEvent[]): Record<string, number> {
  const names = new Map<string, string>();
  const procs = new Map<number, string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    if (e.ph === 'M' && e.name === 'process_name') procs.set(e.pid, e.args?.name ?? '?');
  }
  const out: Record<string, number> = {};
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !e.dur) continue;
    const key = `${procs.get(e.pid) ?? e.pid}/${names.get(`${e.pid}:${e.tid}`) ?? e.tid}`;
    out[key] = (out[key] ?? 0) + e.dur / 1000;
  }
  return out;
}

/** Records a Chromium trace (toplevel tasks of every thread and the timeline); the returned function ends it. */
export async function traceBrowser(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'gpu', 'v8.execute', 'blink.user_timing'] }, transferMode: 'ReportEvents' });
  return async () => {
    const done = new Promise<void>((res) => cdp.once('Tracing.tracingComplete', () => res()));
    await cdp.send('Tracing.end');
    await done;
    return events;
  };
}

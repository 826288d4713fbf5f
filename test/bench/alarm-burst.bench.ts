import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { login, startServer } from '../e2e/harness.ts';
import { MERGE_RADIUS_M } from '#common/incidents/merge';
import { distanceM } from '#common/geo/crs';
import { distinctEvent, SLOTS, percentile, round, sleep, type BenchResult } from './lib.ts';
import { rawSubscriber } from './raw-client.ts';

/**
 * An alarm storm (issue 14): BURST events in BURST_S seconds, posted in batches of BATCH (as a gateway would
 * forward them) while SOCKETS lean websocket clients listen: WALLS of them on the whole district, the rest
 * each on one community, round-robin, as consoles and phones would be. Events are distinct (no merges), so
 * each one's push can be found by its externalId. Beside it in the same run, the baseline: a calm CALM events
 * at 100/s to the same sockets. Reported: events accepted vs posted, deliveries to the district-wide sockets
 * (each must see every event: none lost), the backlog drain time (last POST sent → last delivery, and last 202
 * → last delivery), POST → 202 times, socket lag (POST sent → frame received) p50 / p90 / p99 / max on all
 * sockets, CPU of the server and of the clients (this process), and the server's peak RSS.
 */
const BURST = Number(process.env.BENCH_BURST_EVENTS ?? 100_000);
const BURST_S = Number(process.env.BENCH_BURST_SECONDS ?? 60);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const WALLS = 10;
const CALM = 1000;
const BATCH = 100;
/** Places of events are this far apart, beyond MERGE_RADIUS_M. */
const APART_M = MERGE_RADIUS_M + 50;
const KEY = 'bench-burst-key-0123456789';

interface Phase {
  accepted: number;
  merged: number;
  wallDeliveries: number;
  otherDeliveries: number;
  /** Events some district-wide socket never got (the first few ids). */
  missing: string[];
  /** Last POST sent → last push received. */
  drainS: number;
  /** Last 202 answered → last push received (0 when every push came before it). */
  drainAfter202S: number;
  postS: number;
  /** POST sent → its 202 answered, per request. */
  answer: Float64Array;
  lag: Float64Array;
  serverCpuPct: number;
  clientCpuPct: number;
  rssPeakMB: number;
  /** Requests not answered 202, by reason. */
  failures: string;
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const rssMB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

export async function run(): Promise<BenchResult> {
  const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}`, HEARTBEAT_MS: '5000', SOCKET_USER_LIMIT: '5000,1000' } });
  const sockets: WebSocket[] = [];
  try {
    const token = await login(server);
    const tree = (await (await fetch(`${server.url}/api/regions`, { headers: { Authorization: `Bearer ${token}` } })).json()) as RegionNode;
    const communities = tree.children.flatMap((s) => s.children.map((c) => c.id));
    // Places: the middle of each grid's vertices, kept where it lies over APART_M from every one kept
    // before, so that no two places are close enough to merge (an odd count, for the rotation below).
    const geo = (await (await fetch(`${server.url}/api/geo/regions.geojson?level=grid`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      features: { geometry: { coordinates: number[][][] } }[];
    };
    const places: { lng: number; lat: number }[] = [];
    for (const f of geo.features) {
      const ring = f.geometry.coordinates[0]!.slice(1);
      const p = { lng: ring.reduce((a, q) => a + q[0]!, 0) / ring.length, lat: ring.reduce((a, q) => a + q[1]!, 0) / ring.length };
      if (places.every((q) => distanceM(p, q) > APART_M)) places.push(p);
    }
    if (places.length % 2 === 0) places.pop();
    // Event n has time slot n % SLOTS (distinctEvent) and place (n + page) % places, page = ⌊n / SLOTS⌋: two events of
    // one slot are Δ pages apart and their places 1,348 × Δ (4 × 337 × Δ), which an odd count below 337 divides
    // only when it divides Δ: no merges while there are fewer pages than places. Consecutive events go round the grids.
    const pages = Math.ceil((CALM + BURST) / SLOTS);
    if (places.length <= pages || places.length >= 337) throw new Error(`${places.length} places for ${pages} pages of events: some would merge`);
    const eventOf = (id: string, n: number) => ({ ...distinctEvent(id, n), location: places[(n + Math.floor(n / SLOTS)) % places.length]! });

    let sentAt = new Map<string, number>();
    let samples: number[] = [];
    let wallSeen = new Map<string, number>();
    let wallDeliveries = 0;
    let otherDeliveries = 0;
    let lastAt = 0;
    const ids = /"externalId":"(x\d+-\d+)"/g;
    const onFrame = (wall: boolean) => (frame: string, at: number) => {
      for (const m of frame.matchAll(ids)) {
        const t0 = sentAt.get(m[1]!);
        if (t0 === undefined) continue;
        samples.push(at - t0);
        if (wall) {
          wallDeliveries++;
          wallSeen.set(m[1]!, (wallSeen.get(m[1]!) ?? 0) + 1);
        } else otherDeliveries++;
        lastAt = at;
      }
    };
    for (let i = 0; i < SOCKETS; i += 50) {
      const batch = Array.from({ length: Math.min(50, SOCKETS - i) }, (_, k) => {
        const n = i + k;
        return n < WALLS ? rawSubscriber(server.url, token, onFrame(true)) : rawSubscriber(server.url, token, onFrame(false), communities[n % communities.length]);
      });
      sockets.push(...(await Promise.all(batch)));
    }
    await sleep(1000);

    /**
     * Post `total` events at `perS`, in batches; wait until the district-wide sockets have them all and nothing
     * has arrived for 2 s (the community sockets' share), or until nothing has arrived for 20 s (some lost).
     */
    async function phase(tag: string, offset: number, total: number, perS: number): Promise<Phase> {
      sentAt = new Map();
      samples = [];
      wallSeen = new Map();
      wallDeliveries = otherDeliveries = 0;
      const answers: number[] = [];
      const failures = new Map<string, number>();
      let merged = 0;
      let rssPeak = rssMB(server.pid);
      const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, rssMB(server.pid))), 250);
      const cpu0 = cpuSeconds(server.pid);
      const clientCpu0 = process.cpuUsage();
      const start = performance.now();
      lastAt = start;
      const posts: Promise<number>[] = [];
      let lastPostAt = start;
      for (let from = 0; from < total; from += BATCH) {
        const wait = start + (from * 1000) / perS - performance.now();
        if (wait > 0) await sleep(wait);
        const events = Array.from({ length: Math.min(BATCH, total - from) }, (_, i) => eventOf(`${tag}-${from + i}`, offset + from + i));
        const at = performance.now();
        lastPostAt = at;
        for (const e of events) sentAt.set(e.externalId, at);
        posts.push(
          fetch(`${server.url}/api/ingest/events`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
            body: JSON.stringify(events),
          })
            .then((r) => {
              if (r.status !== 202) failures.set(`HTTP ${r.status}`, (failures.get(`HTTP ${r.status}`) ?? 0) + 1);
              return r.json() as Promise<{ results?: { ok: boolean; merged?: boolean }[] }>;
            })
            .then((b) => {
              answers.push(performance.now() - at);
              const ok = (b.results ?? []).filter((r) => r.ok);
              merged += ok.filter((r) => r.merged).length;
              return ok.length;
            })
            .catch((err: unknown) => {
              const why = String((err as { cause?: unknown }).cause ?? err);
              failures.set(why, (failures.get(why) ?? 0) + 1);
              return 0;
            }),
        );
      }
      const accepted = (await Promise.all(posts)).reduce((a, b) => a + b, 0);
      const answeredAt = performance.now();
      const deadline = answeredAt + 300_000;
      for (;;) {
        const now = performance.now();
        const quiet = now - Math.max(lastAt, answeredAt);
        if (now > deadline || quiet > 20_000 || (wallDeliveries >= total * WALLS && quiet > 2000)) break;
        await sleep(50);
      }
      const elapsed = (lastAt - start) / 1000;
      const clientCpu = process.cpuUsage(clientCpu0);
      clearInterval(rssTimer);
      const missing: string[] = [];
      for (let n = 0; n < total && missing.length < 5; n++) if ((wallSeen.get(`${tag}-${n}`) ?? 0) < WALLS) missing.push(`${tag}-${n}`);
      return {
        accepted,
        merged,
        wallDeliveries,
        otherDeliveries,
        missing,
        postS: (answeredAt - start) / 1000,
        drainS: Math.max(0, (lastAt - lastPostAt) / 1000),
        drainAfter202S: Math.max(0, (lastAt - answeredAt) / 1000),
        answer: Float64Array.from(answers).sort(),
        lag: Float64Array.from(samples).sort(),
        // Over the phase up to its last delivery (the quiet wait after it is left out).
        serverCpuPct: ((cpuSeconds(server.pid) - cpu0) / Math.max(elapsed, (answeredAt - start) / 1000)) * 100,
        clientCpuPct: ((clientCpu.user + clientCpu.system) / 1e6 / ((performance.now() - start) / 1000)) * 100,
        rssPeakMB: rssPeak,
        failures: [...failures].map(([why, n]) => `${n} × ${why}`).join('; '),
      };
    }

    const calm = await phase('x1', 0, CALM, 100);
    const burst = await phase('x2', CALM, BURST, BURST / BURST_S);
    const ms = (a: Float64Array, p: number) => round(percentile(a, p));
    const show = (p: Phase, total: number) => ({
      accepted: `${p.accepted} / ${total} (${p.merged} merged)${p.failures ? `; requests failed: ${p.failures}` : ''}`,
      walls: `${p.wallDeliveries} / ${total * WALLS}${p.missing.length ? `, missing e.g. ${p.missing.join(' ')}` : ''}`,
      lag: `p50 ${ms(p.lag, 50)} ms, p90 ${ms(p.lag, 90)} ms, p99 ${ms(p.lag, 99)} ms, max ${round(p.lag.at(-1) ?? NaN)} ms (${p.lag.length} deliveries)`,
      answer: `p50 ${ms(p.answer, 50)} ms, p99 ${ms(p.answer, 99)} ms, max ${round(p.answer.at(-1) ?? NaN)} ms`,
      cpu: `server ${round(p.serverCpuPct)} %, clients ${round(p.clientCpuPct)} % of a core; server RSS peak ${round(p.rssPeakMB)} MB`,
    });
    const c = show(calm, CALM);
    const b = show(burst, BURST);
    return {
      name: 'alarm burst',
      metrics: {
        sockets: `${SOCKETS} (${WALLS} on the district, ${SOCKETS - WALLS} on ${communities.length} communities)`,
        places: `${places.length} grid middles, each over ${APART_M} m from the others`,
        'burst offered': `${BURST} events in ${BURST_S} s (${Math.round(BURST / BURST_S)}/s, batches of ${BATCH})`,
        'burst posting took s': round(burst.postS, 2),
        'burst accepted': b.accepted,
        'baseline accepted (100/s)': c.accepted,
        'burst wall deliveries': b.walls,
        'baseline wall deliveries': c.walls,
        'burst other deliveries': burst.otherDeliveries,
        'burst drain s (last POST sent → last push)': round(burst.drainS, 2),
        'burst drain s (last 202 → last push)': round(burst.drainAfter202S, 2),
        'baseline drain s (last POST sent → last push)': round(calm.drainS, 2),
        'burst POST → 202': b.answer,
        'baseline POST → 202': c.answer,
        'burst socket lag': b.lag,
        'baseline socket lag': c.lag,
        'burst CPU, RSS': b.cpu,
        'baseline CPU, RSS': c.cpu,
        target: 'none lost; 1,000 sockets under 1 s lag',
      },
    };
  } finally {
    for (const s of sockets) s.terminate();
    await server.stop();
  }
}

interface RegionNode {
  id: string;
  children: RegionNode[];
}

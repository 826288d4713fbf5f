import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { login, startServer } from '../e2e/harness.ts';
import { distinctEvent, percentile, round, sleep, type BenchResult } from './lib.ts';
import { rawSubscriber } from './raw-client.ts';

/**
 * An alarm storm (issue 14): BURST events in BURST_S seconds, posted in batches of BATCH (as a gateway would
 * forward them) while SOCKETS lean websocket clients listen: WALLS of them on the whole district, the rest
 * each on one community, round-robin, as consoles and phones would be. Events are distinct (no merges), so
 * each one's push can be found by its externalId. Beside it in the same run, the baseline: a calm CALM events
 * at 100/s to the same sockets. Reported: events accepted vs posted, deliveries to the district-wide sockets
 * (each must see every event: none lost), the backlog drain time (end of the burst window, or the last batch
 * answered if later → last delivery), and
 * socket lag (POST sent → frame received) p50 / p99 on all sockets.
 */
const BURST = Number(process.env.BENCH_BURST_EVENTS ?? 100_000);
const BURST_S = Number(process.env.BENCH_BURST_SECONDS ?? 60);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const WALLS = 10;
const CALM = 1000;
const BATCH = 100;
const KEY = 'bench-burst-key-0123456789';

interface Phase {
  accepted: number;
  wallDeliveries: number;
  otherDeliveries: number;
  drainS: number;
  postS: number;
  lag: Float64Array;
}

export async function run(): Promise<BenchResult> {
  const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}`, HEARTBEAT_MS: '5000', SOCKET_USER_LIMIT: '5000,1000' } });
  const sockets: WebSocket[] = [];
  try {
    const token = await login(server);
    const tree = (await (await fetch(`${server.url}/api/regions`, { headers: { Authorization: `Bearer ${token}` } })).json()) as RegionNode;
    const communities = tree.children.flatMap((s) => s.children.map((c) => c.id));
    // Places: the middle of each grid's vertices, in turn (so every community socket has its share).
    const geo = (await (await fetch(`${server.url}/api/geo/regions.geojson?level=grid`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
      features: { geometry: { coordinates: number[][][] } }[];
    };
    const places = geo.features.map((f) => {
      const ring = f.geometry.coordinates[0]!.slice(1);
      return { lng: ring.reduce((a, p) => a + p[0]!, 0) / ring.length, lat: ring.reduce((a, p) => a + p[1]!, 0) / ring.length };
    });
    // n and m share a place and a 31-minute slot only 296,340 events apart: no merges.
    const eventOf = (id: string, n: number) => ({ ...distinctEvent(id, n), location: places[n % places.length]! });

    let sentAt = new Map<string, number>();
    let samples: number[] = [];
    let wallDeliveries = 0;
    let otherDeliveries = 0;
    let lastAt = 0;
    const ids = /"externalId":"(x\d+-\d+)"/g;
    const onFrame = (wall: boolean) => (frame: string, at: number) => {
      for (const m of frame.matchAll(ids)) {
        const t0 = sentAt.get(m[1]!);
        if (t0 === undefined) continue;
        samples.push(at - t0);
        if (wall) wallDeliveries++;
        else otherDeliveries++;
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

    /** Post `total` events at `perS`, in batches; wait until the district-wide sockets have them all (or 5 min). */
    async function phase(tag: string, offset: number, total: number, perS: number): Promise<Phase> {
      sentAt = new Map();
      samples = [];
      wallDeliveries = otherDeliveries = 0;
      const start = performance.now();
      const posts: Promise<number>[] = [];
      for (let from = 0; from < total; from += BATCH) {
        const wait = start + (from * 1000) / perS - performance.now();
        if (wait > 0) await sleep(wait);
        const events = Array.from({ length: Math.min(BATCH, total - from) }, (_, i) => eventOf(`${tag}-${from + i}`, offset + from + i));
        const at = performance.now();
        for (const e of events) sentAt.set(e.externalId, at);
        posts.push(
          fetch(`${server.url}/api/ingest/events`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
            body: JSON.stringify(events),
          })
            .then((r) => r.json() as Promise<{ results?: { ok: boolean }[] }>)
            .then((b) => (b.results ?? []).filter((r) => r.ok).length)
            .catch(() => 0),
        );
      }
      const accepted = (await Promise.all(posts)).reduce((a, b) => a + b, 0);
      const answeredAt = performance.now();
      const deadline = answeredAt + 300_000;
      // Done when every wall has every event and nothing has arrived for 2 s (the community sockets' share).
      while (performance.now() < deadline && (wallDeliveries < total * WALLS || performance.now() - lastAt < 2000)) await sleep(50);
      return {
        accepted,
        wallDeliveries,
        otherDeliveries,
        postS: (answeredAt - start) / 1000,
        drainS: Math.max(0, (lastAt - Math.max(answeredAt, start + (total * 1000) / perS)) / 1000),
        lag: Float64Array.from(samples).sort(),
      };
    }

    const calm = await phase('x1', 0, CALM, 100);
    const burst = await phase('x2', CALM, BURST, BURST / BURST_S);
    const show = (p: Phase, total: number) => ({
      accepted: `${p.accepted} / ${total}`,
      walls: `${p.wallDeliveries} / ${total * WALLS}`,
      lag: `p50 ${round(percentile(p.lag, 50))} ms, p99 ${round(percentile(p.lag, 99))} ms, max ${round(p.lag.at(-1) ?? NaN)} ms`,
    });
    const c = show(calm, CALM);
    const b = show(burst, BURST);
    return {
      name: 'alarm burst (1,000 sockets)',
      metrics: {
        sockets: `${SOCKETS} (${WALLS} on the district, ${SOCKETS - WALLS} on ${communities.length} communities)`,
        'burst offered': `${BURST} events in ${BURST_S} s (${Math.round(BURST / BURST_S)}/s, batches of ${BATCH})`,
        'burst posting took s': round(burst.postS),
        'burst accepted': b.accepted,
        'baseline accepted (100/s)': c.accepted,
        'burst wall deliveries': b.walls,
        'baseline wall deliveries': c.walls,
        'burst other deliveries': burst.otherDeliveries,
        'burst drain s (burst end or last 202 → last push)': round(burst.drainS, 2),
        'baseline drain s': round(calm.drainS, 2),
        'burst socket lag': b.lag,
        'baseline socket lag': c.lag,
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

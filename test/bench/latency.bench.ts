import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { login, startServer } from '../e2e/harness.ts';
import { distinctEvent, percentile, round, sleep, type BenchResult } from './lib.ts';
import { rawSubscriber } from './raw-client.ts';

/**
 * Ingest → client latency: SOCKETS websocket clients subscribed to the whole district, RATE events/s posted
 * one per request to POST /api/ingest/events for DURATION_S. A sample is the time from sending the POST to
 * one socket receiving the frame that carries it. The server runs in its own process, the clients in this one
 * (lean raw websocket clients, see raw-client.ts), all on the same cores; CPU of both is reported.
 */
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const KEY = 'bench-ingest-key-0123456789';



/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

export async function run(): Promise<BenchResult> {
  const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}`, HEARTBEAT_MS: '5000', SOCKET_USER_LIMIT: '5000,1000' } });
  const sockets: WebSocket[] = [];
  try {
    const token = await login(server);
    const sentAt = new Map<string, number>();
    const samples: number[] = [];
    const ids = /"externalId":"(lat-\d+)"/g;
    const onFrame = (frame: string, at: number) => {
      for (const m of frame.matchAll(ids)) {
        const t0 = sentAt.get(m[1]!);
        if (t0 !== undefined) samples.push(at - t0);
      }
    };
    for (let i = 0; i < SOCKETS; i += 50) {
      const batch = Array.from({ length: Math.min(50, SOCKETS - i) }, () => rawSubscriber(server.url, token, onFrame));
      sockets.push(...(await Promise.all(batch)));
    }
    await sleep(1000);

    const total = RATE * DURATION_S;
    const serverCpu0 = cpuSeconds(server.pid);
    const clientCpu0 = process.cpuUsage();
    const start = performance.now();
    const posts: Promise<number>[] = [];
    for (let n = 0; n < total; n++) {
      const wait = start + (n * 1000) / RATE - performance.now();
      if (wait > 0) await sleep(wait);
      const externalId = `lat-${n}`;
      sentAt.set(externalId, performance.now());
      posts.push(
        fetch(`${server.url}/api/ingest/events`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
          body: JSON.stringify(distinctEvent(externalId, n)),
        }).then((r) => r.status),
      );
    }
    const statuses = await Promise.all(posts);
    const deadline = performance.now() + 30_000;
    while (samples.length < total * SOCKETS && performance.now() < deadline) await sleep(50);
    const wall = (performance.now() - start) / 1000;
    const clientCpu = process.cpuUsage(clientCpu0);
    const sorted = Float64Array.from(samples).sort();
    return {
      name: 'ingest → client latency',
      metrics: {
        sockets: SOCKETS,
        'events/s offered': RATE,
        events: total,
        'HTTP 202': statuses.filter((s) => s === 202).length,
        'deliveries received': `${samples.length} / ${total * SOCKETS}`,
        'p50 ms': round(percentile(sorted, 50)),
        'p90 ms': round(percentile(sorted, 90)),
        'p99 ms': round(percentile(sorted, 99)),
        'max ms': round(sorted.at(-1) ?? NaN),
        'server CPU %': round(((cpuSeconds(server.pid) - serverCpu0) / wall) * 100),
        'clients CPU %': round(((clientCpu.user + clientCpu.system) / 1e6 / wall) * 100),
      },
    };
  } finally {
    for (const s of sockets) s.terminate();
    await server.stop();
  }
}

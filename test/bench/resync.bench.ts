import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';
import { login, startServer } from '../e2e/harness.ts';
import { distinctEvent, percentile, round, type BenchResult } from './lib.ts';

/** Resync after missing MISSED events: a new socket's `sync:since` round trip, until the delta is in hand. */
const MISSED = Number(process.env.BENCH_MISSED ?? 1000);
const ROUNDS = 7;
const KEY = 'bench-ingest-key-0123456789';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function run(): Promise<BenchResult> {
  const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}` } });
  try {
    const token = await login(server);
    const times: number[] = [];
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const first: ClientSocket = io(server.url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
      const snap = await first.emitWithAck('scope:subscribe', {});
      if (!snap.ok) throw new Error(snap.error.message);
      first.disconnect();
      const batch = Array.from({ length: MISSED }, () => distinctEvent(`resync-${n}`, n++));
      const res = await fetch(`${server.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
        body: JSON.stringify(batch),
      });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
      const again: ClientSocket = io(server.url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
      await new Promise<void>((r) => again.once('connect', () => r()));
      const t0 = performance.now();
      const reply = await again.emitWithAck('sync:since', { seq: snap.data.seq, regionId: snap.data.regionId });
      const ms = performance.now() - t0;
      again.disconnect();
      // Compacted replay or snapshot, whichever is smaller (snapshot.ts); a replay holds every missed incident.
      if (!reply.ok || (reply.data.mode === 'delta' && reply.data.changes.length !== MISSED)) {
        throw new Error('resync did not return exactly the missed changes');
      }
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const few = await fewIncidents(server.url, token, n);
    return {
      name: `resync after missing ${MISSED} events`,
      metrics: {
        rounds: ROUNDS,
        'median ms': round(percentile(times, 50)),
        'max ms': round(times.at(-1)!),
        [`${MISSED} changes to 50 incidents: bytes`]: few.bytes,
        'fresh snapshot bytes': few.snapshotBytes,
        'resync / snapshot (target ≤ 0.2)': round(few.bytes / few.snapshotBytes, 3),
      },
    };
  } finally {
    await server.stop();
  }
}

/** Bytes of a resync after MISSED changes (merged reports) to 50 incidents already stored, beside a fresh snapshot's. */
async function fewIncidents(url: string, token: string, stored: number) {
  const first: ClientSocket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  const snap = await first.emitWithAck('scope:subscribe', {});
  first.disconnect();
  if (!snap.ok) throw new Error(snap.error.message);
  const merges = Array.from({ length: MISSED }, (_, k) => ({ ...distinctEvent(`few-${k}`, stored - 1 - (k % 50)) }));
  for (let i = 0; i < merges.length; i += 500) {
    const res = await fetch(`${url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
      body: JSON.stringify(merges.slice(i, i + 500)),
    });
    if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
  }
  const again: ClientSocket = io(url, { transports: ['websocket'], auth: { token }, forceNew: true, reconnection: false });
  await new Promise<void>((r) => again.once('connect', () => r()));
  const reply = await again.emitWithAck('sync:since', { seq: snap.data.seq, regionId: snap.data.regionId });
  const fresh = await again.emitWithAck('scope:subscribe', { regionId: snap.data.regionId });
  again.disconnect();
  if (!reply.ok || !fresh.ok) throw new Error('resync failed');
  return { bytes: JSON.stringify(reply.data).length, snapshotBytes: JSON.stringify(fresh.data).length };
}

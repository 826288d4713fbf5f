import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startServer } from '../e2e/harness.ts';
import { distinctEvent, round, type BenchResult } from './lib.ts';

/**
 * Ingest throughput through the whole pipeline (HTTP → validate → normalize → grid lookup → dedupe/merge →
 * one SQLite transaction with the event log → publish → 202), batched and one event per request, beside a
 * bare better-sqlite3 insert loop of the same rows in this process (same WAL + synchronous=FULL settings,
 * same batch size per transaction) as the reference for what the disk and SQLite allow.
 */
const BATCHED = Number(process.env.BENCH_INGEST_EVENTS ?? 50_000);
const BATCH = 500;
const SINGLE = Number(process.env.BENCH_INGEST_SINGLE ?? 3000);
const KEY = 'bench-ingest-key-0123456789';

const eventOf = (n: number) => distinctEvent(`b-${n}`, n);

async function post(url: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/api/ingest/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`ingest answered ${res.status}`);
  await res.arrayBuffer();
}

/** `total` items, `step` per request, in `concurrency` parallel request streams; events per second. */
async function drive(total: number, step: number, concurrency: number, send: (from: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const from = next;
        next += step;
        await send(from);
      }
    }),
  );
  return total / ((performance.now() - start) / 1000);
}

function bareSqlite(rows: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'gridops-bench-sqlite-'));
  try {
    const db = new Database(join(dir, 'bare.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (external_id, data) VALUES (?, ?)');
    const tx = db.transaction((from: number) => {
      for (let n = from; n < from + BATCH; n++) insert.run(`b-${n}`, JSON.stringify(eventOf(n)));
    });
    const start = performance.now();
    for (let from = 0; from < rows; from += BATCH) tx(from);
    const perS = rows / ((performance.now() - start) / 1000);
    db.close();
    return perS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<BenchResult> {
  const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}` } });
  try {
    await post(server.url, eventOf(-1)); // warm-up
    const batched = await drive(BATCHED, BATCH, 2, (from) => post(server.url, Array.from({ length: BATCH }, (_, i) => eventOf(from + i))));
    const single = await drive(SINGLE, 1, 16, (from) => post(server.url, eventOf(1_000_000 + from)));
    const bare = bareSqlite(BATCHED);
    return {
      name: 'ingest throughput',
      metrics: {
        'batched events/s': Math.round(batched),
        [`(batches of ${BATCH}, ${BATCHED} events)`]: '',
        'single events/s': Math.round(single),
        [`(one per request, 16 streams, ${SINGLE})`]: '',
        'bare SQLite inserts/s': Math.round(bare),
        'pipeline / bare': round(batched / bare, 2),
      },
    };
  } finally {
    await server.stop();
  }
}

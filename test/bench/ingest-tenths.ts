/**
 * The ingest pipeline in process (normalize → group commit → SQLite store with merges, no HTTP), realistic events
 * in batches of 500, timed per tenth: events/s, the process's CPU per event, and with INGEST_TENTHS_WAL=1 the WAL
 * frames each commit wrote (the WAL is truncated after every batch to count them, which changes the timing). With
 * INGEST_TENTHS_STATEMENTS=1 also the time in each statement (COMMIT included) per tenth. Each tenth prints the share of
 * its events that merged into an open incident: on an empty store it rises from ~27 % to ~95 % over 100,000 events,
 * so a cold run's tenths are not the same load. INGEST_TENTHS_WARMUP=N first ingests N realistic events untimed (other
 * places, same mix), so the timed tenths run at the merge share a cold run of N ends at: a steady state, where what
 * is left of the fall is the store slowing as it grows.
 * Not part of `npm run bench`: a tool for finding what grows as the store fills (README, "The fall").
 *   flock /work/helpers/e2e.lock npx tsx test/bench/ingest-tenths.ts   (INGEST_TENTHS_EVENTS, default 100,000)
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUNDLED_GEO_DIR, readRegions } from '../../server/geo/dataset.ts';
import { Regions } from '../../server/geo/regions.ts';
import { createPipeline } from '../../server/ingest/pipeline.ts';
import { SourceRegistry } from '../../server/ingest/sources.ts';
import { createLogger } from '../../server/log.ts';
import { createSqliteStore } from '../../server/store/sqlite/index.ts';
import { realisticEvent } from './lib.ts';

const N = Number(process.env.INGEST_TENTHS_EVENTS ?? 100_000);
const BATCH = 500;
const TENTH = N / 10;
const WARMUP = Number(process.env.INGEST_TENTHS_WARMUP ?? 0);

// Statement timing wraps better-sqlite3's Statement methods, so it costs a little itself: off by default.
const byStatement = new Map<string, number>();
if (process.env.INGEST_TENTHS_STATEMENTS) {
  const proto = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
  for (const m of ['run', 'all', 'get', 'iterate']) {
    const orig = proto[m]!;
    proto[m] = function (this: { source: string }, ...args: unknown[]) {
      const t = performance.now();
      try {
        return orig.apply(this, args);
      } finally {
        const key = this.source.replace(/\s+/g, ' ').slice(0, 60);
        byStatement.set(key, (byStatement.get(key) ?? 0) + performance.now() - t);
      }
    };
  }
}

const regions = new Regions(readRegions(BUNDLED_GEO_DIR));
const dir = mkdtempSync(join(tmpdir(), 'gridops-tenths-'));
const file = join(dir, 'gridops.sqlite');
const store = createSqliteStore(file, regions.root.id);
const pipeline = createPipeline({ store, regions, sources: new SourceRegistry(), publish: () => undefined, log: createLogger('silent') });
const side = process.env.INGEST_TENTHS_WAL ? new Database(file) : null;
const writtenBytes = () => Number(/write_bytes: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? 0);

if (WARMUP > 0) {
  const t = performance.now();
  let warmMerged = 0;
  for (let from = 0; from < WARMUP; from += BATCH) {
    const n = Math.min(BATCH, WARMUP - from);
    const results = await pipeline.submit('iot', Array.from({ length: n }, (_, i) => realisticEvent(`w-${from + i}`, from + i)));
    warmMerged += results.filter((r) => r.ok && r.merged).length;
  }
  side?.pragma('wal_checkpoint(TRUNCATE)');
  console.log(`warm-up: ${WARMUP} events untimed in ${((performance.now() - t) / 1000).toFixed(1)} s, ${Math.round((100 * warmMerged) / WARMUP)} % merged`);
}

const tenths: number[] = [];
const shares: number[] = [];
const start = performance.now();
const cpuStart = process.cpuUsage();
let [t0, cpu0, bytes0, frames, merged] = [start, process.cpuUsage(), writtenBytes(), 0, 0];
for (let from = 0; from < N; from += BATCH) {
  const results = await pipeline.submit('iot', Array.from({ length: BATCH }, (_, i) => realisticEvent(`r-${from + i}`, WARMUP + from + i)));
  merged += results.filter((r) => r.ok && r.merged).length;
  if (side) {
    frames += Math.round((statSync(`${file}-wal`).size - 32) / (4096 + 24));
    side.pragma('wal_checkpoint(TRUNCATE)');
  }
  if ((from + BATCH) % TENTH !== 0) continue;
  const t = performance.now();
  const cpu = process.cpuUsage(cpu0);
  tenths.push(TENTH / ((t - t0) / 1000));
  shares.push(merged / TENTH);
  const mb = (writtenBytes() - bytes0) / 2 ** 20;
  const walPart = side ? `, WAL frames/batch ${Math.round(frames / (TENTH / BATCH))}` : '';
  console.log(
    `tenth ${tenths.length}: ${Math.round(tenths.at(-1)!)} ev/s, CPU ${Math.round((cpu.user + cpu.system) / TENTH)} µs/ev, written ${Math.round(mb)} MB, merged ${Math.round(100 * shares.at(-1)!)} %${walPart}`,
  );
  for (const [sql, ms] of [...byStatement].sort((a, b) => b[1] - a[1]).slice(0, 9)) console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${sql}`);
  byStatement.clear();
  [t0, cpu0, bytes0, frames, merged] = [t, process.cpuUsage(), writtenBytes(), 0, 0];
}
const cpu = process.cpuUsage(cpuStart);
console.log(
  `overall ${Math.round(N / ((performance.now() - start) / 1000))} ev/s, CPU ${((cpu.user + cpu.system) / N).toFixed(1)} µs/ev, last / first tenth ${(tenths[9]! / tenths[0]!).toFixed(2)} (merged ${Math.round(100 * shares[0]!)} → ${Math.round(100 * shares[9]!)} %)${WARMUP ? ` after a warm-up of ${WARMUP}` : ''}`,
);
side?.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Incident } from '../../common/incidents/types.ts';
import { BUNDLED_GEO_DIR, readRegions } from '../../server/geo/dataset.ts';
import { Regions } from '../../server/geo/regions.ts';
import { RollupFold } from '../../server/store/analytics-rebuild.ts';
import { sqliteFoldWriter } from '../../server/store/sqlite/analytics.ts';
import { openSqlite } from '../../server/store/sqlite/open.ts';
import { startServer } from '../e2e/harness.ts';
import { createPgSchema } from '../integration/helpers.ts';
import { distinctEvent, realisticEvent, round, type BenchResult } from './lib.ts';
import { procShares, sampleProc, selfCpu } from './proc-stats.ts';
import { compareDigests, readPipelineRows, replayPipelineRows, tableDigests } from './pipeline-replay.ts';
import { rawHttpConnection } from './raw-http.ts';

/**
 * Ingest throughput through the whole pipeline (HTTP → validate → normalize → grid lookup → dedupe/merge →
 * one transaction with the event log → publish → 202), beside references measured in the same run:
 *  - a bare better-sqlite3 insert loop (one table, same WAL + synchronous=FULL, same batch per transaction);
 *  - a loop writing the same rows (incident + event + report, each serialized) into the same schema, with
 *    no reads: what the pipeline could reach if deciding dedupe and merges were free;
 *  - the same loop also writing the analytics rollup rows and case facts of those incidents, folded by the
 *    store's own pure code (RollupFold) and written with its statements, as the pipeline does in the same
 *    transaction (issue 10). Every event is a new incident there: the pipeline merges most realistic events
 *    and writes no rollup row for an absorbed report, so this reference writes more rollup rows than it;
 *  - the pipeline's own rows, replayed by a bare loop (pipeline-replay.ts): what the realistic run wrote, read
 *    back from its SQLite file and written again in the same transactions (incident INSERTs, the `absorb`
 *    UPDATEs of merges, events, rollups and facts folded by RollupFold, reports), with no reads; the bench
 *    prints each table's row count and checksum on both sides, so the reference is seen to write the same rows.
 * Two kinds of load: "spaced" (reportedAt 31 minutes apart, nothing merges) and "realistic" (reportedAt now,
 * places spread over the city, so nearby reports of one family merge), the realistic one timed per tenth.
 * One event per request runs once through `fetch` and then through lean keep-alive connections (raw-http.ts):
 * the clients share the two cores with the server, and `fetch` took them ~50 % of a core at ~1,000 requests/s.
 * Each single run also reports where the server's time went (/proc and its /metrics), so a figure says
 * whether the server was busy, waiting for a core, or waiting for requests.
 */
const SPACED = Number(process.env.BENCH_INGEST_EVENTS ?? 50_000);
const REAL = Number(process.env.BENCH_INGEST_REAL ?? 100_000);
const PG_EVENTS = Number(process.env.BENCH_INGEST_PG ?? 20_000);
const BATCH = 500;
const SINGLE = Number(process.env.BENCH_INGEST_SINGLE ?? 5000);
const KEY = 'bench-ingest-key-0123456789';
/** Which parts run (comma-separated): batched, single, loops, pg; all by default. */
const PARTS = new Set((process.env.BENCH_INGEST_PARTS ?? 'batched,single,loops,pg').split(','));

const spacedOf = (n: number) => distinctEvent(`b-${n}`, n);
const realOf = (n: number) => realisticEvent(`r-${n}`, n);

/** Posts and checks the answer; the number of events the server merged into an open incident. */
async function post(url: string, body: unknown): Promise<number> {
  const res = await fetch(`${url}/api/ingest/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': KEY },
    body: JSON.stringify(body),
  });
  return checkAnswer(res.status, await res.text());
}

function checkAnswer(status: number, text: string): number {
  if (status !== 202) throw new Error(`ingest answered ${status}: ${text.slice(0, 200)}`);
  const results = JSON.parse(text) as { results?: { ok: boolean; merged?: boolean }[] } | { ok: boolean; merged?: boolean }[];
  const list = Array.isArray(results) ? results : (results.results ?? []);
  if (list.some((r) => !r.ok)) throw new Error('ingest refused an event of the bench');
  return list.filter((r) => r.merged).length;
}

/** The store's ingest transactions so far (count, seconds), from the server's /metrics (METRICS_ALLOW=loopback). */
async function commits(url: string): Promise<{ count: number; seconds: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (what: string) => Number(new RegExp(`^gridops_store_commit_seconds_${what}\\{op="ingest"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return { count: read('count'), seconds: read('sum') };
}

/**
 * One event per request from `streams` upstreams, through `fetch` or through lean keep-alive connections
 * (raw-http.ts), with where the time went: events per commit, the server's CPU and its main thread's shares,
 * and the CPU of this process (the clients), all as shares of one core.
 */
async function singleRun(server: { url: string; pid: number }, streams: number, client: 'fetch' | 'raw', base: number) {
  const conns = client === 'raw' ? await Promise.all(Array.from({ length: streams }, () => rawHttpConnection(server.url, '/api/ingest/events', { 'X-Api-Key': KEY }))) : [];
  const free = [...conns];
  const send =
    client === 'raw'
      ? async (from: number) => {
          const c = free.pop()!;
          const r = await c.post(JSON.stringify(realOf(base + from)));
          free.push(c);
          checkAnswer(r.status, r.body);
        }
      : (from: number) => post(server.url, realOf(base + from));
  const c0 = await commits(server.url);
  const p0 = sampleProc(server.pid);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { perS } = await drive(SINGLE, 1, streams, send);
  const wallMs = performance.now() - t0;
  const clientCpu = selfCpu(cpu0, wallMs);
  const shares = procShares(p0, sampleProc(server.pid));
  const c1 = await commits(server.url);
  conns.forEach((c) => c.close());
  const groups = c1.count - c0.count;
  return { perS, ...shares, clientCpu, perGroup: SINGLE / groups, storeMs: ((c1.seconds - c0.seconds) * 1000) / groups, storeShare: ((c1.seconds - c0.seconds) * 1000) / wallMs };
}

function singleMetrics(label: string, r: Awaited<ReturnType<typeof singleRun>>): BenchResult['metrics'] {
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return {
    [`single ev/s, ${label}`]: Math.round(r.perS),
    [`  ${label}: server CPU; main thread run, runnable, off-CPU`]: `${pct(r.cpu)} / ${pct(r.mainRun)}, ${pct(r.mainWait)}, ${pct(r.mainOff)}`,
    [`  ${label}: events per commit, ms per commit, commits' share`]: `${round(r.perGroup, 1)}, ${round(r.storeMs, 2)}, ${pct(r.storeShare)}`,
    [`  ${label}: clients' CPU (this process)`]: pct(r.clientCpu),
  };
}

/**
 * `total` items, `step` per request, in `concurrency` streams; events/s overall and per tenth of the items, and
 * the share of the first and last tenths' events that merged into an open incident (`send` returns how many of
 * its items merged): the realistic load starts on an empty store, so its first tenth creates more than its last.
 */
async function drive(total: number, step: number, concurrency: number, send: (from: number) => Promise<number | void>) {
  let next = 0;
  const start = performance.now();
  const tenthEnds: number[] = [];
  const mergedIn = [0, 0];
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const from = next;
        next += step;
        const merged = (await send(from)) ?? 0;
        if (from < total / 10) mergedIn[0]! += merged;
        else if (from >= (total * 9) / 10) mergedIn[1]! += merged;
        done += step;
        while (tenthEnds.length < 10 && done >= ((tenthEnds.length + 1) * total) / 10) tenthEnds.push(performance.now());
      }
    }),
  );
  const elapsed = performance.now() - start;
  const tenth = (i: number) => total / 10 / ((tenthEnds[i]! - (i === 0 ? start : tenthEnds[i - 1]!)) / 1000);
  const share = (n: number) => n / (total / 10);
  return { perS: total / (elapsed / 1000), first: tenth(0), last: tenth(9), mergedFirst: share(mergedIn[0]!), mergedLast: share(mergedIn[1]!) };
}

function tempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'gridops-bench-sqlite-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function bareSqlite(rows: number): number {
  return tempDir((dir) => {
    const db = new Database(join(dir, 'bare.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, external_id TEXT UNIQUE, data TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (external_id, data) VALUES (?, ?)');
    const tx = db.transaction((from: number) => {
      for (let n = from; n < from + BATCH; n++) insert.run(`b-${n}`, JSON.stringify(spacedOf(n)));
    });
    const start = performance.now();
    for (let from = 0; from < rows; from += BATCH) tx(from);
    const perS = rows / ((performance.now() - start) / 1000);
    db.close();
    return perS;
  });
}

let regions: Regions | null = null;

/** The incident the pipeline would create for the event, for the rollup fold (its grid looked up before timing). */
function incidentOf(e: ReturnType<typeof realOf>, id: string, gridId: string | null): Incident {
  return {
    ...e,
    source: 'iot',
    connectorId: 'iot',
    severity: 'medium',
    description: '',
    address: null,
    gridId,
    id,
    status: 'reported',
    updatedAt: e.reportedAt,
    dueAt: null,
    assigneeId: null,
    reportCount: 1,
    version: 1,
    assistingPartyIds: [],
    slaStage: null,
    extension: null,
    mergedInto: null,
  };
}

/**
 * The rows the pipeline writes for a new incident, written by a plain loop into the real schema (migrations and
 * indexes); with `rollups`, also the batch's rollup rows and case facts, folded once per transaction as the store does.
 */
function sameSchemaLoop(rows: number, eventOf: (n: number) => ReturnType<typeof realOf>, rollups = false): number {
  regions ??= new Regions(readRegions(BUNDLED_GEO_DIR));
  const { grids, root } = regions;
  const gridOf = rollups ? Array.from({ length: rows }, (_, n) => grids.locate(eventOf(n).location.lng, eventOf(n).location.lat)) : [];
  return tempDir((dir) => {
    const db = openSqlite(join(dir, 'same.sqlite'));
    const writeFold = sqliteFoldWriter(db);
    const insIncident = db.prepare(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, lng, lat, category, data)
       VALUES (?, 'iot', ?, 'reported', 'medium', '510104', ?, ?, ?, ?, ?, ?)`,
    );
    const insEvent = db.prepare('INSERT INTO events (seq, at_ms, type, incident_id, region_id, data) VALUES (?, ?, ?, ?, ?, ?)');
    const insReport = db.prepare('INSERT INTO reports (incident_id, connector_id, external_id, data) VALUES (?, ?, ?, ?)');
    let seq = 0;
    const tx = db.transaction((from: number) => {
      const now = Date.now();
      const fold = rollups ? new RollupFold(root.id) : null;
      for (let n = from; n < from + BATCH; n++) {
        const e = eventOf(n);
        const id = `INC-${++seq}`;
        const data = JSON.stringify({ ...e, id, status: 'reported', severity: 'medium', updatedAt: e.reportedAt, version: 1 });
        insIncident.run(id, e.externalId, now, now, e.location.lng, e.location.lat, e.category, data);
        insEvent.run(seq, now, 'created', id, '510104', data);
        insReport.run(id, 'iot', e.externalId, JSON.stringify(e));
        fold?.apply(incidentOf(e, id, gridOf[n] ?? null), now);
      }
      if (fold) writeFold(fold);
    });
    const start = performance.now();
    for (let from = 0; from < rows; from += BATCH) tx(from);
    const perS = rows / ((performance.now() - start) / 1000);
    db.close();
    return perS;
  });
}

/** With `dataDir`, the server keeps its SQLite file there (gridops.sqlite, as server/app.ts names it) after it stops. */
async function batchedRun(env: Record<string, string>, total: number, eventOf: (n: number) => unknown, dataDir?: string) {
  const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}`, ...env, ...(dataDir ? { DATA_DIR: dataDir } : {}) } });
  try {
    await post(server.url, eventOf(total + 1)); // warm-up
    const result = await drive(total, BATCH, 2, (from) => post(server.url, Array.from({ length: BATCH }, (_, i) => eventOf(from + i))));
    return { ...result, commits: (await commits(server.url)).count };
  } finally {
    await server.stop();
  }
}

/**
 * The third reference (pipeline-replay.ts): the rows the realistic run wrote, replayed by a bare loop in the same
 * transactions into a fresh database; its events/s, and whether the replayed tables equal the server's.
 */
function pipelineReplay(serverFile: string, serverCommits: number): { perS: number; metrics: BenchResult['metrics'] } {
  regions ??= new Regions(readRegions(BUNDLED_GEO_DIR));
  const txs = readPipelineRows(serverFile);
  const sizes = txs.slice(1).map((t) => t.events.length);
  return tempDir((dir) => {
    const file = join(dir, 'replay.sqlite');
    // The first transaction is the warm-up post's, outside the pipeline's timing too.
    const perS = replayPipelineRows(file, txs, regions!.root.id, 1);
    const { same, lines } = compareDigests(tableDigests(serverFile), tableDigests(file));
    const metrics = {
      'pipeline-rows replay real/s': Math.round(perS),
      '  replay: transactions (server commits), events per transaction': `${txs.length} (${serverCommits}), ${Math.min(...sizes)}–${Math.max(...sizes)}`,
      ...Object.fromEntries(lines),
      "  replay wrote the server's rows": same ? 'yes' : 'NO (see above)',
    };
    return { perS, metrics };
  });
}

export async function run(): Promise<BenchResult> {
  const metrics: BenchResult['metrics'] = {};
  if (PARTS.has('batched')) {
    const spaced = await batchedRun({}, SPACED, spacedOf);
    // With the loops, the realistic run's SQLite file is kept until the third reference has read it.
    const realDir = PARTS.has('loops') ? mkdtempSync(join(tmpdir(), 'gridops-bench-real-')) : undefined;
    const real = await batchedRun({}, REAL, realOf, realDir);
    Object.assign(metrics, {
      'spaced batched ev/s': Math.round(spaced.perS),
      [`(batches of ${BATCH}, ${SPACED} events)`]: '',
      'realistic batched ev/s': Math.round(real.perS),
      [`(reportedAt now, ${REAL} events)`]: '',
      'realistic first tenth ev/s': Math.round(real.first),
      'realistic last tenth ev/s': Math.round(real.last),
      'realistic last / first': round(real.last / real.first, 2),
      'realistic merged share, first / last tenth': `${round(real.mergedFirst * 100, 0)} % / ${round(real.mergedLast * 100, 0)} %`,
    });
    if (PARTS.has('loops')) {
      const sameSpaced = sameSchemaLoop(SPACED, spacedOf);
      const sameReal = sameSchemaLoop(REAL, realOf);
      Object.assign(metrics, {
        'same-schema loop spaced/s': Math.round(sameSpaced),
        'same-schema loop real/s': Math.round(sameReal),
        'spaced / same-schema': round(spaced.perS / sameSpaced, 2),
        'realistic / same-schema': round(real.perS / sameReal, 2),
      });
      // The second reference: the same loop also writing the rollup rows and case facts (see the header).
      const sameRealRollups = sameSchemaLoop(REAL, realOf, true);
      metrics['same-schema + rollups real/s'] = Math.round(sameRealRollups);
      metrics['realistic / same-schema + rollups'] = round(real.perS / sameRealRollups, 2);
      // The third: the rows this realistic run wrote, replayed by a bare loop (pipeline-replay.ts).
      try {
        const replay = pipelineReplay(join(realDir!, 'gridops.sqlite'), real.commits);
        Object.assign(metrics, replay.metrics);
        metrics['realistic / pipeline-rows replay'] = round(real.perS / replay.perS, 2);
      } finally {
        rmSync(realDir!, { recursive: true, force: true });
      }
    }
  }
  if (PARTS.has('single')) {
    const server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `iot:${KEY}`, METRICS_ALLOW: 'loopback' } });
    try {
      await post(server.url, realOf(-1));
      metrics[`(one event per request, ${SINGLE} per run)`] = '';
      // fetch once, so the difference the client makes stays visible; then the lean client, 16 and 64 upstreams.
      Object.assign(metrics, singleMetrics('16 streams, fetch', await singleRun(server, 16, 'fetch', 2_000_000)));
      Object.assign(metrics, singleMetrics('16 streams', await singleRun(server, 16, 'raw', 3_000_000)));
      Object.assign(metrics, singleMetrics('64 streams', await singleRun(server, 64, 'raw', 4_000_000)));
    } finally {
      await server.stop();
    }
  }
  if (PARTS.has('loops')) {
    const bare = bareSqlite(SPACED);
    metrics['bare SQLite inserts/s'] = Math.round(bare);
    if (typeof metrics['spaced batched ev/s'] === 'number') metrics['spaced / bare'] = round(metrics['spaced batched ev/s'] / bare, 2);
  }
  const pgBase = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (pgBase && PARTS.has('pg')) {
    const sqliteSmall = await batchedRun({}, PG_EVENTS, realOf);
    const schema = await createPgSchema(pgBase, `gridops_bench_${Date.now()}`);
    try {
      const pg = await batchedRun({ DATABASE_URL: schema.url }, PG_EVENTS, realOf);
      metrics[`PostgreSQL realistic ev/s (${PG_EVENTS})`] = Math.round(pg.perS);
      metrics[`SQLite realistic ev/s (${PG_EVENTS})`] = Math.round(sqliteSmall.perS);
      metrics['PostgreSQL / SQLite'] = round(pg.perS / sqliteSmall.perS, 2);
    } finally {
      await schema.drop();
    }
  }
  return { name: 'ingest throughput', metrics };
}

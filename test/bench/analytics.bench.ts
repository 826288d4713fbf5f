/**
 * GET /api/analytics over a generated year of a district, on SQLite and on PostgreSQL (when TEST_POSTGRES_URL
 * is set). The year is made by a script here, not through the API: per incident its case facts (received,
 * filed, dispatched, accepted, due, closed, reworks, extensions, verdicts) are drawn, turned into rollup rows by
 * the same pure code the stores use (common/analytics/rollup.ts: a day's leaf rows, rolled up to every region depth)
 * and bulk-loaded: day rows a day at a time, month rows summed in memory and loaded at the end.
 * Default 100,000 incidents (short); ANALYTICS_BENCH_INCIDENTS=1000000 for the full district year.
 * ANALYTICS_BENCH_PG_SCHEMA=<name>: load PostgreSQL into that schema once and keep it; a later run finds its rows and
 * only times the queries (the data is for the year to yesterday, so reload it on another day: drop the schema).
 * ANALYTICS_BENCH_STORES=postgres (or sqlite): one store only.
 * Target (issue 10): ≤ 300 ms per request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseFacts } from '#common/analytics/facts';
import { addCounters } from '#common/analytics/counters';
import { accumulateLeaves, dayStartMs, keyString, rollUp, type RollupRow } from '#common/analytics/rollup';
import { CATEGORIES } from '#common/incidents/categories';
import { SOURCE_KINDS } from '#common/incidents/types';
import { createApp } from '#server/app';
import { loadConfig } from '#server/config';
import { BUNDLED_GEO_DIR, readRegions } from '#server/geo/dataset';
import { readWorkers } from '#server/geo/grid-facts';
import { mulberry32 as rng } from '#server/population/synthetic';
import { createPostgresStore } from '#server/store/postgres/index';
import { createSqliteStore } from '#server/store/sqlite/index';
import type { Store } from '#server/store/types';
import pgLib from 'pg';
import { createPgSchema } from '../integration/helpers.ts';
import { percentile, round, type BenchResult } from './lib.ts';

const N = Number(process.env.ANALYTICS_BENCH_INCIDENTS ?? 100_000);
const ROUNDS = 7;
const HOUR = 3_600_000;

/** The year ending yesterday (CST): 365 day numbers. */
function yearDays(): number[] {
  const today = Math.floor((Date.now() + 8 * HOUR) / 86_400_000);
  return Array.from({ length: 365 }, (_, i) => today - 365 + i);
}

/** Generate the year into `store`'s rollups, a day of incidents at a time. */
async function generate(store: Store, grids: string[], workerOf: Map<string, string>): Promise<number> {
  const rand = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const days = yearDays();
  const months = new Map<string, RollupRow>();
  let rows = 0;
  let n = 0;
  for (const [d, day] of days.entries()) {
    const leaves = new Map<string, RollupRow>();
    const count = Math.round(((d + 1) * N) / days.length) - Math.round((d * N) / days.length);
    for (let k = 0; k < count; k++, n++) {
      const grid = pick(grids);
      const cat = pick(CATEGORIES);
      const reportedMs = dayStartMs(day) + Math.floor(rand() * 24 * HOUR);
      const filed = rand() < 0.93;
      const dispatchedMs = filed ? reportedMs + rand() * 2 * HOUR : null;
      const dueMs = dispatchedMs !== null ? dispatchedMs + cat.slaHours * HOUR * (cat.workingHours ? 3.4 : 1) : null;
      const closed = dispatchedMs !== null && rand() < 0.9;
      const closedMs = closed ? dispatchedMs! + (dueMs! - dispatchedMs!) * (0.2 + rand() * 1.1) : null;
      const f: CaseFacts = {
        id: `B${n}`, grid, category: cat.code, source: pick(SOURCE_KINDS), assignee: rand() < 0.85 ? (workerOf.get(grid) ?? '') : 'PTY-cg-510108',
        status: closed ? 'closed' : dispatchedMs !== null ? 'in_progress' : filed ? 'filed' : 'rejected', merged: false,
        reportedMs, filedMs: filed ? reportedMs + 0.5 * HOUR : null, dispatchedMs, acceptedMs: dispatchedMs !== null ? dispatchedMs + rand() * 2 * HOUR : null,
        feedbackMs: closedMs !== null ? closedMs - 0.5 * HOUR : null, closedMs, dueMs, reworks: rand() < 0.05 ? 1 : 0, extended: rand() < 0.03,
        extensionPending: false, verdict: closed && rand() < 0.6 ? pick(['satisfied', 'satisfied', 'basic', 'unsatisfied'] as const) : null,
      };
      accumulateLeaves(leaves, f, 1);
    }
    const acc = new Map<string, RollupRow>();
    for (const leaf of leaves.values()) rollUp(acc, leaf);
    const dayRows: RollupRow[] = [];
    for (const r of acc.values()) {
      if (r.level === 'd') dayRows.push(r);
      else {
        const m = months.get(keyString(r));
        if (m) addCounters(m.c, r.c);
        else months.set(keyString(r), r);
      }
    }
    rows += dayRows.length;
    await store.analytics.addRows(dayRows);
  }
  await store.analytics.addRows(months.values());
  return rows + months.size;
}

async function timeQueries(label: string, dataDir: string, databaseUrl: string | undefined): Promise<Record<string, number | string>> {
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', SIMULATOR: 'off', GRIDOPS_ADMIN_PASSWORD: 'bench-admin-pw', LOG_LEVEL: 'silent', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const app = await createApp({ config, loginLimitPerMinute: 1000 });
  await new Promise<void>((r) => app.httpServer.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(app.httpServer.address() as { port: number }).port}`;
  try {
    const { token } = (await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-pw' }) })).json()) as { token: string };
    const days = yearDays();
    const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);
    const [from, to] = [iso(days[0]!), iso(days.at(-1)!)];
    const monthFrom = iso(days.at(-31)!);
    // 11 months from the 16th to the 15th: the ends cut a month in halves, so they read the most day rows (the year to
    // yesterday reads few when yesterday is near a month's end or start: rangeParts in common/analytics/periods.ts).
    const dayOfMonth = (d: number) => new Date(d * 86_400_000).getUTCDate();
    const [midFrom, midTo] = [days.find((d) => dayOfMonth(d) === 16)!, days.findLast((d) => dayOfMonth(d) === 15)!];
    const queries: Record<string, string> = {
      yearByStreet: `from=${from}&to=${to}&groupBy=region&compare=1`,
      yearByCategory: `from=${from}&to=${to}&groupBy=category`,
      yearBySource: `from=${from}&to=${to}&groupBy=source`,
      yearByWorker: `from=${from}&to=${to}&groupBy=worker`,
      midMonthsByWorker: `from=${iso(midFrom)}&to=${iso(midTo)}&groupBy=worker`,
      monthByDay: `from=${monthFrom}&to=${to}&groupBy=day`,
      yearCommunityByGrid: `regionId=510108001001&from=${from}&to=${to}&groupBy=region`,
    };
    const out: Record<string, number | string> = {};
    for (const [name, q] of Object.entries(queries)) {
      const times: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${url}/api/analytics?${q}`, { headers: { Authorization: `Bearer ${token}` } });
        const body = (await res.json()) as { total?: { received: number } };
        times.push(performance.now() - t0);
        if (res.status !== 200 || !body.total) throw new Error(`${name}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
        if (i === 0 && name === 'yearByStreet') out[`${label} received (check)`] = body.total.received;
      }
      times.sort((a, b) => a - b);
      out[`${label} ${name} p50 ms`] = round(percentile(times, 50));
      out[`${label} ${name} max ms`] = round(times.at(-1)!);
    }
    return out;
  } finally {
    await app.close();
  }
}

export async function run(): Promise<BenchResult> {
  const geoDir = BUNDLED_GEO_DIR;
  const regions = readRegions(geoDir);
  const root = regions.find((f) => f.properties.level === 'district')!.properties.id;
  const grids = regions.filter((f) => f.properties.level === 'grid').map((f) => f.properties.id);
  const workerOf = new Map(readWorkers(geoDir).map((w) => [w.gridId, w.id]));
  const metrics: Record<string, number | string> = { incidents: N };

  const stores = (process.env.ANALYTICS_BENCH_STORES ?? 'sqlite,postgres').split(',');
  const dir = mkdtempSync(join(tmpdir(), 'gridops-bench-analytics-'));
  try {
    if (stores.includes('sqlite')) {
      const sqlite = createSqliteStore(join(dir, 'gridops.sqlite'), root);
      const t0 = performance.now();
      metrics['sqlite rollup rows'] = await generate(sqlite, grids, workerOf);
      metrics['sqlite load s'] = round((performance.now() - t0) / 1000);
      await sqlite.close();
      Object.assign(metrics, await timeQueries('sqlite', dir, undefined));
    }
    const base = process.env.TEST_POSTGRES_URL;
    const keep = process.env.ANALYTICS_BENCH_PG_SCHEMA;
    if (base && stores.includes('postgres')) {
      const schema = await createPgSchema(base, keep);
      try {
        const pg = await createPostgresStore(schema.url, root);
        const client = new pgLib.Client({ connectionString: schema.url });
        await client.connect();
        const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM analytics_rollup');
        if (Number(rows[0]!.n) > 0) metrics['postgres rollup rows (kept schema, distinct)'] = Number(rows[0]!.n);
        else {
          const t0 = performance.now();
          metrics['postgres rollup rows'] = await generate(pg, grids, workerOf);
          metrics['postgres load s'] = round((performance.now() - t0) / 1000);
          // What autovacuum does after a bulk load in service: fresh statistics and visibility map.
          await client.query('VACUUM ANALYZE analytics_rollup');
        }
        await client.end();
        await pg.close();
        Object.assign(metrics, await timeQueries('postgres', mkdtempSync(join(tmpdir(), 'gridops-bench-analytics-pg-')), schema.url));
      } finally {
        if (!keep) await schema.drop();
      }
    } else if (stores.includes('postgres')) metrics.postgres = 'not run (TEST_POSTGRES_URL not set)';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { name: 'analytics', metrics };
}

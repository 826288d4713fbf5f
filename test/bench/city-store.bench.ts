import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CATEGORIES } from '#common/incidents/categories';
import Database from 'better-sqlite3';
import type { Incident } from '#common/incidents/types';
import { mergeCell } from '#server/store/merge-cells';
import { createSqliteStore } from '#server/store/sqlite/index';
import type { NewIncident } from '#server/store/types';
import { generateDataset, serializeDataset } from '../../geo/scripts/dataset.ts';
import { login, startServer } from '../e2e/harness.ts';
import { percentile, round, type BenchResult } from './lib.ts';

/**
 * A city's server (issue 14): GRIDS grids and INCIDENTS stored incidents (SQLite), against the bundled demo
 * district with an empty store in the same run. The incidents are written before the server starts (fill()
 * says how), spread over the grids and the past year, a third each reported, dispatched and closed.
 * Reported for both: server start (spawn → /healthz answers), resident memory (/proc) and V8 heap in use
 * (the server's own GET /metrics, open to loopback) after start and after the queries, and
 * p50 / p99 of GET /api/incidents (first page of 100, newest first) and of filtered lists (a community, a
 * status, a category, a 30-day window, all three) over HTTP, all together and per kind, so one kind that scans
 * shows by name rather than only in the p99 of the mix.
 */
const GRIDS = Number(process.env.BENCH_CITY_GRIDS ?? 30_000);
const INCIDENTS = Number(process.env.BENCH_CITY_INCIDENTS ?? 1_000_000);
/** Per list shape; the filtered queries are spread over five kinds (QUERIES / 5 each), reported per kind too. */
const QUERIES = Number(process.env.BENCH_CITY_QUERIES ?? 500);
const YEAR_MS = 365 * 86_400_000;

async function heapMB(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return round(Number(/^gridops_nodejs_heap_size_used_bytes (\S+)/m.exec(text)?.[1] ?? NaN) / 2 ** 20);
}

const rssMB = (pid: number) => round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024);

/** Incidents written through the store's own ingest (events, reports, rollups and all) before the bulk copy. */
const THROUGH_INGEST = 5000;

/**
 * The first THROUGH_INGEST incidents go through `store.incidents.ingest` (the full write path, which folds every
 * event into the analytics rollups at about 1,000 rows/s here: a million would take a quarter of an hour).
 * The rest are bulk rows in the store's own row shape, written by the same INSERT the store uses, one
 * transaction per 20,000: each a copy of an ingested incident with its own id, external id, grid, place,
 * time and status, its merge cell from the store's merge-cells.ts.
 */
export async function fill(dataDir: string, rootId: string, grids: { id: string; lng: number; lat: number }[]): Promise<number> {
  const file = join(dataDir, 'gridops.sqlite');
  const store = createSqliteStore(file, rootId);
  const t0 = performance.now();
  const now = Date.now();
  const statuses = ['reported', 'dispatched', 'closed'] as const;
  const newIncident = (n: number): NewIncident => {
    const g = grids[(n * 7919) % grids.length]!;
    const c = CATEGORIES[n % CATEGORIES.length]!;
    return {
      source: 'iot',
      connectorId: 'bench',
      externalId: `c-${n}`,
      category: c.code,
      severity: c.defaultSeverity,
      title: `基准 ${n}`,
      description: 'bench',
      location: { lng: g.lng, lat: g.lat },
      address: null,
      gridId: g.id,
      reportedAt: new Date(now - YEAR_MS + (n / INCIDENTS) * YEAR_MS).toISOString(),
      reporter: null,
    } as NewIncident;
  };
  const through = Math.min(INCIDENTS, THROUGH_INGEST);
  for (let from = 0; from < through; from += 1000) {
    await store.incidents.ingest(Array.from({ length: Math.min(1000, through - from) }, (_, i) => newIncident(from + i)), new Date(now), { merge: false });
  }
  await store.close();
  const db = new Database(file);
  const templates = db.prepare<[], { data: string }>('SELECT data FROM incidents LIMIT 1000').all().map((r) => JSON.parse(r.data) as Incident);
  const insert = db.prepare(
    `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, lng, lat, merge_cell, category, assignee_id, data)
     VALUES (@id, @connectorId, @externalId, @status, @severity, @regionId, @reportedMs, @updatedMs, @dueMs, @closedMs, @lng, @lat, @mergeCell, @category, @assigneeId, @data)`,
  );
  const copy = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const t = templates[n % templates.length]!;
      const fresh = newIncident(n);
      const status = statuses[n % 3]!;
      const reportedMs = Date.parse(fresh.reportedAt);
      const updatedMs = reportedMs + 3_600_000;
      const inc: Incident = { ...t, ...fresh, id: `INC-BENCH-${String(n).padStart(8, '0')}`, status, updatedAt: new Date(updatedMs).toISOString() };
      insert.run({
        id: inc.id,
        connectorId: inc.connectorId,
        externalId: inc.externalId,
        status,
        severity: inc.severity,
        regionId: inc.gridId ?? rootId,
        reportedMs,
        updatedMs,
        dueMs: null,
        closedMs: status === 'closed' ? updatedMs : null,
        lng: inc.location.lng,
        lat: inc.location.lat,
        mergeCell: mergeCell(inc.category, inc.location.lng, inc.location.lat),
        category: inc.category,
        assigneeId: inc.assigneeId,
        data: JSON.stringify(inc),
      });
    }
  });
  for (let from = through; from < INCIDENTS; from += 20_000) copy(from, Math.min(INCIDENTS, from + 20_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - t0) / 1000;
}

async function measure(dataDir: string | null, community: string, category: string) {
  const t0 = performance.now();
  const server = await startServer({ env: { SIMULATOR: 'off', ...(dataDir ? { DATA_DIR: dataDir } : {}) } });
  const startS = (performance.now() - t0) / 1000;
  try {
    const rssStart = rssMB(server.pid);
    const heapStart = await heapMB(server.url);
    const token = await login(server);
    const get = async (q: string) => {
      const t = performance.now();
      const res = await fetch(`${server.url}/api/incidents?${q}`, { headers: { Authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`GET /api/incidents?${q}: ${res.status}`);
      await res.arrayBuffer();
      return performance.now() - t;
    };
    const month = new Date(Date.now() - 90 * 86_400_000);
    const filters: [string, string][] = [
      ['community', `regionId=${community}`],
      ['status', 'status=reported'],
      ['category', `category=${category}`],
      ['30-day window', `from=${month.toISOString()}&to=${new Date(month.getTime() + 30 * 86_400_000).toISOString()}`],
      ['all three', `regionId=${community}&status=reported&category=${category}`],
    ];
    for (let i = 0; i < 20; i++) await get('limit=100'); // warm-up
    const list: number[] = [];
    const filtered: number[] = [];
    const byKind = new Map<string, number[]>(filters.map(([kind]) => [kind, []]));
    for (let i = 0; i < QUERIES; i++) list.push(await get('limit=100'));
    // Round robin over the kinds, so a slow one is not measured at a quieter moment than the others.
    for (let i = 0; i < QUERIES; i++) {
      const [kind, q] = filters[i % filters.length]!;
      const ms = await get(`limit=100&${q}`);
      filtered.push(ms);
      byKind.get(kind)!.push(ms);
    }
    const p = (xs: number[]) => {
      const s = Float64Array.from(xs).sort();
      return `p50 ${round(percentile(s, 50))} / p99 ${round(percentile(s, 99))} ms`;
    };
    const kinds = Object.fromEntries([...byKind].map(([kind, xs]) => [kind, p(xs)]));
    return { startS, rssStart, heapStart, rssEnd: rssMB(server.pid), heapEnd: await heapMB(server.url), list: p(list), filtered: p(filtered), kinds };
  } finally {
    await server.stop();
  }
}

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridops-city-'));
  try {
    const geoDir = join(dataDir, 'geo');
    mkdirSync(geoDir, { recursive: true });
    const data = generateDataset({ grids: GRIDS, details: false });
    for (const [name, text] of Object.entries(serializeDataset(data))) writeFileSync(join(geoDir, name), text);
    const features = data.regions.features;
    const grids = features
      .filter((f) => f.properties.level === 'grid')
      .map((f) => {
        const ring = f.geometry.coordinates[0]!.slice(1);
        return { id: f.properties.id, lng: ring.reduce((a, q) => a + q[0]!, 0) / ring.length, lat: ring.reduce((a, q) => a + q[1]!, 0) / ring.length };
      });
    const rootId = features.find((f) => f.properties.level === 'district')!.properties.id;
    const community = features.find((f) => f.properties.level === 'community')!.properties.id;
    const fillS = await fill(dataDir, rootId, grids);
    const category = CATEGORIES[0]!.code;
    const base = await measure(null, '510108001001', category);
    const city = await measure(dataDir, community, category);
    return {
      name: `city store (${GRIDS} grids, ${INCIDENTS} incidents)`,
      metrics: {
        'bulk load s': `${round(fillS)} (${THROUGH_INGEST} through the store's ingest, the rest bulk rows)`,
        'server start s': `${round(city.startS, 2)} (demo district, empty store: ${round(base.startS, 2)})`,
        'RSS after start MB': `${city.rssStart} (baseline ${base.rssStart})`,
        'RSS after queries MB': `${city.rssEnd} (baseline ${base.rssEnd})`,
        'V8 heap used after start MB': `${city.heapStart} (baseline ${base.heapStart})`,
        'V8 heap used after queries MB': `${city.heapEnd} (baseline ${base.heapEnd})`,
        'list, first 100': `${city.list} (baseline ${base.list})`,
        'filtered list, 100': `${city.filtered} (baseline ${base.filtered})`,
        filters: 'a community; status; category; a 30-day window; all three',
        ...Object.fromEntries(
          Object.entries(city.kinds).map(([kind, v]) => [`  filter: ${kind}`, `${v} (${QUERIES / 5} queries; baseline ${base.kinds[kind]})`]),
        ),
      },
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

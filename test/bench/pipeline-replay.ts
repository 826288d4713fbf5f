import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { CaseFacts } from '../../common/analytics/facts.ts';
import type { Incident, IncidentChange, IncidentReport } from '../../common/incidents/types.ts';
import { KEY_COLUMNS } from '../../server/store/analytics-columns.ts';
import { RollupFold } from '../../server/store/analytics-rebuild.ts';
import { mergeCell } from '../../server/store/merge-cells.ts';
import { sqliteFoldWriter } from '../../server/store/sqlite/analytics.ts';
import { openSqlite, type Db } from '../../server/store/sqlite/open.ts';

/**
 * The ingest bench's third reference: the rows the pipeline wrote in a run, read back from the server's SQLite
 * file and written again by a bare loop into a fresh database with the real schema, in the same transactions.
 * Each transaction writes what the store's ingest transaction wrote (server/store/sqlite/incidents.ts): the
 * INSERT of each incident it created (in its final state), one `absorb` UPDATE of each stored incident that took
 * reports, the event rows, the rollup rows and case facts folded by the store's own RollupFold over its events,
 * then the report rows. Every state is serialized in the loop, as the store does; nothing is read: the facts
 * of earlier cases come from memory. What the loop skips is what the pipeline decides (HTTP, validation, grid
 * lookup, dedupe and merge reads, planning) and its commits' waits are the same.
 */

/** One ingest transaction of the server, as rows to write. */
export interface ReplayTx {
  atMs: number;
  events: IncidentChange[];
  /** Indexes into `events`: the last state of each incident created in this transaction, in creation order. */
  inserts: number[];
  /** Indexes into `events`: the last state of each stored incident that absorbed reports, in first-absorb order. */
  updates: number[];
  reports: IncidentReport[];
}

interface EventRow {
  seq: number;
  at_ms: number;
  type: IncidentChange['type'];
  incident_id: string;
  data: string;
}
interface ReportRow {
  incident_id: string;
  data: string;
}

/**
 * The server's ingest transactions, from its events (seq order) and reports (id order). A transaction's events
 * share its `now` (at_ms) and follow each other, so a run of one at_ms is one transaction (the caller checks the
 * count against the server's commits); each event has its report, in the same order, as planIngest makes them.
 */
export function readPipelineRows(file: string): ReplayTx[] {
  const db = new Database(file, { readonly: true });
  try {
    const events = db.prepare<[], EventRow>('SELECT seq, at_ms, type, incident_id, data FROM events ORDER BY seq').all();
    const reports = db.prepare<[], ReportRow>('SELECT incident_id, data FROM reports ORDER BY id').all();
    if (events.length !== reports.length) throw new Error(`server wrote ${events.length} events but ${reports.length} reports: not one report per event`);
    const txs: ReplayTx[] = [];
    events.forEach((e, k) => {
      if (reports[k]!.incident_id !== e.incident_id) throw new Error(`event seq ${e.seq} and report ${k + 1} belong to different incidents`);
      let tx = txs.at(-1);
      if (!tx || tx.atMs !== e.at_ms) txs.push((tx = { atMs: e.at_ms, events: [], inserts: [], updates: [], reports: [] }));
      tx.events.push({ seq: e.seq, type: e.type, incident: JSON.parse(e.data) as Incident });
      tx.reports.push(JSON.parse(reports[k]!.data) as IncidentReport);
    });
    for (const tx of txs) {
      const created = new Set<string>();
      const last = new Map<string, number>();
      tx.events.forEach((e, i) => {
        if (e.type === 'created') created.add(e.incident.id);
        last.set(e.incident.id, i);
      });
      // Map order is first appearance: the order of plan.created and plan.updated in the store.
      for (const [id, i] of last) (created.has(id) ? tx.inserts : tx.updates).push(i);
    }
    return txs;
  } finally {
    db.close();
  }
}

function statements(db: Db) {
  return {
    insert: db.prepare<[string, string, string | null, string, string, string, number, number, number | null, number | null, number, number, string, string, string]>(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, lng, lat, merge_cell, category, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    absorb: db.prepare<[string, number, string, string]>('UPDATE incidents SET severity = ?, updated_ms = ?, data = ? WHERE id = ?'),
    event: db.prepare('INSERT INTO events (seq, at_ms, type, incident_id, region_id, data) VALUES (?, ?, ?, ?, ?, ?)'),
    report: db.prepare('INSERT INTO reports (incident_id, connector_id, external_id, data) VALUES (?, ?, ?, ?)'),
  };
}

/**
 * Writes the transactions into `file` (a fresh database, real schema); the first `untimed` go before the clock
 * starts (the bench's warm-up post). Events per second over the timed ones.
 */
export function replayPipelineRows(file: string, txs: readonly ReplayTx[], rootRegionId: string, untimed = 0): number {
  const db = openSqlite(file);
  const s = statements(db);
  const writeFold = sqliteFoldWriter(db);
  const facts = new Map<string, CaseFacts>();
  const load = (id: string) => facts.get(id) ?? null;
  const tx = db.transaction((t: ReplayTx) => {
    const json = t.events.map((e) => JSON.stringify(e.incident));
    for (const i of t.inserts) {
      const inc = t.events[i]!.incident;
      const { lng, lat } = inc.location;
      const updatedMs = Date.parse(inc.updatedAt);
      s.insert.run(inc.id, inc.connectorId, inc.externalId, inc.status, inc.severity, inc.gridId ?? rootRegionId, Date.parse(inc.reportedAt), updatedMs,
        inc.dueAt ? Date.parse(inc.dueAt) : null, inc.status === 'closed' ? updatedMs : null, lng, lat, mergeCell(inc.category, lng, lat), inc.category, json[i]!);
    }
    for (const i of t.updates) {
      const inc = t.events[i]!.incident;
      s.absorb.run(inc.severity, Date.parse(inc.updatedAt), json[i]!, inc.id);
    }
    t.events.forEach((e, i) => s.event.run(e.seq, t.atMs, e.type, e.incident.id, e.incident.gridId ?? rootRegionId, json[i]!));
    const fold = new RollupFold(rootRegionId, load);
    for (const e of t.events) fold.apply(e.incident, t.atMs);
    writeFold(fold);
    for (const r of t.reports) s.report.run(r.incidentId, r.connectorId, r.externalId, JSON.stringify(r));
    for (const [id, f] of fold.facts) facts.set(id, f);
  });
  try {
    txs.slice(0, untimed).forEach((t) => tx(t));
    const timed = txs.slice(untimed);
    const start = performance.now();
    for (const t of timed) tx(t);
    const elapsed = performance.now() - start;
    return timed.reduce((n, t) => n + t.events.length, 0) / (elapsed / 1000);
  } finally {
    db.close();
  }
}

/** The tables an ingest writes, each in a fixed order: what two databases must hold alike. */
const TABLES: [table: string, order: string][] = [
  ['incidents', 'id'],
  ['events', 'seq'],
  ['reports', 'id'],
  ['analytics_rollup', KEY_COLUMNS.join(', ')],
  ['analytics_facts', 'incident_id'],
];

/** Row count and a SHA-256 (first 12 hex digits) of every column of every row, per table. */
export function tableDigests(file: string): Record<string, { rows: number; sha: string }> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, { rows: number; sha: string }> = {};
    for (const [table, order] of TABLES) {
      const hash = createHash('sha256');
      let rows = 0;
      for (const r of db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).raw().iterate() as Iterable<unknown[]>) {
        hash.update(JSON.stringify(r));
        hash.update('\n');
        rows++;
      }
      out[table] = { rows, sha: hash.digest('hex').slice(0, 12) };
    }
    return out;
  } finally {
    db.close();
  }
}

/** "table rows sha" per table, with what differs when the replay's digest is not the server's. */
export function compareDigests(server: ReturnType<typeof tableDigests>, replay: ReturnType<typeof tableDigests>): { same: boolean; lines: [string, string][] } {
  let same = true;
  const lines = Object.entries(server).map(([table, a]): [string, string] => {
    const b = replay[table]!;
    const ok = a.rows === b.rows && a.sha === b.sha;
    same &&= ok;
    const text = ok ? `${a.rows.toLocaleString('en')} rows, sha ${a.sha} both` : `server ${a.rows} rows sha ${a.sha} ≠ replay ${b.rows} rows sha ${b.sha}`;
    return [`  replay = server: ${table}`, text];
  });
  return { same, lines };
}

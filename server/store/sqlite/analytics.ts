import type { Statement } from 'better-sqlite3';
import type { CaseFacts } from '#common/analytics/facts';
import type { Counters } from '#common/analytics/counters';
import type { IncidentChange } from '#common/incidents/types';
import { COUNTER_COLUMNS, KEY_COLUMNS, SUM_COLUMNS, columnsToCounters, countersToColumns, rowToRollup } from '../analytics-columns.ts';
import { openDueMs, RollupFold } from '../analytics-rebuild.ts';
import { combineParts, depthFilter, queryParts, type AnalyticsStore, type RollupGroup } from '../analytics-types.ts';
import { COUNTER_FIELDS } from '#common/analytics/counters';
import { storedKindOf, type RollupRow } from '#common/analytics/rollup';
import { prefixRange, type Db } from './open.ts';

const ALL = [...KEY_COLUMNS, ...COUNTER_COLUMNS];
const UPSERT = `INSERT INTO analytics_rollup (${ALL.join(', ')}) VALUES (${ALL.map(() => '?').join(', ')})
  ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`;

function statements(db: Db) {
  return {
    facts: db.prepare<[string], { data: string }>('SELECT data FROM analytics_facts WHERE incident_id = ?'),
    putFacts: db.prepare<[string, string, number | null, string]>(
      'INSERT INTO analytics_facts (incident_id, grid, open_due_ms, data) VALUES (?, ?, ?, ?) ON CONFLICT (incident_id) DO UPDATE SET grid = excluded.grid, open_due_ms = excluded.open_due_ms, data = excluded.data',
    ),
    upsert: db.prepare(UPSERT),
  };
}

function writeRows(s: ReturnType<typeof statements>, rows: Iterable<RollupRow>): void {
  // Positional values in column order: binding 68 named parameters per row costs more than the write.
  for (const r of rows) s.upsert.run(r.level, r.kind, r.depth, r.region, r.period, r.value, ...COUNTER_FIELDS.map((f) => r.c[f]), ...r.c.hist);
}

function writeFold(s: ReturnType<typeof statements>, fold: RollupFold): void {
  writeRows(s, fold.rows.values());
  for (const f of fold.changedFacts()) s.putFacts.run(f.id, f.grid, openDueMs(f), JSON.stringify(f));
}

/** Writes a fold's rows and changed facts with the store's own statements (the ingest bench's reference loop uses it). */
export function sqliteFoldWriter(db: Db): (fold: RollupFold) => void {
  const s = statements(db);
  return (fold) => writeFold(s, fold);
}

/**
 * The hook the incident store calls after it appends a transaction's events, inside that transaction: folds
 * the changes into their cases' facts and adds the difference to the rollups. One fold for all of them, so
 * a rollup row that several events touch (their district, street, day and month) is written once with the
 * sum of their deltas, and a case's facts once, in their final state: an ingest of 500 events wrote ~30 rows
 * per event, one upsert each, before.
 */
export function sqliteRollupWriter(db: Db, rootRegionId: string): (changes: readonly IncidentChange[], now: Date) => void {
  const s = statements(db);
  const load = (id: string): CaseFacts | null => {
    const r = s.facts.get(id);
    return r ? (JSON.parse(r.data) as CaseFacts) : null;
  };
  return (changes, now) => {
    if (!changes.length) return;
    const fold = new RollupFold(rootRegionId, load);
    for (const change of changes) fold.apply(change.incident, now.getTime());
    writeFold(s, fold);
  };
}

export function sqliteAnalyticsStore(db: Db, rootRegionId: string): AnalyticsStore {
  const s = statements(db);
  const cache = new Map<string, Statement<unknown[], Record<string, unknown>>>();
  /** `oneValue`: the rows' values are summed into one group (kind '' read from the 's' rows). */
  const groupExpr = (g: RollupGroup, oneValue: boolean): string =>
    g.by === 'total' || (g.by === 'value' && oneValue) ? "''" : g.by === 'region' ? 'region' : g.by === 'day' ? 'CAST(period AS TEXT)' : 'value';
  /** One region's rows (region = ?), or one depth's regions under a prefix (the region grouping). */
  const sumStmt = (g: RollupGroup, oneValue: boolean) => {
    const expr = groupExpr(g, oneValue);
    let st = cache.get(`${g.by}|${expr}`);
    if (!st) {
      const where = g.by === 'region' ? 'region >= @lo AND region < @hi' : 'region = @lo';
      st = db.prepare<unknown[], Record<string, unknown>>(
        `SELECT ${expr} AS g, ${SUM_COLUMNS} FROM analytics_rollup
          WHERE level = @level AND kind = @kind AND depth = @depth AND ${where} AND period >= @from AND period < @to GROUP BY g`,
      );
      cache.set(`${g.by}|${expr}`, st);
    }
    return st;
  };
  const openDue = db.prepare<[number, number, string, string], { data: string }>(
    'SELECT data FROM analytics_facts WHERE open_due_ms >= ? AND open_due_ms < ? AND grid >= ? AND grid < ?',
  );
  const rebuild = db.transaction(() => {
    db.exec('DELETE FROM analytics_rollup; DELETE FROM analytics_facts;');
    const fold = new RollupFold(rootRegionId);
    for (const e of db.prepare<[], { at_ms: number; data: string }>('SELECT at_ms, data FROM events ORDER BY seq').iterate()) {
      fold.apply(JSON.parse(e.data), e.at_ms);
    }
    writeFold(s, fold);
  });

  return {
    sum: async (q) => {
      const { depth, lo, hi } = depthFilter(q.regionId, q.group);
      const { kind, oneValue } = storedKindOf(q.kind);
      return combineParts(
        queryParts(q).map(({ level, from, to, sign }) => [
          sign,
          sumStmt(q.group, oneValue).all({ level, kind, depth, lo, hi, from, to }).map((r): [string, Counters] => [String(r.g), columnsToCounters(r)]),
        ]),
      );
    },
    openDue: async (regionId, fromMs, toMs) => openDue.all(fromMs, toMs, ...prefixRange(regionId)).map((r) => JSON.parse(r.data) as CaseFacts),
    allRows: async () => (db.prepare('SELECT * FROM analytics_rollup').all() as Record<string, unknown>[]).map(rowToRollup).filter(nonZero),
    rebuild: async () => rebuild(),
    addRows: async (rows) => db.transaction(() => writeRows(s, rows))(),
    ensureBuilt: async () => {
      const facts = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM analytics_facts LIMIT 1)').get()!.n;
      const events = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM events LIMIT 1)').get()!.n;
      if (!facts && events) rebuild();
    },
  };
}

/** Rows whose counters all went back to 0 (a case moved away) are equal to absent ones. */
export function nonZero(r: RollupRow): boolean {
  return COUNTER_COLUMNS.some((c) => countersToColumns(r.c)[c] !== 0);
}

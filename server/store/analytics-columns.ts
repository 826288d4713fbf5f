/** Column layout of the analytics rollup table, shared by both stores (common/analytics/rollup.ts has the design). */
import type { Counters } from '#common/analytics/counters';
import { COUNTER_FIELDS, HIST_BUCKETS, zeroCounters } from '#common/analytics/counters';
import type { RollupRow } from '#common/analytics/rollup';

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
export const FIELD_COLUMNS = COUNTER_FIELDS.map(snake);
export const HIST_COLUMNS = Array.from({ length: HIST_BUCKETS }, (_, i) => `h${i}`);
/** Every counter column, in a fixed order. */
export const COUNTER_COLUMNS = [...FIELD_COLUMNS, ...HIST_COLUMNS];
/** In the order of the primary key: one region's periods lie together, one depth's regions too. */
export const KEY_COLUMNS = ['level', 'kind', 'depth', 'region', 'period', 'value'] as const;

/**
 * The rollup table since the region depths (common/analytics/rollup.ts): replaces the grid-only one. Its facts are
 * emptied, so the first start after the migration rebuilds both from the event log (AnalyticsStore.ensureBuilt).
 * `wide`: the type of the minute sums (a district-month of minutes may pass 2³¹); `tail`: after the closing parenthesis (SQLite: WITHOUT ROWID, so the primary key holds the counters).
 */
export function rollupByDepthDdl(int: string, wide: string, code: string, tail: string): string {
  return `
  DROP TABLE analytics_rollup;
  DELETE FROM analytics_facts;
  CREATE TABLE analytics_rollup (
    level TEXT NOT NULL, kind TEXT NOT NULL, depth ${int} NOT NULL, region ${code} NOT NULL, period INTEGER NOT NULL, value TEXT NOT NULL,
    ${COUNTER_COLUMNS.map((c) => `${c} ${c === 'dur_sum_min' ? wide : int} NOT NULL DEFAULT 0`).join(', ')},
    PRIMARY KEY (${KEY_COLUMNS.join(', ')})
  )${tail};
  `;
}

/** The first rollup and per-case facts tables; `int`: the column type of counters and times, `code`: of region codes. */
export function analyticsDdl(int: string, code = 'TEXT'): string {
  return `
  -- Analytics rollups (common/analytics/rollup.ts), kept in the transaction that appends each event.
  CREATE TABLE analytics_rollup (
    level TEXT NOT NULL, kind TEXT NOT NULL, period INTEGER NOT NULL, grid ${code} NOT NULL, value TEXT NOT NULL,
    ${COUNTER_COLUMNS.map((c) => `${c} ${int} NOT NULL DEFAULT 0`).join(', ')},
    PRIMARY KEY (level, kind, period, grid, value)
  );
  -- One row per case: what the rollups know of it, to replace its contribution when it changes.
  CREATE TABLE analytics_facts (
    incident_id TEXT PRIMARY KEY,
    grid ${code} NOT NULL,
    -- the deadline of a due, not yet closed case (counted as due on that day): ranges ending after now leave it out
    open_due_ms ${int},
    data TEXT NOT NULL
  );
  CREATE INDEX analytics_facts_open_due ON analytics_facts (open_due_ms) WHERE open_due_ms IS NOT NULL;
  -- Residents' one-time feedback links (回访, /f/{token}); only a hash of the token is kept.
  CREATE TABLE feedback_links (
    token_hash TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL,
    created_ms ${int} NOT NULL,
    expires_ms ${int} NOT NULL,
    answered_ms ${int},
    result TEXT
  );
  CREATE INDEX feedback_links_incident ON feedback_links (incident_id);
  `;
}

export function countersToColumns(c: Counters): Record<string, number> {
  const out: Record<string, number> = {};
  COUNTER_FIELDS.forEach((f, i) => (out[FIELD_COLUMNS[i]!] = c[f]));
  HIST_COLUMNS.forEach((h, i) => (out[h] = c.hist[i]!));
  return out;
}

export function columnsToCounters(r: Record<string, unknown>): Counters {
  const c = zeroCounters();
  COUNTER_FIELDS.forEach((f, i) => (c[f] = Number(r[FIELD_COLUMNS[i]!] ?? 0)));
  HIST_COLUMNS.forEach((h, i) => (c.hist[i] = Number(r[h] ?? 0)));
  return c;
}

export function rowToRollup(r: Record<string, unknown>): RollupRow {
  return {
    level: r.level as RollupRow['level'],
    kind: r.kind as RollupRow['kind'],
    period: Number(r.period),
    value: String(r.value),
    depth: Number(r.depth),
    region: String(r.region),
    c: columnsToCounters(r),
  };
}

/** SUM(col) AS col for every counter column, the time-to-close histogram included (p90 for every grouping). */
export const SUM_COLUMNS = COUNTER_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ');

/** Rollup key values of a row, by column name. */
export function keyColumns(r: RollupRow): Record<(typeof KEY_COLUMNS)[number], string | number> {
  return { level: r.level, kind: r.kind, depth: r.depth, region: r.region, period: r.period, value: r.value };
}

import type pg from 'pg';
import type { CaseFacts } from '#common/analytics/facts';
import type { Counters } from '#common/analytics/counters';
import { COUNTER_FIELDS } from '#common/analytics/counters';
import type { IncidentChange } from '#common/incidents/types';
import { COUNTER_COLUMNS, KEY_COLUMNS, SUM_COLUMNS, columnsToCounters, keyColumns, rowToRollup } from '../analytics-columns.ts';
import { openDueMs, RollupFold } from '../analytics-rebuild.ts';
import { combineParts, depthFilter, queryParts, type AnalyticsStore, type RollupGroup } from '../analytics-types.ts';
import { storedKindOf, type RollupRow } from '#common/analytics/rollup';
import { nonZero } from '../sqlite/analytics.ts';
import { LINES, lines, prefixRange, withTx, type Stmt } from './tx.ts';

type Queryable = pg.Pool | pg.PoolClient;

const KEY_TYPES: Record<(typeof KEY_COLUMNS)[number], string> = { level: 'text', kind: 'text', depth: 'int', region: 'text', period: 'int', value: 'text' };
const counterType = (c: string) => (c === 'dur_sum_min' ? 'bigint' : 'int');

/** One array parameter per column (unnest): no per-row JSON, the rows arrive as columns. `counters`: the counter columns sent (the rest default to 0). */
function upsertSql(counters: readonly string[]): string {
  const types = [...KEY_COLUMNS.map((k) => KEY_TYPES[k]), ...counters.map(counterType)];
  return `INSERT INTO analytics_rollup (${[...KEY_COLUMNS, ...counters].join(', ')})
  SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${counters.map((col) => `${col} = analytics_rollup.${col} + excluded.${col}`).join(', ')}`;
}
const UPSERT = upsertSql(COUNTER_COLUMNS);
/** Rows with more non-zero counters than this (a rebuild's sums) go in the statement of every column. */
const SPARSE_MAX = 6;
const SPARSE_SHAPES = 8;

/**
 * The statements writing rollup deltas (keys unique within the batch). A row of an ingest has one or two non-zero
 * counters of 62 (a new case: `received`), so rows are sent grouped by their non-zero columns, each group as one
 * statement with only those columns: sending and adding 62 arrays of mostly zeros was the largest part of an
 * ingest's time in PostgreSQL. Wide rows (rebuilds) go in one statement with every column, as before.
 */
function rollupStatements(input: Iterable<RollupRow>): Stmt[] {
  const groups = new Map<string, { counters: number[]; rows: [RollupRow, number[]][] }>();
  for (const r of input) {
    const values = [...COUNTER_FIELDS.map((f) => r.c[f]), ...r.c.hist];
    const nonZero: number[] = [];
    for (let i = 0; i < values.length && nonZero.length <= SPARSE_MAX; i++) if (values[i] !== 0) nonZero.push(i);
    const sparse = nonZero.length > 0 && nonZero.length <= SPARSE_MAX ? nonZero.join(',') : '*';
    // A bulk load of varied rows would make many small statements: past SPARSE_SHAPES shapes, the full one.
    const key = groups.has(sparse) || groups.size < SPARSE_SHAPES ? sparse : '*';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { counters: key === '*' ? COUNTER_INDEXES : nonZero, rows: [] }));
    g.rows.push([r, values]);
  }
  return [...groups.values()].map(({ counters, rows }) => {
    const cols: unknown[][] = [...KEY_COLUMNS.map(() => new Array<unknown>(rows.length)), ...counters.map(() => new Array<unknown>(rows.length))];
    rows.forEach(([r, values], i) => {
      const k = keyColumns(r);
      KEY_COLUMNS.forEach((name, j) => (cols[j]![i] = k[name]));
      counters.forEach((ci, j) => (cols[KEY_COLUMNS.length + j]![i] = values[ci]));
    });
    return { text: counters === COUNTER_INDEXES ? UPSERT : upsertSql(counters.map((i) => COUNTER_COLUMNS[i]!)), values: cols };
  });
}
const COUNTER_INDEXES = COUNTER_COLUMNS.map((_, i) => i);

async function writeRows(c: Queryable, input: Iterable<RollupRow>): Promise<void> {
  for (const st of rollupStatements(input)) await c.query(st.text, st.values);
}

/** The rollup rows and the new or changed facts of a fold; the facts as columns, their JSON as lines (no escaping). */
function foldStatements(fold: RollupFold): Stmt[] {
  const out = rollupStatements(fold.rows.values());
  const changed = [...fold.changedFacts()];
  if (changed.length) {
    out.push({
      text: `INSERT INTO analytics_facts (incident_id, grid, open_due_ms, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], ${LINES('$4')})
       ON CONFLICT (incident_id) DO UPDATE SET grid = excluded.grid, open_due_ms = excluded.open_due_ms, data = excluded.data`,
      values: [changed.map((f) => f.id), changed.map((f) => f.grid), changed.map(openDueMs), lines(changed.map((f) => JSON.stringify(f)))],
    });
  }
  return out;
}

async function writeFold(c: Queryable, fold: RollupFold): Promise<void> {
  for (const st of foldStatements(fold)) await c.query(st.text, st.values);
}

/**
 * The hook the incident store calls right after it inserts events, on the same client and transaction
 * (under the log_head lock, so no other writer changes the same facts meanwhile).
 */
export function postgresRollupWriter(rootRegionId: string) {
  const write = async (c: pg.PoolClient, changes: readonly IncidentChange[], now: Date): Promise<void> => {
    if (!changes.length) return;
    const ids = [...new Set(changes.map((ch) => ch.incident.id))];
    const { rows } = await c.query<{ incident_id: string; data: string }>('SELECT incident_id, data FROM analytics_facts WHERE incident_id = ANY($1::text[])', [ids]);
    const known = new Map(rows.map((r) => [r.incident_id, JSON.parse(r.data) as CaseFacts]));
    const fold = new RollupFold(rootRegionId, (id) => known.get(id) ?? null);
    for (const ch of changes) fold.apply(ch.incident, now.getTime());
    await writeFold(c, fold);
  };
  /**
   * The same writes as statements, for a caller that read the stored facts of every case in `changes` itself
   * (`facts`: id → facts, null for a case with none) and sends them with its own writes in one round trip.
   */
  const statements = (changes: readonly IncidentChange[], now: Date, facts: ReadonlyMap<string, CaseFacts | null>): Stmt[] => {
    const fold = new RollupFold(rootRegionId, (id) => {
      const f = facts.get(id);
      if (f === undefined) throw new Error(`rollup: stored facts of ${id} not read`);
      return f;
    });
    for (const ch of changes) fold.apply(ch.incident, now.getTime());
    return foldStatements(fold);
  };
  return Object.assign(write, { statements });
}

export function postgresAnalyticsStore(pool: pg.Pool, rootRegionId: string): AnalyticsStore {
  /** `oneValue`: the rows' values are summed into one group (kind '' read from the 's' rows). */
  const groupExpr = (g: RollupGroup, oneValue: boolean): string =>
    g.by === 'total' || (g.by === 'value' && oneValue) ? "''" : g.by === 'region' ? 'region' : g.by === 'day' ? 'period::text' : 'value';
  const rebuild = () =>
    withTx(pool, async (c) => {
      // Under the log head lock: no event is appended while the log is read.
      await c.query('SELECT seq FROM log_head FOR UPDATE');
      await c.query('DELETE FROM analytics_rollup; DELETE FROM analytics_facts');
      const fold = new RollupFold(rootRegionId);
      for (let after = 0; ; ) {
        const { rows } = await c.query<{ seq: number; at_ms: number; data: string }>('SELECT seq, at_ms, data FROM events WHERE seq > $1 ORDER BY seq LIMIT 5000', [after]);
        if (!rows.length) break;
        for (const e of rows) fold.apply(JSON.parse(e.data), e.at_ms);
        after = rows.at(-1)!.seq;
      }
      await writeFold(c, fold);
    });

  return {
    sum: async (q) => {
      const { depth, lo, hi } = depthFilter(q.regionId, q.group);
      const { kind, oneValue } = storedKindOf(q.kind);
      const expr = groupExpr(q.group, oneValue);
      const results = await Promise.all(
        queryParts(q).map(async ({ level, from, to, sign }) => {
          const { rows } = await pool.query<Record<string, unknown>>(
            // One region's rows, or for the region grouping one depth's regions under a code prefix.
            `SELECT ${expr} AS g, ${SUM_COLUMNS} FROM analytics_rollup
              WHERE level = $1 AND kind = $2 AND depth = $3 AND ${q.group.by === 'region' ? 'region >= $6 AND region < $7' : 'region = $6'}
                AND period >= $4 AND period < $5 GROUP BY 1`,
            q.group.by === 'region' ? [level, kind, depth, from, to, lo, hi] : [level, kind, depth, from, to, lo],
          );
          return [sign, rows.map((r): [string, Counters] => [String(r.g), columnsToCounters(r)])] as const;
        }),
      );
      return combineParts(results);
    },
    openDue: async (regionId, fromMs, toMs) => {
      const [lo, hi] = prefixRange(regionId);
      const { rows } = await pool.query<{ data: string }>(
        'SELECT data FROM analytics_facts WHERE open_due_ms >= $1 AND open_due_ms < $2 AND grid >= $3 AND grid < $4',
        [fromMs, toMs, lo, hi],
      );
      return rows.map((r) => JSON.parse(r.data) as CaseFacts);
    },
    allRows: async () => (await pool.query<Record<string, unknown>>('SELECT * FROM analytics_rollup')).rows.map(rowToRollup).filter(nonZero),
    rebuild: async () => rebuild(),
    addRows: async (rows) => {
      const list = [...rows];
      for (let i = 0; i < list.length; i += 5000) await writeRows(pool, list.slice(i, i + 5000));
    },
    ensureBuilt: async () => {
      const { rows } = await pool.query<{ facts: boolean; events: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM analytics_facts) AS facts, EXISTS (SELECT 1 FROM events) AS events',
      );
      if (!rows[0]!.facts && rows[0]!.events) await rebuild();
    },
  };
}

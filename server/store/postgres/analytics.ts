import type pg from 'pg';
import type { CaseFacts } from '#common/analytics/facts';
import type { Counters } from '#common/analytics/counters';
import type { IncidentChange } from '#common/incidents/types';
import { COUNTER_COLUMNS, KEY_COLUMNS, SUM_COLUMNS, columnsToCounters, countersToColumns, keyColumns, rowToRollup } from '../analytics-columns.ts';
import { openDueMs, RollupFold } from '../analytics-rebuild.ts';
import { combineParts, depthFilter, queryParts, type AnalyticsStore, type RollupGroup } from '../analytics-types.ts';
import type { RollupRow } from '#common/analytics/rollup';
import { nonZero } from '../sqlite/analytics.ts';
import { prefixRange, withTx } from './tx.ts';

type Queryable = pg.Pool | pg.PoolClient;
const ALL = [...KEY_COLUMNS, ...COUNTER_COLUMNS].join(', ');

const KEY_TYPES: Record<(typeof KEY_COLUMNS)[number], string> = { level: 'text', kind: 'text', depth: 'int', region: 'text', period: 'int', value: 'text' };
/** One array parameter per column (unnest): no per-row JSON, the rows arrive as columns. */
const UPSERT = `INSERT INTO analytics_rollup (${ALL})
  SELECT * FROM unnest(${[...KEY_COLUMNS.map((k) => KEY_TYPES[k]), ...COUNTER_COLUMNS.map((c) => (c === 'dur_sum_min' ? 'bigint' : 'int'))].map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT (${KEY_COLUMNS.join(', ')}) DO UPDATE SET ${COUNTER_COLUMNS.map((col) => `${col} = analytics_rollup.${col} + excluded.${col}`).join(', ')}`;

/** Write rollup deltas (keys unique within the batch): one statement whatever the batch size. */
async function writeRows(c: Queryable, input: Iterable<RollupRow>): Promise<void> {
  const list = [...input];
  if (!list.length) return;
  const cols: unknown[][] = [...KEY_COLUMNS, ...COUNTER_COLUMNS].map(() => new Array<unknown>(list.length));
  list.forEach((r, i) => {
    const k = keyColumns(r);
    KEY_COLUMNS.forEach((name, j) => (cols[j]![i] = k[name]));
    const v = countersToColumns(r.c);
    COUNTER_COLUMNS.forEach((name, j) => (cols[KEY_COLUMNS.length + j]![i] = v[name]));
  });
  await c.query(UPSERT, cols);
}

async function writeFold(c: Queryable, fold: RollupFold): Promise<void> {
  await writeRows(c, fold.rows.values());
  if (fold.facts.size) {
    const facts = [...fold.facts.values()].map((f) => ({ incident_id: f.id, grid: f.grid, open_due_ms: openDueMs(f), data: JSON.stringify(f) }));
    await c.query(
      `INSERT INTO analytics_facts (incident_id, grid, open_due_ms, data)
       SELECT incident_id, grid, open_due_ms, data FROM json_populate_recordset(NULL::analytics_facts, $1::json)
       ON CONFLICT (incident_id) DO UPDATE SET grid = excluded.grid, open_due_ms = excluded.open_due_ms, data = excluded.data`,
      [JSON.stringify(facts)],
    );
  }
}

/**
 * The hook the incident store calls right after it inserts events, on the same client and transaction
 * (under the log_head lock, so no other writer changes the same facts meanwhile).
 */
export function postgresRollupWriter(rootRegionId: string) {
  return async (c: pg.PoolClient, changes: readonly IncidentChange[], now: Date): Promise<void> => {
    if (!changes.length) return;
    const ids = [...new Set(changes.map((ch) => ch.incident.id))];
    const { rows } = await c.query<{ incident_id: string; data: string }>('SELECT incident_id, data FROM analytics_facts WHERE incident_id = ANY($1::text[])', [ids]);
    const known = new Map(rows.map((r) => [r.incident_id, JSON.parse(r.data) as CaseFacts]));
    const fold = new RollupFold(rootRegionId, (id) => known.get(id) ?? null);
    for (const ch of changes) fold.apply(ch.incident, now.getTime());
    await writeFold(c, fold);
  };
}

export function postgresAnalyticsStore(pool: pg.Pool, rootRegionId: string): AnalyticsStore {
  const groupExpr = (g: RollupGroup): string =>
    g.by === 'total' ? "''" : g.by === 'region' ? 'region' : g.by === 'day' ? 'period::text' : 'value';
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
      const expr = groupExpr(q.group);
      const results = await Promise.all(
        queryParts(q).map(async ({ level, from, to, sign }) => {
          const { rows } = await pool.query<Record<string, unknown>>(
            // One region's rows, or for the region grouping one depth's regions under a code prefix.
            `SELECT ${expr} AS g, ${SUM_COLUMNS} FROM analytics_rollup
              WHERE level = $1 AND kind = $2 AND depth = $3 AND ${q.group.by === 'region' ? 'region >= $6 AND region < $7' : 'region = $6'}
                AND period >= $4 AND period < $5 GROUP BY 1`,
            q.group.by === 'region' ? [level, q.kind, depth, from, to, lo, hi] : [level, q.kind, depth, from, to, lo],
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

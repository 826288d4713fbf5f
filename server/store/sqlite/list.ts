import type { IncidentFilter } from '../types.ts';
import { prefixRange, type Db } from './open.ts';

export interface ListRow {
  data: string;
  reported_ms: number;
  rowid: number;
}

/**
 * The filtered incident list, newest reported first, keyset-paged on (reported_ms, rowid): a page costs the
 * same on page 1 and page 1,000, and rows inserted meanwhile never shift it.
 *
 * Which index drives the query is decided here, not left to a planner without statistics (no ANALYZE runs):
 * - below the root (a street, a community, a grid) the scope's prefix range on (region_id, reported_ms) does,
 *   so the cost follows the incidents in scope, never the table. The other terms are written `+column` (the
 *   unary plus SQLite documents for taking a term away from index selection) or run on the JSON, so an
 *   equality on a status or category cannot pull the plan onto an index that walks the whole city's rows;
 * - at the root the prefix range covers every row, so it is the one written `+region_id`: a status, a
 *   category ((category, reported_ms), schema migrations 20 and 22), a time window or the plain list walk an index
 *   newest first and stop after `limit` rows.
 * `EXPLAIN QUERY PLAN` of each shape is checked in test/integration/incident-list.test.ts.
 */
export function listQuery(db: Db) {
  return (filter: IncidentFilter, after: [number, number | string] | null, limit: number, rootRegionId: string): ListRow[] => {
    const { sql, params } = listSql(filter, after, limit, rootRegionId);
    return db.prepare<[Record<string, unknown>], ListRow>(sql).all(params);
  };
}

export function listSql(
  filter: IncidentFilter,
  after: [number, number | string] | null,
  limit: number,
  rootRegionId: string,
): { sql: string; params: Record<string, unknown> } {
  const root = filter.regionId === rootRegionId;
  // `+` where a term must not choose the index (see above); '' where it should.
  const scoped = root ? '' : '+';
  const [lo, hi] = prefixRange(filter.regionId);
  const where: string[] = root ? ['+region_id >= @lo', '+region_id < @hi'] : ['region_id >= @lo', 'region_id < @hi'];
  const params: Record<string, unknown> = { lo, hi, limit };
  // A scope below the root never holds incidents outside every grid (stored under the root id).
  if (!root) {
    where.push('region_id != @root');
    params.root = rootRegionId;
  }
  const inList = (name: string, column: string, values: readonly string[] | undefined) => {
    if (!values) return;
    where.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
    params[name] = JSON.stringify(values);
  };
  inList('statuses', `${scoped}status`, filter.statuses);
  inList('severities', 'severity', filter.severities);
  inList('ids', 'id', filter.ids);
  inList('categories', `${scoped}category`, filter.categories);
  inList('sources', "json_extract(data, '$.source')", filter.sources);
  const equal = (name: string, sql: string, value: unknown) => {
    if (value === undefined) return;
    where.push(sql);
    params[name] = value;
  };
  equal('connector', 'connector_id = @connector', filter.connectorId || undefined);
  equal('from', `${scoped}reported_ms >= @from`, filter.from?.getTime());
  equal('to', `${scoped}reported_ms < @to`, filter.to?.getTime());
  if (after) {
    // The first term is implied by the second; it is there so an index on reported_ms can start at the cursor.
    where.push(`${scoped}reported_ms <= @afterMs`, '(reported_ms < @afterMs OR (reported_ms = @afterMs AND rowid < @afterId))');
    params.afterMs = after[0];
    params.afterId = after[1];
  }
  const sql = `SELECT data, reported_ms, rowid FROM incidents WHERE ${where.join(' AND ')}
               ORDER BY reported_ms DESC, rowid DESC LIMIT @limit`;
  return { sql, params };
}

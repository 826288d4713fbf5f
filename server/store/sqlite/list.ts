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
 */
export function listQuery(db: Db) {
  return (filter: IncidentFilter, after: [number, number | string] | null, limit: number, rootRegionId: string): ListRow[] => {
    const where: string[] = ['region_id >= @lo', 'region_id < @hi'];
    const [lo, hi] = prefixRange(filter.regionId);
    const params: Record<string, unknown> = { lo, hi, limit };
    // A scope below the root never holds incidents outside every grid (stored under the root id).
    if (filter.regionId !== rootRegionId) {
      where.push('region_id != @root');
      params.root = rootRegionId;
    }
    const inList = (name: string, column: string, values: readonly string[] | undefined) => {
      if (!values) return;
      where.push(`${column} IN (SELECT value FROM json_each(@${name}))`);
      params[name] = JSON.stringify(values);
    };
    inList('statuses', 'status', filter.statuses);
    inList('severities', 'severity', filter.severities);
    inList('ids', 'id', filter.ids);
    inList('categories', "json_extract(data, '$.category')", filter.categories);
    inList('sources', "json_extract(data, '$.source')", filter.sources);
    const equal = (name: string, sql: string, value: unknown) => {
      if (value === undefined) return;
      where.push(sql);
      params[name] = value;
    };
    equal('connector', 'connector_id = @connector', filter.connectorId || undefined);
    equal('from', 'reported_ms >= @from', filter.from?.getTime());
    equal('to', 'reported_ms < @to', filter.to?.getTime());
    if (after) {
      where.push('(reported_ms < @afterMs OR (reported_ms = @afterMs AND rowid < @afterId))');
      params.afterMs = after[0];
      params.afterId = after[1];
    }
    const sql = `SELECT data, reported_ms, rowid FROM incidents WHERE ${where.join(' AND ')}
                 ORDER BY reported_ms DESC, rowid DESC LIMIT @limit`;
    return db.prepare<[Record<string, unknown>], ListRow>(sql).all(params);
  };
}

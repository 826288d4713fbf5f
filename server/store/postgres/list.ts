import type { IncidentFilter } from '../types.ts';
import { prefixRange } from './tx.ts';

/** The filtered incident list, newest reported first, keyset-paged on (reported_ms, created_seq). */
export function listSql(
  filter: IncidentFilter,
  after: [number, number | string] | null,
  limit: number,
  rootRegionId: string,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const [lo, hi] = prefixRange(filter.regionId);
  const where = [`region_id >= ${p(lo)}`, `region_id < ${p(hi)}`];
  // A scope below the root never holds incidents outside every grid (stored under the root id).
  if (filter.regionId !== rootRegionId) where.push(`region_id <> ${p(rootRegionId)}`);
  if (filter.statuses) where.push(`status = ANY(${p([...filter.statuses])}::text[])`);
  if (filter.severities) where.push(`severity = ANY(${p([...filter.severities])}::text[])`);
  if (filter.ids) where.push(`id = ANY(${p([...filter.ids])}::text[])`);
  if (filter.categories) where.push(`(data::jsonb ->> 'category') = ANY(${p([...filter.categories])}::text[])`);
  if (filter.sources) where.push(`(data::jsonb ->> 'source') = ANY(${p([...filter.sources])}::text[])`);
  if (filter.connectorId) where.push(`connector_id = ${p(filter.connectorId)}`);
  if (filter.from) where.push(`reported_ms >= ${p(filter.from.getTime())}`);
  if (filter.to) where.push(`reported_ms < ${p(filter.to.getTime())}`);
  if (after) where.push(`(reported_ms, created_seq) < (${p(after[0])}, ${p(after[1])})`);
  return {
    sql: `SELECT data, reported_ms, created_seq FROM incidents WHERE ${where.join(' AND ')}
          ORDER BY reported_ms DESC, created_seq DESC LIMIT ${p(limit)}`,
    params,
  };
}

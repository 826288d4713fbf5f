import type { IncidentFilter } from '../types.ts';
import { prefixRange } from './tx.ts';

/**
 * The filtered incident list, newest reported first, keyset-paged on (reported_ms, created_seq). PostgreSQL
 * plans with statistics (autovacuum's ANALYZE), so the query leaves the index to it: the district-wide list
 * and time windows walk (reported_ms, created_seq) backwards, a category its own index, a scope below the root
 * (region_id, reported_ms); the plans at a million rows are in the README (City scale).
 */
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
  // One value is written `=`, not `= ANY(array)`: PostgreSQL (before 17) reads an index in order only under an
  // equality, and the (category, reported_ms, created_seq) index (schema migrations 20 and 22) is only quick in order.
  const oneOf = (column: string, values: readonly string[]) =>
    values.length === 1 ? `${column} = ${p(values[0])}` : `${column} = ANY(${p([...values])}::text[])`;
  if (filter.statuses) where.push(oneOf('status', filter.statuses));
  if (filter.severities) where.push(`severity = ANY(${p([...filter.severities])}::text[])`);
  if (filter.ids) where.push(`id = ANY(${p([...filter.ids])}::text[])`);
  if (filter.categories) where.push(oneOf('category', filter.categories));
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

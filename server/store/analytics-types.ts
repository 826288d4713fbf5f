import type { Counters } from '#common/analytics/counters';
import type { CaseFacts } from '#common/analytics/facts';
import { addCounters, isZero, zeroCounters } from '#common/analytics/counters';
import { rangeParts, type DayRange, type RangePart } from '#common/analytics/periods';
import { hasMonthRows, type RollupKind, type RollupRow } from '#common/analytics/rollup';

/** How the summed rows are grouped: one total, by region code prefix, by day, or by the kind's value. */
export type RollupGroup = { by: 'total' } | { by: 'region'; codeLength: number } | { by: 'day' } | { by: 'value' };

export interface AnalyticsSumQuery {
  /** Region subtree (grid id prefix). */
  regionId: string;
  range: DayRange;
  kind: RollupKind;
  group: RollupGroup;
}

/**
 * Which rollup rows answer a query: the region's own rows at its depth (lo = the region), or for the region
 * grouping the rows of the next depth under it ([lo, hi): the code prefix range).
 */
export function depthFilter(regionId: string, group: RollupGroup): { depth: number; lo: string; hi: string } {
  return { depth: group.by === 'region' ? group.codeLength : regionId.length, lo: regionId, hi: `${regionId}:` };
}

/**
 * The row ranges a query sums (common/analytics/periods.ts rangeParts); day groups need day rows: month rows do not
 * know their days; the grid depth has day rows only (hasMonthRows).
 */
export function queryParts(q: AnalyticsSumQuery): RangePart[] {
  const daysOnly = q.group.by === 'day' || !hasMonthRows(depthFilter(q.regionId, q.group).depth);
  return daysOnly ? [{ level: 'd', from: q.range.from, to: q.range.to, sign: 1 }] : rangeParts(q.range);
}

/** Add each part's per-group sums, with its sign; groups that come to all zeros are left out (as absent rows are). */
export function combineParts(results: Iterable<readonly [sign: 1 | -1, groups: Iterable<[string, Counters]>]>): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const [sign, groups] of results) {
    for (const [key, c] of groups) {
      let acc = out.get(key);
      if (!acc) out.set(key, (acc = zeroCounters()));
      addCounters(acc, c, sign);
    }
  }
  for (const [key, c] of out) if (isZero(c)) out.delete(key);
  return out;
}

/** The analytics rollups (common/analytics/rollup.ts): written by the incident store with each event, read here. */
export interface AnalyticsStore {
  /** Counters summed per group key (region prefix, day number as a string, value, or '' for the total). */
  sum(q: AnalyticsSumQuery): Promise<Map<string, Counters>>;
  /** Facts of due, not yet closed cases in the subtree whose deadline is in [fromMs, toMs). */
  openDue(regionId: string, fromMs: number, toMs: number): Promise<CaseFacts[]>;
  /** Every rollup row (tests compare incremental and rebuilt rollups). */
  allRows(): Promise<RollupRow[]>;
  /** Add rows to the rollups (a bulk load: the benchmark's generated year); facts are not touched. */
  addRows(rows: Iterable<RollupRow>): Promise<void>;
  /** Rebuild facts and rollups from the whole event log, in one transaction. */
  rebuild(): Promise<void>;
  /** Rebuild when the log has events but no facts yet (a database older than the rollups). */
  ensureBuilt(): Promise<void>;
}

/** Summing rollup rows over a day range in memory: what the stores do in SQL (tests and rebuild checks use it). */
import type { Counters } from './counters.ts';
import { addCounters, zeroCounters } from './counters.ts';
import type { DayRange } from './periods.ts';
import { splitRange } from './periods.ts';
import { hasMonthRows, LEAF_DEPTH, storedKindOf, type RollupKind, type RollupRow } from './rollup.ts';

/**
 * Rows of `kind` and `depth` (default: the grid rows, where each case counts once) in `range` (whole months from
 * month rows, the ends from day rows; day rows only at the grid depth), summed per group (null: skip). Kind '' reads the 's' rows, each seen by
 * `groupOf` as a row of kind '' and value '' (storedKindOf).
 */
export function sumRows(rows: Iterable<RollupRow>, range: DayRange, kind: RollupKind, groupOf: (r: RollupRow) => string | null, depth = LEAF_DEPTH): Map<string, Counters> {
  const { months, days } = hasMonthRows(depth) ? splitRange(range) : { months: null, days: [range] };
  const inRange = (r: RollupRow): boolean =>
    r.level === 'm' ? months !== null && r.period >= months[0] && r.period < months[1] : days.some((d) => r.period >= d.from && r.period < d.to);
  const stored = storedKindOf(kind);
  const out = new Map<string, Counters>();
  for (const r of rows) {
    if (r.kind !== stored.kind || r.depth !== depth || !inRange(r)) continue;
    const g = groupOf(stored.oneValue ? { ...r, kind, value: '' } : r);
    if (g === null) continue;
    let c = out.get(g);
    if (!c) out.set(g, (c = zeroCounters()));
    addCounters(c, r.c);
  }
  return out;
}

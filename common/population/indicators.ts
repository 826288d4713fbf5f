/**
 * Pure population and aging indicators over aggregates (no I/O, no person data).
 * Shares are percentages of all residents; a ratio with a zero denominator is null.
 */
import {
  AGE_BANDS,
  SEXES,
  SPECIAL_GROUPS,
  type AgeBand,
  type AgingLevel,
  type GridMonthPopulation,
  type IndicatorChange,
  type IndicatorPoint,
  type Month,
  type PopulationAggregate,
  type PopulationIndicators,
} from './types.ts';
import { REGION_CODE_LENGTH } from '../geo/types.ts';

export { suppressSmallCounts, suppressIndicators, suppressReply, projectAggregate, isSmallCount, complementCells } from './privacy.ts';

/** Index of the first band of an age: 60 → '60-64' is index 12. */
const bandIndex = (age: number): number => Math.min(Math.floor(age / 5), AGE_BANDS.length - 1);

/** The five-year band of an age in completed years (≥ 0). */
export function ageBandOf(age: number): AgeBand {
  return AGE_BANDS[bandIndex(Math.max(0, age))] as AgeBand;
}

export function emptyAggregate(): PopulationAggregate {
  const bands = () => Object.fromEntries(AGE_BANDS.map((b) => [b, 0])) as Record<AgeBand, number>;
  return {
    residents: { male: bands(), female: bands() },
    households: 0,
    registered: 0,
    floating: 0,
    groups: Object.fromEntries(SPECIAL_GROUPS.map((g) => [g, 0])) as PopulationAggregate['groups'],
  };
}

/** Adds `src` into `target` in place and returns `target`. */
export function addInto(target: PopulationAggregate, src: PopulationAggregate): PopulationAggregate {
  for (const s of SEXES) for (const b of AGE_BANDS) target.residents[s][b] += src.residents[s][b];
  target.households += src.households;
  target.registered += src.registered;
  target.floating += src.floating;
  for (const g of SPECIAL_GROUPS) target.groups[g] += src.groups[g];
  return target;
}

export function sumAggregates(list: Iterable<PopulationAggregate>): PopulationAggregate {
  const out = emptyAggregate();
  for (const a of list) addInto(out, a);
  return out;
}

/** Residents aged `fromAge` and over (to `toAge` inclusive when given); ages must be band edges (multiples of 5). */
export function residentsAged(a: PopulationAggregate, fromAge: number, toAge = Infinity): number {
  let n = 0;
  AGE_BANDS.forEach((b, i) => {
    if (i * 5 >= fromAge && i * 5 <= toAge) n += a.residents.male[b] + a.residents.female[b];
  });
  return n;
}

export function totalResidents(a: PopulationAggregate): number {
  return residentsAged(a, 0);
}

/** UN/WHO classification by the 65+ share (percent): <7 none, ≥7 aging, ≥14 aged, ≥20 super_aged. */
export function agingLevelOf(share65Plus: number | null): AgingLevel | null {
  if (share65Plus === null || !Number.isFinite(share65Plus)) return null;
  if (share65Plus >= 20) return 'super_aged';
  if (share65Plus >= 14) return 'aged';
  if (share65Plus >= 7) return 'aging';
  return 'none';
}

const ratio = (num: number, den: number, scale: number): number | null => (den > 0 ? (num / den) * scale : null);

export function computeIndicators(a: PopulationAggregate): PopulationIndicators {
  const residents = totalResidents(a);
  const aged65 = residentsAged(a, 65);
  const share65Plus = ratio(aged65, residents, 100);
  return {
    residents,
    households: a.households,
    personsPerHousehold: ratio(residents, a.households, 1),
    share60Plus: ratio(residentsAged(a, 60), residents, 100),
    share65Plus,
    share80Plus: ratio(residentsAged(a, 80), residents, 100),
    // 15–64 are the bands starting at 15 … 60.
    oldAgeDependencyRatio: ratio(aged65, residentsAged(a, 15, 60), 100),
    agingLevel: agingLevelOf(share65Plus),
    livingAlonePer1000: ratio(a.groups.livingAlone, residents, 1000),
    floatingShare: ratio(a.floating, residents, 100),
  };
}

const diff = (to: number | null, from: number | null): number | null =>
  to === null || from === null ? null : to - from;

/** Change from one point to another (percentage points for shares, percent for residents). */
export function indicatorChange(from: IndicatorPoint, to: IndicatorPoint): IndicatorChange {
  const f = from.indicators;
  const t = to.indicators;
  return {
    fromMonth: from.month,
    toMonth: to.month,
    residentsPct: f.residents > 0 ? ((t.residents - f.residents) / f.residents) * 100 : null,
    share60PlusPp: diff(t.share60Plus, f.share60Plus),
    share65PlusPp: diff(t.share65Plus, f.share65Plus),
    share80PlusPp: diff(t.share80Plus, f.share80Plus),
    oldAgeDependencyRatio: diff(t.oldAgeDependencyRatio, f.oldAgeDependencyRatio),
    livingAlonePer1000: diff(t.livingAlonePer1000, f.livingAlonePer1000),
  };
}

/** Change over 12 months ending at `month` (default: the latest point); null when either month is missing. */
export function change12Months(history: readonly IndicatorPoint[], month?: Month): IndicatorChange | null {
  const to = month === undefined ? latest(history) : history.find((p) => p.month === month);
  if (!to) return null;
  const fromMonth = addMonths(to.month, -12);
  const from = history.find((p) => p.month === fromMonth);
  return from ? indicatorChange(from, to) : null;
}

function latest(history: readonly IndicatorPoint[]): IndicatorPoint | undefined {
  let best: IndicatorPoint | undefined;
  for (const p of history) if (!best || p.month > best.month) best = p;
  return best;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(s: string): boolean {
  return MONTH_RE.test(s);
}

/** `addMonths('2025-03', -12)` → `'2024-03'`. */
export function addMonths(month: Month, n: number): Month {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  const idx = Number(m[1]) * 12 + Number(m[2]) - 1 + n;
  const y = Math.floor(idx / 12);
  return `${String(y).padStart(4, '0')}-${String((idx - y * 12) + 1).padStart(2, '0')}`;
}

/** `count` consecutive months ending at `end`, oldest first. */
export function monthRange(end: Month, count: number): Month[] {
  return Array.from({ length: count }, (_, i) => addMonths(end, i - count + 1));
}

/**
 * Aggregate of one region for one month: the sum of the grids whose id starts with the
 * region's code (codes are hierarchical). Rows of other months are ignored.
 */
export function aggregateRegion(
  regionId: string,
  month: Month,
  rows: Iterable<Pick<GridMonthPopulation, 'gridId' | 'month' | 'aggregate'>>,
): PopulationAggregate {
  const out = emptyAggregate();
  for (const r of rows) if (r.month === month && r.gridId.startsWith(regionId)) addInto(out, r.aggregate);
  return out;
}

/**
 * Rolls grid rows up the whole tree: for each month, the aggregate of every grid and of
 * each of its ancestors (district, street, community), keyed `month → regionId`.
 */
export function rollUpRegions(
  rows: Iterable<Pick<GridMonthPopulation, 'gridId' | 'month' | 'aggregate'>>,
): Map<Month, Map<string, PopulationAggregate>> {
  const out = new Map<Month, Map<string, PopulationAggregate>>();
  const lengths = Object.values(REGION_CODE_LENGTH).sort((x, y) => x - y);
  for (const r of rows) {
    let byRegion = out.get(r.month);
    if (!byRegion) out.set(r.month, (byRegion = new Map()));
    for (const len of lengths) {
      if (r.gridId.length < len) break;
      const id = r.gridId.slice(0, len);
      let agg = byRegion.get(id);
      if (!agg) byRegion.set(id, (agg = emptyAggregate()));
      addInto(agg, r.aggregate);
    }
  }
  return out;
}

/** Named periods in China Standard Time and the one before each (for "change from the previous period"). */
import { cstDay, dayStartMs, firstDayOfMonth, monthOfDay } from './rollup.ts';

export const PERIOD_KINDS = ['today', 'week', 'month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** [from, to) in CST day numbers. */
export interface DayRange {
  from: number;
  to: number;
}

/** The period of `kind` holding `now` (custom: the given days). Ends at the end of the period, not at now. */
export function periodRange(kind: Exclude<PeriodKind, 'custom'>, nowMs: number): DayRange {
  const today = cstDay(nowMs);
  if (kind === 'today') return { from: today, to: today + 1 };
  if (kind === 'week') {
    const dow = (new Date(today * 86_400_000).getUTCDay() + 6) % 7; // Monday = 0
    return { from: today - dow, to: today - dow + 7 };
  }
  const m = monthOfDay(today);
  const span = kind === 'month' ? 1 : kind === 'quarter' ? 3 : 12;
  const start = m - (kind === 'year' ? m % 12 : kind === 'quarter' ? m % 3 : 0);
  return { from: firstDayOfMonth(start), to: firstDayOfMonth(start + span) };
}

/** The period just before: the previous calendar month/quarter/year for whole ones, else the same length earlier. */
export function previousRange(r: DayRange): DayRange {
  const mFrom = monthOfDay(r.from);
  const mTo = monthOfDay(r.to);
  if (firstDayOfMonth(mFrom) === r.from && firstDayOfMonth(mTo) === r.to && mTo > mFrom) {
    const span = mTo - mFrom;
    return { from: firstDayOfMonth(mFrom - span), to: r.from };
  }
  return { from: r.from - (r.to - r.from), to: r.from };
}

export function rangeMs(r: DayRange): { fromMs: number; toMs: number } {
  return { fromMs: dayStartMs(r.from), toMs: dayStartMs(r.to) };
}

/** Split [from, to) into whole months (month numbers) and the days left at both ends. */
export function splitRange(r: DayRange): { months: [number, number] | null; days: DayRange[] } {
  let m0 = monthOfDay(r.from);
  if (firstDayOfMonth(m0) < r.from) m0++;
  const m1 = monthOfDay(r.to); // months [m0, m1) are whole when firstDayOfMonth(m1) <= r.to
  if (m0 >= m1 || firstDayOfMonth(m0) >= r.to) return { months: null, days: [r] };
  const days: DayRange[] = [];
  if (r.from < firstDayOfMonth(m0)) days.push({ from: r.from, to: firstDayOfMonth(m0) });
  if (firstDayOfMonth(m1) < r.to) days.push({ from: firstDayOfMonth(m1), to: r.to });
  return { months: [m0, m1], days };
}

/** A piece of a range's sum: the rows of `level` with a period in [from, to), added (sign 1) or taken away (−1). */
export interface RangePart {
  level: 'd' | 'm';
  from: number;
  to: number;
  sign: 1 | -1;
}

/**
 * The fewest rollup rows that sum to [from, to): whole months from month rows; a month cut by an end of the range
 * either from its day rows inside the range or, when fewer, from its month row less its day rows outside the range
 * (a year from the 29th of a month to the 28th reads 2 + 2 days, not 2 + 28). So a range reads ≤ 16 days of day
 * rows at each end, where splitRange reads ≤ 30.
 */
export function rangeParts(r: DayRange): RangePart[] {
  if (r.to <= r.from) return [];
  const parts: RangePart[] = [];
  const add = (level: 'd' | 'm', from: number, to: number, sign: 1 | -1) => {
    if (from < to) parts.push({ level, from, to, sign });
  };
  const first = monthOfDay(r.from);
  const last = monthOfDay(r.to - 1);
  const [start, end] = [firstDayOfMonth(first), firstDayOfMonth(last + 1)];
  // A month row costs about what one day row does.
  if (first === last) {
    if (r.from - start + (end - r.to) + 1 >= r.to - r.from) return [{ level: 'd', from: r.from, to: r.to, sign: 1 }];
    add('d', start, r.from, -1);
    add('d', r.to, end, -1);
    add('m', first, first + 1, 1);
    return parts;
  }
  let [m0, m1] = [first, last + 1];
  const afterFirst = firstDayOfMonth(first + 1);
  // A range starting on the 1st (ending on the last) has no days before (after) it: 0 + 1 < the month's length.
  if (r.from - start + 1 < afterFirst - r.from) add('d', start, r.from, -1);
  else {
    add('d', r.from, afterFirst, 1);
    m0 = first + 1;
  }
  const lastStart = firstDayOfMonth(last);
  if (end - r.to + 1 < r.to - lastStart) add('d', r.to, end, -1);
  else {
    add('d', lastStart, r.to, 1);
    m1 = last;
  }
  add('m', m0, m1, 1);
  return parts;
}

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

/**
 * The leader view's state as pure functions: the period's dates, the drill path, rankings and the console
 * links behind every number. No clock of its own: `now` is passed in.
 */
import type { AnalyticsItem } from '#common/analytics/api';
import type { IndicatorName } from '#common/analytics/indicators';
import { percentText } from '#common/analytics/format';
import { periodRange, type PeriodKind } from '#common/analytics/periods';
import { cstDay, dayLabel } from '#common/analytics/rollup';
import { REGION_CODE_LENGTH } from '#common/geo/types';

export interface DateRange {
  /** 'YYYY-MM-DD', CST, inclusive. */
  from: string;
  to: string;
}

/** The dates of a period holding `now` (custom: the given range, swapped when reversed). */
/** The custom range a leader starts from: the 30 days to today, today on the Chengdu calendar (before 08:00 the UTC date is still yesterday's). */
export function defaultCustom(now: number): DateRange {
  const today = cstDay(now);
  return { from: dayLabel(today - 29), to: dayLabel(today) };
}

export function rangeOf(kind: PeriodKind, now: number, custom: DateRange): DateRange {
  if (kind === 'custom') return custom.from <= custom.to ? custom : { from: custom.to, to: custom.from };
  const r = periodRange(kind, now);
  return { from: dayLabel(r.from), to: dayLabel(r.to - 1) };
}

/** One step of the drill path: a region, or a grid's workers (street → community → grid → worker). */
export interface DrillStep {
  regionId: string;
  name: string;
}

/** How the ranking under the current step is grouped: a region's children, or a grid's workers. */
export function groupOfStep(regionId: string): 'region' | 'worker' {
  return regionId.length >= REGION_CODE_LENGTH.grid ? 'worker' : 'region';
}

/** Drill into `step` (from the ranking), or back to the path's `index`-th step (breadcrumb). */
export function drillTo(path: readonly DrillStep[], step: DrillStep): DrillStep[] {
  const at = path.findIndex((s) => s.regionId === step.regionId);
  return at >= 0 ? path.slice(0, at + 1) : [...path, step];
}
export function drillBack(path: readonly DrillStep[], index: number): DrillStep[] {
  return path.slice(0, Math.max(1, index + 1));
}

/** Indicators where less is better (ranked ascending). */
const LOWER_IS_BETTER = new Set<IndicatorName>(['reworkRate', 'extensionRate', 'overdue', 'meanCloseMinutes', 'p90CloseMinutes']);

/** Items ranked best first by an indicator; nulls (nothing due) last. */
export function rankBy(items: readonly AnalyticsItem[], by: IndicatorName): AnalyticsItem[] {
  const sign = LOWER_IS_BETTER.has(by) ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = a[by];
    const y = b[by];
    if (x === null && y === null) return a.key < b.key ? -1 : 1;
    if (x === null) return 1;
    if (y === null) return -1;
    return sign * (x - y) || (a.key < b.key ? -1 : 1);
  });
}

/** The console queue pre-filtered to the cases behind a number (the query /console reads). */
export interface ConsoleFilter {
  regionId?: string;
  assigneeId?: string;
  category?: string;
  source?: string;
  tab?: 'overdue' | 'inHand' | 'toCheck' | 'intake' | 'toDispatch';
}
export function consoleQuery(f: ConsoleFilter): Record<string, string> {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (v) q[k] = v;
  return q;
}

/** [date, value] pairs of one indicator per day, for the calendar heat map. */
export function calendarSeries(days: readonly AnalyticsItem[], by: IndicatorName): [string, number][] {
  return days.map((d) => [d.key, d[by] ?? 0]);
}

/** A rate as a percentage with one decimal, '—' for null. */
export function pct(v: number | null): string {
  return percentText(v);
}
/** Change of a rate in percentage points, or of a count; '' when unknown. */
export function delta(v: number | null | undefined, isRate: boolean): string {
  if (v === null || v === undefined) return '';
  const n = isRate ? v * 100 : v;
  if (Math.abs(n) < (isRate ? 0.05 : 0.5)) return '±0';
  return `${n > 0 ? '+' : ''}${isRate ? n.toFixed(1) : Math.round(n)}${isRate ? 'pp' : ''}`;
}
/** Minutes as hours with one decimal. */
export function hours(min: number | null): string {
  return min === null ? '—' : `${(min / 60).toFixed(1)}h`;
}

/** Every day of [from, to] (dates, inclusive) up to `lastDay`, with the items' values where present and zeros elsewhere. */
export function fillDays(items: readonly AnalyticsItem[], from: string, to: string, lastDay: string, empty: (key: string) => AnalyticsItem): AnalyticsItem[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const end = to < lastDay ? to : lastDay;
  const out: AnalyticsItem[] = [];
  for (let d = Date.parse(`${from}T00:00:00Z`); ; d += 86_400_000) {
    const key = new Date(d).toISOString().slice(0, 10);
    if (key > end || out.length > 1200) break;
    out.push(byKey.get(key) ?? empty(key));
  }
  return out;
}

export const RATES: ReadonlySet<IndicatorName> = new Set<IndicatorName>(['closureRate', 'onTimeRate', 'acceptOnTimeRate', 'reworkRate', 'extensionRate', 'satisfactionRate', 'replyRate']);

/** One indicator as the leader view prints it: rates as %, durations in hours, counts whole; '—' when undefined. */
export function showIndicator(k: IndicatorName, v: number | null | undefined): string {
  if (v === undefined || v === null) return '—';
  if (RATES.has(k)) return pct(v);
  if (k === 'meanCloseMinutes' || k === 'p90CloseMinutes') return hours(v);
  return String(Math.round(v));
}

/**
 * SLA deadlines. The clock starts at dispatch (DESIGN "Incident lifecycle"). 24/7
 * categories count wall-clock time; the others count working time of a work calendar
 * in China Standard Time (UTC+8, no DST). All arithmetic is done on a fixed UTC offset
 * from the calendar, never on the machine's time zone. Pure: no clock reads.
 */
import { packageSchedules, workCalendarFrom } from '../calendar/work-calendar.ts';
import type { Category } from './categories.ts';

/** A working period of a working day, local wall time 'HH:MM' (end exclusive). */
export interface WorkPeriod {
  start: string;
  end: string;
}

/** An inclusive range of local dates 'YYYY-MM-DD' that are days off. */
export interface HolidayRange {
  from: string;
  to: string;
  nameZh?: string;
}

export interface WorkCalendar {
  /** Local time minus UTC, in minutes (China Standard Time: 480). */
  utcOffsetMinutes: number;
  /** Regular working weekdays, 0 = Sunday … 6 = Saturday. */
  weekdays: readonly number[];
  /** Working periods of every working day, ascending and non-overlapping. */
  periods: readonly WorkPeriod[];
  /** Days off (public holidays and the weekdays moved by 调休). Wins over `weekdays`. */
  holidays: readonly HolidayRange[];
  /** 调休 make-up working days: weekend dates that are working days. Win over everything. */
  makeUpWorkdays: readonly string[];
  /** Years whose official schedule is in the data; outside them only weekends are days off. */
  years: readonly number[];
}

/**
 * The State Council's schedules (调休 included) come from the chinese-days package for every year it knows
 * (common/calendar/work-calendar.ts); the server adds the years admins enter before the package catches up
 * (server/calendar). A year in neither is never silently treated as a normal year: `years` lists exactly the
 * scheduled years, `unknownYears()` names the ones a deadline crosses, and the server flags such deadlines.
 */
export const DEFAULT_WORK_CALENDAR: WorkCalendar = workCalendarFrom(packageSchedules());

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Give up after this many days without finding enough working time (a broken calendar). */
const MAX_DAYS = 3700;

interface Compiled {
  offsetMs: number;
  weekdays: ReadonlySet<number>;
  periods: readonly (readonly [number, number])[];
  off: ReadonlySet<string>;
  on: ReadonlySet<string>;
}

const compiledCache = new WeakMap<WorkCalendar, Compiled>();

function parseHm(hm: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hm);
  if (!m) throw new RangeError(`bad time of day: ${hm}`);
  return (Number(m[1]) * 60 + Number(m[2])) * MINUTE;
}

function dayKey(localDayStartMs: number): string {
  return new Date(localDayStartMs).toISOString().slice(0, 10);
}

function parseDay(key: string): number {
  const ms = Date.parse(`${key}T00:00:00Z`);
  if (Number.isNaN(ms)) throw new RangeError(`bad date: ${key}`);
  return ms;
}

function compile(cal: WorkCalendar): Compiled {
  const cached = compiledCache.get(cal);
  if (cached) return cached;
  const off = new Set<string>();
  for (const h of cal.holidays) {
    for (let d = parseDay(h.from); d <= parseDay(h.to); d += DAY) off.add(dayKey(d));
  }
  const periods = cal.periods.map((p) => [parseHm(p.start), parseHm(p.end)] as const);
  const compiled: Compiled = {
    offsetMs: cal.utcOffsetMinutes * MINUTE,
    weekdays: new Set(cal.weekdays),
    periods,
    off,
    on: new Set(cal.makeUpWorkdays),
  };
  compiledCache.set(cal, compiled);
  return compiled;
}

function isWorkingLocalDay(c: Compiled, localDayStartMs: number): boolean {
  const key = dayKey(localDayStartMs);
  if (c.on.has(key)) return true;
  if (c.off.has(key)) return false;
  return c.weekdays.has(new Date(localDayStartMs).getUTCDay());
}

/** Whether a local date 'YYYY-MM-DD' is a working day of the calendar. */
export function isWorkingDay(date: string, calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): boolean {
  return isWorkingLocalDay(compile(calendar), parseDay(date));
}

/** Whether the instant falls inside a working period. */
export function isWorkingTime(at: Date, calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): boolean {
  const c = compile(calendar);
  const local = at.getTime() + c.offsetMs;
  const day = Math.floor(local / DAY) * DAY;
  return isWorkingLocalDay(c, day) && c.periods.some(([s, e]) => local >= day + s && local < day + e);
}

/**
 * The instant `ms` of working time after `start`. Time before a period, between periods,
 * and on days off does not count; a deadline that lands exactly on a period's end stays
 * there (17:30, not 09:00 the next day).
 */
export function addWorkingTime(start: Date, ms: number, calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): Date {
  if (ms <= 0) return new Date(start.getTime());
  const c = compile(calendar);
  let remaining = ms;
  let cursor = start.getTime() + c.offsetMs;
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = Math.floor(cursor / DAY) * DAY;
    if (isWorkingLocalDay(c, day)) {
      for (const [ps, pe] of c.periods) {
        const end = day + pe;
        if (cursor >= end) continue;
        const from = Math.max(cursor, day + ps);
        if (remaining <= end - from) return new Date(from + remaining - c.offsetMs);
        remaining -= end - from;
        cursor = end;
      }
    }
    cursor = day + DAY;
  }
  throw new RangeError('work calendar has no working time in the next ten years');
}

/** Working time (ms) between two instants: the overlap of [from, to) with the calendar's working periods. */
export function workingTimeBetween(from: Date, to: Date, calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): number {
  const c = compile(calendar);
  const end = to.getTime() + c.offsetMs;
  let cursor = from.getTime() + c.offsetMs;
  let total = 0;
  for (let i = 0; cursor < end && i < MAX_DAYS; i++) {
    const day = Math.floor(cursor / DAY) * DAY;
    if (isWorkingLocalDay(c, day)) {
      for (const [ps, pe] of c.periods) total += Math.max(0, Math.min(end, day + pe) - Math.max(cursor, day + ps));
    }
    cursor = day + DAY;
  }
  return total;
}

/** SLA deadline of a case of `category` dispatched at `dispatchedAt`. */
export function computeDueAt(
  category: Pick<Category, 'slaHours' | 'workingHours'>,
  dispatchedAt: Date,
  calendar: WorkCalendar = DEFAULT_WORK_CALENDAR,
): Date {
  const ms = Math.round(category.slaHours * HOUR);
  return category.workingHours
    ? addWorkingTime(dispatchedAt, ms, calendar)
    : new Date(dispatchedAt.getTime() + ms);
}

function toMs(d: Date | string): number {
  const ms = typeof d === 'string' ? Date.parse(d) : d.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`bad date: ${String(d)}`);
  return ms;
}

/** Wall-clock milliseconds left until `dueAt`; negative once overdue. */
export function remainingMs(dueAt: Date | string, now: Date): number {
  return toMs(dueAt) - now.getTime();
}

/** True strictly after the deadline (a case finished at its deadline is on time). No deadline: false. */
export function isOverdue(dueAt: Date | string | null, now: Date): boolean {
  return dueAt !== null && remainingMs(dueAt, now) < 0;
}

/**
 * Whether the calendar holds the official holiday schedule for the local year of `at`;
 * when false, deadlines there count weekends only (a server should warn: add the year).
 */
export function calendarCovers(at: Date, calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): boolean {
  const local = new Date(at.getTime() + calendar.utcOffsetMinutes * MINUTE);
  return calendar.years.includes(local.getUTCFullYear());
}

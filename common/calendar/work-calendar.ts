import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { HolidayRange, WorkCalendar, WorkPeriod } from '../incidents/sla.ts';
import type { HolidayDay } from './schema.ts';

/** One year's official exceptions to Mon–Fri, and where they came from. */
export interface YearSchedule {
  year: number;
  /** `package`: chinese-days (the State Council notices as the package ships them); `admin`: entered in the console. */
  source: 'package' | 'admin';
  days: HolidayDay[];
}

type Table = Record<string, string>;
/** chinese-days' value: "English name,中文名,days". */
const zhName = (v: string) => v.split(',')[1] ?? v;

/** Every year chinese-days knows, as schedules (its `holidays` are days off, its `workdays` the 调休 make-up days). */
export function packageSchedules(): YearSchedule[] {
  const data = chineseDays as { holidays: Table; workdays: Table };
  const byYear = new Map<number, HolidayDay[]>();
  const add = (date: string, kind: HolidayDay['kind'], name: string) => {
    const year = Number(date.slice(0, 4));
    (byYear.get(year) ?? byYear.set(year, []).get(year)!).push({ date, kind, name });
  };
  for (const [date, v] of Object.entries(data.holidays)) add(date, 'holiday', zhName(v));
  for (const [date, v] of Object.entries(data.workdays)) add(date, 'workday', zhName(v));
  return [...byYear].sort(([a], [b]) => a - b).map(([year, days]) => ({ year, source: 'package', days: days.sort((a, b) => a.date.localeCompare(b.date)) }));
}

/** The last year chinese-days knows. */
export const PACKAGE_LAST_YEAR = Math.max(...packageSchedules().map((s) => s.year));

/**
 * Merge the package's years with the admin-entered ones. The package wins for a year it knows (an official
 * source over a hand entry); an admin year fills a gap the package has not caught up with yet.
 */
export function mergeSchedules(pkg: readonly YearSchedule[], admin: readonly YearSchedule[]): YearSchedule[] {
  const known = new Set(pkg.map((s) => s.year));
  return [...pkg, ...admin.filter((s) => !known.has(s.year))].sort((a, b) => a.year - b.year);
}

const OFFICE_HOURS: readonly WorkPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

/**
 * The work calendar of the given schedules: government office hours Mon–Fri 09:00–12:00 and 13:30–17:30 in
 * China Standard Time, the schedules' days off and make-up days, and `years` = exactly the years scheduled.
 */
export function workCalendarFrom(schedules: readonly YearSchedule[]): WorkCalendar {
  const holidays: HolidayRange[] = [];
  const makeUpWorkdays: string[] = [];
  for (const s of schedules) {
    for (const d of s.days) {
      if (d.kind === 'holiday') holidays.push({ from: d.date, to: d.date, nameZh: d.name });
      else makeUpWorkdays.push(d.date);
    }
  }
  return { utcOffsetMinutes: 8 * 60, weekdays: [1, 2, 3, 4, 5], periods: OFFICE_HOURS, holidays, makeUpWorkdays, years: schedules.map((s) => s.year) };
}

/** Years of [from, to] (local CST) that the calendar has no official schedule for. */
export function unknownYears(from: Date, to: Date, calendar: WorkCalendar): number[] {
  const year = (d: Date) => new Date(d.getTime() + calendar.utcOffsetMinutes * 60_000).getUTCFullYear();
  const out: number[] = [];
  for (let y = year(from); y <= year(to); y++) if (!calendar.years.includes(y)) out.push(y);
  return out;
}

/**
 * The admins' warning: from December 1 (a month before the year runs out, CST) while next year has no
 * schedule, the year to enter; otherwise null.
 */
export function missingNextYear(now: Date, calendar: WorkCalendar): number | null {
  const local = new Date(now.getTime() + calendar.utcOffsetMinutes * 60_000);
  const next = local.getUTCFullYear() + 1;
  if (calendar.years.includes(next)) return null;
  return local.getUTCMonth() === 11 ? next : null;
}

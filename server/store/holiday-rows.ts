import type { HolidayDay } from '#common/calendar/schema';
import type { YearSchedule } from '#common/calendar/work-calendar';

export interface HolidayRow {
  date: string;
  kind: HolidayDay['kind'];
  name: string;
}

/** Rows ordered by date → one schedule per year. */
export function toYears(rows: readonly HolidayRow[]): YearSchedule[] {
  const byYear = new Map<number, HolidayDay[]>();
  for (const r of rows) {
    const year = Number(r.date.slice(0, 4));
    (byYear.get(year) ?? byYear.set(year, []).get(year)!).push({ date: r.date, kind: r.kind, name: r.name });
  }
  return [...byYear].map(([year, days]) => ({ year, source: 'admin' as const, days }));
}

import { Router } from 'express';
import { holidayYearSchema } from '#common/calendar/schema';
import { mergeSchedules, missingNextYear, packageSchedules, PACKAGE_LAST_YEAR, workCalendarFrom, type YearSchedule } from '#common/calendar/work-calendar';
import type { WorkCalendar } from '#common/incidents/sla';
import { requireRole, userOf } from '../auth/middleware.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';

/** How long a node reuses the admin-entered years before reading them again (another node may have changed them). */
const REFRESH_MS = 60_000;

export interface Calendar {
  /** The work calendar now: chinese-days' years plus the admin-entered ones. */
  current(): WorkCalendar;
  schedules(): YearSchedule[];
  refresh(): Promise<void>;
  routes: Router;
  close(): void;
}

/** The holiday calendar as data: the package's years, the admins' table for the years after, and its API. */
export async function createCalendar(deps: { store: Store; log: Logger; now: () => Date }): Promise<Calendar> {
  const { store, log, now } = deps;
  const pkg = packageSchedules();
  let schedules = pkg;
  let calendar = workCalendarFrom(pkg);

  async function refresh(): Promise<void> {
    schedules = mergeSchedules(pkg, await store.holidays.years());
    calendar = workCalendarFrom(schedules);
  }
  await refresh();
  const timer = setInterval(() => void refresh().catch((err: unknown) => log.error({ err }, 'holiday calendar refresh failed')), REFRESH_MS);
  timer.unref();

  const r = Router();
  r.get('/holidays', (_req, res) => {
    const missing = missingNextYear(now(), calendar);
    const thisYear = new Date(now().getTime() + 8 * 3_600_000).getUTCFullYear();
    res.json({
      packageLastYear: PACKAGE_LAST_YEAR,
      years: schedules.map((s) => ({ year: s.year, source: s.source, holidays: s.days.filter((d) => d.kind === 'holiday').length, workdays: s.days.filter((d) => d.kind === 'workday').length })),
      // From December 1 without next year's schedule: the console warns admins.
      // A year running without a schedule is worse: its deadlines count Mon–Fri as working days (README).
      warning: !calendar.years.includes(thisYear)
        ? { code: 'holiday/year_missing', year: thisYear }
        : missing === null ? null : { code: 'holiday/next_year_missing', year: missing },
    });
  });
  r.get('/holidays/:year', (req, res) => {
    const year = Number(req.params.year);
    const s = schedules.find((x) => x.year === year);
    res.json({ year, source: s?.source ?? null, days: s?.days ?? [] });
  });
  r.put('/holidays/:year', requireRole('admin'), async (req, res) => {
    const year = Number(req.params.year);
    const body = holidayYearSchema.safeParse(req.body);
    const fail = (status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });
    if (!Number.isInteger(year) || year < 2000 || year > 2100) return fail(400, 'holiday/bad_year', 'Year must be 2000–2100.');
    if (!body.success) return fail(400, 'holiday/invalid', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    // The package's years are the official notices as published: an entry cannot replace them.
    if (pkg.some((s) => s.year === year)) return fail(409, 'holiday/package_year', `${year} comes from chinese-days; update the package instead.`);
    const dates = new Set<string>();
    for (const d of body.data.days) {
      const day = new Date(`${d.date}T00:00:00Z`);
      if (!d.date.startsWith(`${year}-`) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== d.date) return fail(400, 'holiday/invalid', `${d.date} is not a date of ${year}.`);
      if (dates.has(d.date)) return fail(400, 'holiday/invalid', `${d.date} is listed twice.`);
      // A make-up working day is a weekend day; a holiday on a weekend changes nothing and is kept only as a name.
      if (d.kind === 'workday' && day.getUTCDay() !== 0 && day.getUTCDay() !== 6) return fail(400, 'holiday/invalid', `${d.date} is a weekday; a make-up working day (调休) is a Saturday or Sunday.`);
      dates.add(d.date);
    }
    await store.holidays.putYear(year, [...body.data.days].sort((a, b) => a.date.localeCompare(b.date)), userOf(req).sub, now());
    await refresh();
    const s = schedules.find((x) => x.year === year)!;
    res.json({ year, source: s.source, days: s.days });
  });

  return { current: () => calendar, schedules: () => schedules, refresh, routes: r, close: () => clearInterval(timer) };
}

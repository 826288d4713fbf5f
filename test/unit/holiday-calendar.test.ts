import { describe, expect, it } from 'vitest';
import { mergeSchedules, missingNextYear, packageSchedules, PACKAGE_LAST_YEAR, unknownYears, workCalendarFrom, type YearSchedule } from '#common/calendar/work-calendar';
import { addWorkingTime, computeDueAt, DEFAULT_WORK_CALENDAR, isWorkingDay, workingTimeBetween } from '#common/incidents/sla';

const HOUR = 3_600_000;
const cst = (s: string) => new Date(`${s}+08:00`);

/** A 2027 schedule as an admin would type it from the State Council notice (hand-made for the test). */
const ADMIN_2027: YearSchedule = {
  year: 2027,
  source: 'admin',
  days: [
    { date: '2027-01-01', kind: 'holiday', name: '元旦' },
    { date: '2027-02-05', kind: 'holiday', name: '春节' },
    { date: '2027-02-08', kind: 'holiday', name: '春节' },
    { date: '2027-02-09', kind: 'holiday', name: '春节' },
    { date: '2027-02-10', kind: 'holiday', name: '春节' },
    { date: '2027-02-11', kind: 'holiday', name: '春节' },
    { date: '2027-02-20', kind: 'workday', name: '春节' },
  ],
};

describe('holiday calendar from chinese-days plus admin-entered years', () => {
  it('takes the package’s years, 调休 included, instead of a hand-written list', () => {
    expect(PACKAGE_LAST_YEAR).toBeGreaterThanOrEqual(2026);
    expect(DEFAULT_WORK_CALENDAR.years).toContain(2026);
    expect(isWorkingDay('2026-10-01')).toBe(false); // 国庆
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday made a working day
    expect(isWorkingDay('2026-02-16')).toBe(false); // 春节, a Monday
    expect(packageSchedules().find((s) => s.year === 2026)!.days).toContainEqual({ date: '2026-01-01', kind: 'holiday', name: '元旦' });
  });

  it('across 2026 → 2027 without a 2027 schedule: says so instead of silently counting 2027-01-01 as a working day', () => {
    const pkgOnly = workCalendarFrom(packageSchedules());
    const start = cst('2026-12-31T16:30:00');
    const due = addWorkingTime(start, 2 * HOUR, pkgOnly);
    expect(unknownYears(start, due, pkgOnly)).toEqual([2027]);
    expect(unknownYears(cst('2026-03-01T10:00:00'), cst('2026-03-02T10:00:00'), pkgOnly)).toEqual([]);
  });

  it('across 2026 → 2027 with the admin-entered 2027 schedule: 元旦 and the weekend are skipped', () => {
    const cal = workCalendarFrom(mergeSchedules(packageSchedules(), [ADMIN_2027]));
    const start = cst('2026-12-31T16:30:00');
    // One hour left on Dec 31 (till 17:30); Jan 1 is 元旦, Jan 2–3 a weekend: the second hour is Mon Jan 4 09:00–10:00.
    expect(addWorkingTime(start, 2 * HOUR, cal)).toEqual(cst('2027-01-04T10:00:00'));
    expect(unknownYears(start, cst('2027-01-04T10:00:00'), cal)).toEqual([]);
    expect(workingTimeBetween(cst('2026-12-31T09:00:00'), cst('2027-01-05T09:00:00'), cal)).toBe(2 * 7 * HOUR);
    // 春节: Feb 8–11 off; Saturday Feb 20 is a make-up working day.
    expect(isWorkingDay('2027-02-08', cal)).toBe(false);
    expect(isWorkingDay('2027-02-20', cal)).toBe(true);
    expect(isWorkingDay('2027-02-12', cal)).toBe(true);
    // A 3-working-day SLA dispatched Friday Feb 19 17:00: 0.5 h Fri, 7 h Sat (make-up), 7 h Mon, then 6.5 h Tue: 09:00–12:00 and 13:30–17:00.
    expect(computeDueAt({ slaHours: 21, workingHours: true }, cst('2027-02-19T17:00:00'), cal)).toEqual(cst('2027-02-23T17:00:00'));
  });

  it('the package wins for a year it knows; an admin year only fills a gap', () => {
    const fake2026: YearSchedule = { year: 2026, source: 'admin', days: [{ date: '2026-03-02', kind: 'holiday', name: '假' }] };
    const merged = mergeSchedules(packageSchedules(), [fake2026, ADMIN_2027]);
    expect(merged.find((s) => s.year === 2026)!.source).toBe('package');
    expect(merged.find((s) => s.year === 2027)!.source).toBe('admin');
    expect(isWorkingDay('2026-03-02', workCalendarFrom(merged))).toBe(true);
  });

  it('warns admins from December 1 (CST) while next year is missing, and not once it is entered', () => {
    const pkgOnly = workCalendarFrom(packageSchedules());
    expect(missingNextYear(cst('2026-11-30T23:59:00'), pkgOnly)).toBeNull();
    expect(missingNextYear(cst('2026-12-01T00:00:00'), pkgOnly)).toBe(2027);
    expect(missingNextYear(cst('2026-12-01T00:00:00'), workCalendarFrom(mergeSchedules(packageSchedules(), [ADMIN_2027])))).toBeNull();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { CATEGORIES, categoryByCode } from '#common/incidents/categories';
import type { Category } from '#common/incidents/categories';
import {
  addWorkingTime,
  calendarCovers,
  computeDueAt,
  DEFAULT_WORK_CALENDAR,
  isOverdue,
  isWorkingDay,
  isWorkingTime,
  remainingMs,
} from '#common/incidents/sla';
import type { WorkCalendar } from '#common/incidents/sla';

/** An instant given as China Standard Time wall time. */
const cst = (local: string): Date => new Date(`${local}+08:00`);
const cat = (code: string): Category => {
  const c = categoryByCode(code);
  if (!c) throw new Error(code);
  return c;
};
const HOUR = 3_600_000;

describe('computeDueAt, working-hour categories (hand-computed)', () => {
  const cases: [string, string, string, string][] = [
    // [what, category, dispatched (CST), due (CST)]
    ['same morning', 'road_cleaning', '2026-03-02T09:00', '2026-03-02T11:00'],
    ['across lunch: 3 h morning + 1 h afternoon', 'garbage_exposed', '2026-03-02T09:00', '2026-03-02T14:30'],
    ['across lunch from 11:00', 'road_cleaning', '2026-03-02T11:00', '2026-03-02T14:30'],
    ['dispatched during lunch: clock starts 13:30', 'road_cleaning', '2026-03-02T12:30', '2026-03-02T15:30'],
    ['dispatched before office hours', 'road_cleaning', '2026-03-02T07:15', '2026-03-02T11:00'],
    ['ends exactly at 17:30 stays on that day', 'road_cleaning', '2026-03-02T15:30', '2026-03-02T17:30'],
    ['dispatched at 17:30 → next morning', 'road_cleaning', '2026-03-02T17:30', '2026-03-03T11:00'],
    ['across a weekend, ends exactly at 12:00 Monday', 'garbage_exposed', '2026-03-06T16:30', '2026-03-09T12:00'],
    ['Friday evening → Monday', 'road_cleaning', '2026-03-06T18:00', '2026-03-09T11:00'],
    ['dispatched on a Saturday', 'road_cleaning', '2026-03-07T10:00', '2026-03-09T11:00'],
    ['one working day (7 h) over a night', 'garbage_accumulated', '2026-03-02T14:00', '2026-03-03T14:00'],
    // 劳动节 2026-05-01 (Fri) … 05-05 (Tue): 1.5 h Thursday, 2.5 h on Wednesday 05-06
    ['across the Labour Day holiday', 'garbage_exposed', '2026-04-30T16:00', '2026-05-06T11:30'],
    // 05-09 (Sat) is a 调休 working day: 0.5 h Friday, 3 h + 0.5 h on Saturday
    ['make-up Saturday 2026-05-09', 'garbage_exposed', '2026-05-08T17:00', '2026-05-09T14:00'],
    // 元旦: 01-01, 01-02 off (Thu, Fri), 01-03 Sat off, 01-04 (Sun) a make-up working day
    ['New Year into the make-up Sunday', 'road_cleaning', '2025-12-31T17:00', '2026-01-04T10:30'],
    ['dispatched on a holiday Saturday', 'road_cleaning', '2026-01-03T10:00', '2026-01-04T11:00'],
    // Spring Festival 02-15 … 02-23 off; 02-14 (Sat) working: 1.5 h there, 5.5 h on Tue 02-24
    ['Spring Festival from the make-up Saturday', 'garbage_accumulated', '2026-02-14T16:00', '2026-02-24T16:00'],
    // 2025 National Day + Mid-Autumn 10-01 … 10-08: 1 h Tue 09-30, 3 h Thu 10-09
    ['National Day 2025 (eight days off)', 'garbage_exposed', '2025-09-30T16:30', '2025-10-09T12:00'],
    // two working days (14 h) over 国庆 2026 (10-01 … 10-07), 09-30 Wed 4 h, 10-08 Thu 7 h, 10-09 Fri 3 h
    ['streetlight over National Day 2026', 'streetlight_out', '2026-09-30T13:30', '2026-10-09T12:00'],
  ];
  for (const [what, code, at, due] of cases) {
    it(`${what}: ${code} ${at} → ${due}`, () => {
      expect(computeDueAt(cat(code), cst(`${at}:00`)).toISOString()).toBe(cst(`${due}:00`).toISOString());
    });
  }
});

describe('computeDueAt, 24/7 categories', () => {
  it('adds wall-clock time over nights, weekends and holidays', () => {
    expect(computeDueAt(cat('fire'), cst('2026-03-07T23:50:00')).toISOString()).toBe(cst('2026-03-08T00:05:00').toISOString());
    expect(computeDueAt(cat('elevator'), cst('2026-02-17T03:10:00')).toISOString()).toBe(cst('2026-02-17T03:40:00').toISOString());
    expect(computeDueAt(cat('manhole_cover'), cst('2026-10-01T22:00:00')).toISOString()).toBe(cst('2026-10-02T00:00:00').toISOString());
    expect(computeDueAt(cat('safety_hazard'), cst('2026-05-01T12:00:00')).toISOString()).toBe(cst('2026-05-02T12:00:00').toISOString());
  });

  it('every category yields a deadline after dispatch', () => {
    const at = cst('2026-06-18T17:00:00');
    for (const c of CATEGORIES) {
      const due = computeDueAt(c, at).getTime();
      expect(due).toBeGreaterThan(at.getTime());
      if (!c.workingHours) expect(due - at.getTime()).toBe(c.slaHours * HOUR);
    }
  });
});

describe('time zone independence', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Chatham']) {
    it(`same deadline with TZ=${tz}`, () => {
      process.env.TZ = tz;
      expect(computeDueAt(cat('garbage_exposed'), cst('2026-03-06T16:30:00')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
      expect(isWorkingDay('2026-02-14')).toBe(true);
      expect(isWorkingTime(cst('2026-03-02T23:30:00'))).toBe(false);
    });
  }
});

describe('calendar queries', () => {
  it('knows working days, holidays and make-up days', () => {
    expect(isWorkingDay('2026-03-02')).toBe(true); // Monday
    expect(isWorkingDay('2026-03-07')).toBe(false); // Saturday
    expect(isWorkingDay('2026-02-16')).toBe(false); // Spring Festival (Monday)
    expect(isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
    expect(isWorkingDay('2026-09-20')).toBe(true); // make-up Sunday
    expect(isWorkingDay('2026-10-07')).toBe(false); // National Day (Wednesday)
    expect(isWorkingDay('2026-10-08')).toBe(true);
    expect(isWorkingDay('2026-06-19')).toBe(false); // Dragon Boat (Friday)
  });

  it('knows working time', () => {
    expect(isWorkingTime(cst('2026-03-02T09:00:00'))).toBe(true);
    expect(isWorkingTime(cst('2026-03-02T11:59:59'))).toBe(true);
    expect(isWorkingTime(cst('2026-03-02T12:00:00'))).toBe(false);
    expect(isWorkingTime(cst('2026-03-02T13:29:00'))).toBe(false);
    expect(isWorkingTime(cst('2026-03-02T17:29:00'))).toBe(true);
    expect(isWorkingTime(cst('2026-03-02T17:30:00'))).toBe(false);
    expect(isWorkingTime(cst('2026-05-09T10:00:00'))).toBe(true);
  });

  it('says which years it covers', () => {
    expect(calendarCovers(cst('2026-12-31T23:59:00'))).toBe(true);
    expect(calendarCovers(cst('2027-01-01T00:30:00'))).toBe(false); // still 2026 in UTC
    expect(calendarCovers(cst('2025-01-01T00:00:00'))).toBe(true);
  });

  it('works with a custom calendar and refuses one without working time', () => {
    const cal: WorkCalendar = {
      ...DEFAULT_WORK_CALENDAR,
      periods: [{ start: '08:00', end: '12:00' }, { start: '14:00', end: '18:00' }],
      holidays: [{ from: '2026-03-03', to: '2026-03-03' }],
      makeUpWorkdays: [],
    };
    // Mon 17:00 → 1 h Monday, Tuesday off, Wednesday 08:00 + 3 h
    expect(addWorkingTime(cst('2026-03-02T17:00:00'), 4 * HOUR, cal).toISOString()).toBe(cst('2026-03-04T11:00:00').toISOString());
    const never: WorkCalendar = { ...DEFAULT_WORK_CALENDAR, weekdays: [], makeUpWorkdays: [] };
    expect(() => addWorkingTime(cst('2026-03-02T09:00:00'), HOUR, never)).toThrow(RangeError);
    expect(addWorkingTime(cst('2026-03-07T10:00:00'), 0).toISOString()).toBe(cst('2026-03-07T10:00:00').toISOString());
  });
});

describe('remainingMs and isOverdue', () => {
  const due = cst('2026-03-02T14:30:00');
  it('counts down in wall-clock time, negative once overdue', () => {
    expect(remainingMs(due, cst('2026-03-02T14:00:00'))).toBe(30 * 60_000);
    expect(remainingMs(due.toISOString(), cst('2026-03-02T15:00:00'))).toBe(-30 * 60_000);
  });
  it('is overdue strictly after the deadline', () => {
    expect(isOverdue(due, due)).toBe(false);
    expect(isOverdue(due, new Date(due.getTime() + 1))).toBe(true);
    expect(isOverdue(due.toISOString(), new Date(due.getTime() - 1))).toBe(false);
    expect(isOverdue(null, due)).toBe(false);
    expect(() => isOverdue('not a date', due)).toThrow(RangeError);
  });
});

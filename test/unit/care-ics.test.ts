import { describe, expect, it } from 'vitest';
import type { Activity } from '../../common/care/types.ts';
import { activitiesToIcs, occurrences, parseIcs } from '../../server/care/ics.ts';

const activity: Activity = {
  id: 'A1', regionId: '510108001001', title: '书画班', kind: 'calligraphy', venue: { poiId: '510108001001008-community_service_centre-01', name: '双林社区党群服务中心' },
  organiserPartyId: 'PTY-1', targetGroups: ['elderly'], capacity: 30, start: '2026-03-03T07:00:00+08:00', durationMinutes: 90,
  rrule: 'FREQ=WEEKLY;BYDAY=TU;COUNT=10', exdates: ['2026-03-17T07:00:00+08:00'], description: '每周二上午', uid: 'act-A1@gridops', synthetic: false,
};
const all = [new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')] as const;

describe('iCalendar', () => {
  it('expands a weekly RRULE on CST days and leaves out the EXDATE', () => {
    const occ = occurrences(activity, ...all);
    expect(occ).toHaveLength(9);
    expect(occ[0]).toBe('2026-03-02T23:00:00.000Z'); // Tuesday 07:00 CST is Monday in UTC
    expect(occ).not.toContain('2026-03-16T23:00:00.000Z');
    expect(occ.at(-1)).toBe('2026-05-04T23:00:00.000Z');
  });

  it('round trip of a recurring activity with an exception date keeps every occurrence', () => {
    const ics = activitiesToIcs([activity]);
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics).toMatch(/RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU/);
    expect(ics).toMatch(/EXDATE;TZID=Asia\/Shanghai:20260317T070000/);
    const { events, errors } = parseIcs(ics);
    expect(errors).toEqual([]);
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e).toMatchObject({ uid: 'act-A1@gridops', title: '书画班', durationMinutes: 90, venueName: '双林社区党群服务中心', kind: 'calligraphy', capacity: 30, targetGroups: ['elderly'], organiserPartyId: 'PTY-1', description: '每周二上午' });
    const back = { start: e.start, rrule: e.rrule, exdates: e.exdates };
    expect(occurrences(back, ...all)).toEqual(occurrences(activity, ...all));
  });

  it('reads a calendar from elsewhere: TZID without VTIMEZONE as CST, bad events reported by position', () => {
    const ics = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//x//y//EN',
      'BEGIN:VEVENT', 'UID:u1', 'SUMMARY:广场舞', 'DTSTART;TZID=Asia/Shanghai:20260601T193000', 'DTEND;TZID=Asia/Shanghai:20260601T203000',
      'RRULE:FREQ=DAILY;COUNT=3', 'EXDATE;TZID=Asia/Shanghai:20260602T193000', 'END:VEVENT',
      'BEGIN:VEVENT', 'SUMMARY:no uid', 'DTSTART:20260601T010000Z', 'END:VEVENT',
      'END:VCALENDAR', '',
    ].join('\r\n');
    const { events, errors } = parseIcs(ics);
    expect(events.map((e) => e.start)).toEqual(['2026-06-01T11:30:00.000Z']);
    expect(occurrences(events[0]!, ...all)).toEqual(['2026-06-01T11:30:00.000Z', '2026-06-03T11:30:00.000Z']);
    expect(errors).toEqual([{ event: 2, uid: null, reason: 'UID missing' }]);
    expect(parseIcs('hello').errors[0]!.event).toBe(0);
  });
});

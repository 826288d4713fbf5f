import { readFileSync } from 'node:fs';
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

  describe('a calendar export with changed occurrences (RECURRENCE-ID)', () => {
    // A weekly Tuesday 15:00 choir (8 Tuesdays to 26 May) as a calendar app exports it: 5 May off (EXDATE),
    // 14 April moved to Thursday 16 April 19:00 elsewhere (its VEVENT before the series'), 28 April cancelled.
    const ics = readFileSync(new URL('../fixtures/care/choir-weekly-exceptions.ics', import.meta.url), 'utf8');
    const expected = ['2026-04-07T07:00:00.000Z', '2026-04-16T11:00:00.000Z', '2026-04-21T07:00:00.000Z', '2026-05-12T07:00:00.000Z', '2026-05-19T07:00:00.000Z', '2026-05-26T07:00:00.000Z'];

    it('imports them as overrides of the series, the cancelled one as an exception date, with no errors', () => {
      const { events, errors } = parseIcs(ics);
      expect(errors).toEqual([]);
      expect(events).toHaveLength(1);
      const e = events[0]!;
      expect(e).toMatchObject({ uid: '5k2v0q9t8hq3m1c7e4b6a2d0f9@google.com', title: '社区合唱团排练', durationMinutes: 90, venueName: '双林社区文化活动室' });
      expect(e.description).toContain('《我和我的祖国》《茉莉花》');
      expect(e.exdates).toEqual(['2026-04-28T07:00:00.000Z', '2026-05-05T07:00:00.000Z']);
      expect(e.overrides).toEqual([
        { recurrenceId: '2026-04-14T07:00:00.000Z', start: '2026-04-16T11:00:00.000Z', durationMinutes: 90, title: '社区合唱团排练（改期至周四晚）', venueName: '双林社区党群服务中心' },
      ]);
      expect(occurrences(e, ...all)).toEqual(expected);
      // A window holding only the moved occurrence's new day finds it; its old day is empty.
      expect(occurrences(e, new Date('2026-04-16T00:00:00Z'), new Date('2026-04-17T00:00:00Z'))).toEqual(['2026-04-16T11:00:00.000Z']);
      expect(occurrences(e, new Date('2026-04-14T00:00:00Z'), new Date('2026-04-15T00:00:00Z'))).toEqual([]);
    });

    it('exports them again and a round trip keeps every occurrence', () => {
      const e = parseIcs(ics).events[0]!;
      const a: Activity = { ...activity, uid: e.uid, title: e.title, start: e.start, durationMinutes: e.durationMinutes, rrule: e.rrule, exdates: e.exdates, overrides: e.overrides, venue: { poiId: null, name: e.venueName } };
      const out = activitiesToIcs([a]);
      expect(out).toMatch(/RECURRENCE-ID;TZID=Asia\/Shanghai:20260414T150000/);
      const back = parseIcs(out);
      expect(back.errors).toEqual([]);
      expect(back.events[0]!.overrides).toEqual(e.overrides);
      expect(occurrences(back.events[0]!, ...all)).toEqual(expected);
    });

    it('reports a changed occurrence it cannot place, by position', () => {
      const orphan = ics.replace(/UID:5k2v0q9t8hq3m1c7e4b6a2d0f9@google.com\r\nRECURRENCE-ID;TZID=Asia\/Shanghai:20260414T150000/, 'UID:other@google.com\r\nRECURRENCE-ID;TZID=Asia/Shanghai:20260414T150000');
      expect(parseIcs(orphan).errors).toEqual([{ event: 1, uid: 'other@google.com', reason: expect.stringContaining('not in this file') }]);
      const offSeries = ics.replace('RECURRENCE-ID;TZID=Asia/Shanghai:20260414T150000', 'RECURRENCE-ID;TZID=Asia/Shanghai:20260415T150000');
      const r = parseIcs(offSeries);
      expect(r.errors).toEqual([{ event: 1, uid: '5k2v0q9t8hq3m1c7e4b6a2d0f9@google.com', reason: expect.stringContaining('not an occurrence') }]);
      expect(occurrences(r.events[0]!, ...all)).toHaveLength(6); // the series stands; 14 April kept at its own time
    });
  });
});

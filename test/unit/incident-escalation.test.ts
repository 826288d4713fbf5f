import { describe, expect, it } from 'vitest';
import { absorbInto, splitOff } from '#common/incidents/case-ops';
import { applyEscalation, dueEscalation } from '#common/incidents/escalation';
import { applyAction } from '#common/incidents/lifecycle';
import { mergeSchedules, packageSchedules, PACKAGE_LAST_YEAR, workCalendarFrom } from '#common/calendar/work-calendar';
import { DEFAULT_WORK_CALENDAR, workingTimeBetween, type WorkCalendar } from '#common/incidents/sla';
import type { Incident, SlaStage } from '#common/incidents/types';

const cst = (local: string): Date => new Date(`${local}+08:00`);
const HOUR = 3_600_000;

function incident(over: Partial<Incident> = {}): Incident {
  return Object.freeze({
    id: 'INC-1', source: 'patrol', connectorId: 'sim', externalId: null, category: 'garbage_exposed', severity: 'low',
    title: '路边垃圾', description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: null, status: 'filed',
    reportedAt: '2026-03-06T00:00:00.000Z', updatedAt: '2026-03-06T00:00:00.000Z', dueAt: null, assigneeId: null, reportCount: 1,
    version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, ...over,
  } satisfies Incident);
}

/** Dispatch at `at` through the real rules, so dueAt comes from the category's SLA and the calendar. */
function dispatched(at: Date, category = 'garbage_exposed', calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): Incident {
  const r = applyAction(incident({ category }), 'dispatch', { id: 'd1', role: 'dispatcher' }, { assigneeId: 'w1' }, at, { calendar });
  if (!r.ok) throw new Error(r.error.message);
  return r.incident;
}

/** Walk the ladder minute by minute from `from` to `to`, applying each step when due: when each was applied. */
function walk(start: Incident, from: Date, to: Date, calendar: WorkCalendar = DEFAULT_WORK_CALENDAR): [SlaStage, string][] {
  let inc = start;
  const got: [SlaStage, string][] = [];
  for (let t = from.getTime(); t <= to.getTime(); t += 60_000) {
    const stage = dueEscalation(inc, new Date(t), calendar);
    if (!stage) continue;
    inc = applyEscalation(inc, stage, new Date(t)).incident;
    got.push([stage, new Date(t).toISOString()]);
  }
  return got;
}

describe('SLA escalation ladder', () => {
  it('a 4-working-hour case dispatched on a Friday afternoon: reminded and warned on Friday, overdue on Monday morning', () => {
    // Fri 2026-03-06 14:00: 3.5 h left on Friday (until 17:30), the last 0.5 h on Monday → due Mon 09:30.
    const inc = dispatched(cst('2026-03-06T14:00:00'));
    expect(inc.dueAt).toBe(cst('2026-03-09T09:30:00').toISOString());
    expect(walk(inc, cst('2026-03-06T14:00:00'), cst('2026-03-09T12:00:00'))).toEqual([
      ['reminded', cst('2026-03-06T16:00:00').toISOString()], // 2 of 4 working hours
      ['warned', cst('2026-03-06T17:12:00').toISOString()], // 3.2 of 4
      ['overdue', cst('2026-03-09T09:31:00').toISOString()], // first minute strictly after the deadline
    ]);
    // Nothing happens over the weekend: Saturday noon the warned case is still only warned.
    expect(dueEscalation({ ...inc, slaStage: 'warned' }, cst('2026-03-07T12:00:00'), DEFAULT_WORK_CALENDAR)).toBeNull();
  });

  it('counts a public holiday as time off (中秋 2026-09-25, a Friday)', () => {
    // Thu 2026-09-24 16:00: 1.5 h on Thursday, Fri–Sun off, the remaining 2.5 h Monday 09:00–11:30.
    const inc = dispatched(cst('2026-09-24T16:00:00'));
    expect(inc.dueAt).toBe(cst('2026-09-28T11:30:00').toISOString());
    expect(walk(inc, cst('2026-09-24T16:00:00'), cst('2026-09-28T12:00:00'))).toEqual([
      ['reminded', cst('2026-09-28T09:30:00').toISOString()],
      ['warned', cst('2026-09-28T10:42:00').toISOString()],
      ['overdue', cst('2026-09-28T11:31:00').toISOString()],
    ]);
  });

  it('24/7 categories climb in wall-clock time (fire: 15 minutes)', () => {
    const inc = dispatched(cst('2026-03-07T23:00:00'), 'fire'); // a Saturday night
    expect(walk(inc, cst('2026-03-07T23:00:00'), cst('2026-03-07T23:30:00'))).toEqual([
      ['reminded', cst('2026-03-07T23:08:00').toISOString()], // 7.5 min: the first whole minute after
      ['warned', cst('2026-03-07T23:12:00').toISOString()],
      ['overdue', cst('2026-03-07T23:16:00').toISOString()],
    ]);
  });

  it('gives only the highest step when several were missed, never a lower one after a higher, and nothing outside running statuses', () => {
    const inc = dispatched(cst('2026-03-06T14:00:00'));
    expect(dueEscalation(inc, cst('2026-03-10T09:00:00'), DEFAULT_WORK_CALENDAR)).toBe('overdue');
    expect(dueEscalation({ ...inc, slaStage: 'overdue' }, cst('2026-03-10T09:00:00'), DEFAULT_WORK_CALENDAR)).toBeNull();
    expect(dueEscalation({ ...inc, slaStage: 'warned' }, cst('2026-03-06T16:30:00'), DEFAULT_WORK_CALENDAR)).toBeNull();
    expect(dueEscalation({ ...inc, status: 'feedback' }, cst('2026-03-10T09:00:00'), DEFAULT_WORK_CALENDAR)).toBeNull();
    expect(dueEscalation({ ...inc, dueAt: null }, cst('2026-03-10T09:00:00'), DEFAULT_WORK_CALENDAR)).toBeNull();
  });

  it('an approved extension is a new deadline: the ladder restarts over the last stretch of the limit before it', () => {
    const inc = { ...dispatched(cst('2026-03-06T14:00:00')), status: 'in_progress' as const, slaStage: null, dueAt: cst('2026-03-11T17:30:00').toISOString() };
    expect(dueEscalation(inc, cst('2026-03-10T09:00:00'), DEFAULT_WORK_CALENDAR)).toBeNull();
    expect(dueEscalation(inc, cst('2026-03-11T15:30:00'), DEFAULT_WORK_CALENDAR)).toBe('reminded'); // 2 working hours left
  });

  it('records the step as the system in history', () => {
    const inc = dispatched(cst('2026-03-06T14:00:00'));
    const { incident: next, event } = applyEscalation(inc, 'reminded', cst('2026-03-06T16:00:00'));
    expect(next.slaStage).toBe('reminded');
    expect(event).toMatchObject({ action: 'escalate', actorId: 'system', actorRole: 'system', slaStage: 'reminded', from: 'dispatched', to: 'dispatched' });
  });

  it('measures working time between two instants', () => {
    expect(workingTimeBetween(cst('2026-03-06T11:00:00'), cst('2026-03-09T10:00:00'))).toBe(1 * HOUR + 4 * HOUR + 1 * HOUR);
    expect(workingTimeBetween(cst('2026-03-07T00:00:00'), cst('2026-03-08T23:00:00'))).toBe(0);
    expect(workingTimeBetween(cst('2026-03-09T10:00:00'), cst('2026-03-06T11:00:00'))).toBe(0);
  });
});

describe('merge and split, the second incident', () => {
  const actor = { id: 'd1', role: 'dispatcher' as const };
  it('the target keeps the reports, the higher severity, and names the absorbed incident', () => {
    const target = incident({ id: 'INC-2', reportCount: 2, severity: 'low', status: 'dispatched' });
    const absorbed = incident({ id: 'INC-3', reportCount: 3, severity: 'high' });
    const r = absorbInto(target, absorbed, actor, '同一事件', cst('2026-03-06T10:00:00'));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.incident).toMatchObject({ reportCount: 5, severity: 'high', status: 'dispatched' });
    expect(r.event).toMatchObject({ action: 'merge', relatedIncidentId: 'INC-3', from: 'dispatched', to: 'dispatched', note: '同一事件' });
    expect(absorbInto(target, target, actor, null, cst('2026-03-06T10:00:00'))).toMatchObject({ ok: false, error: { code: 'incident/bad_target' } });
    expect(absorbInto({ ...target, status: 'closed' }, absorbed, actor, null, cst('2026-03-06T10:00:00'))).toMatchObject({ ok: false });
  });

  it('a split-off report becomes a new reported incident that names where it came from', () => {
    const from = incident({ id: 'INC-2', reportCount: 2, severity: 'medium', status: 'dispatched', assigneeId: 'w1' });
    const report = {
      id: '17', incidentId: 'INC-2', connectorId: 'hotline', externalId: 'HL-1', source: 'hotline' as const, category: 'noise',
      title: '噪声', location: { lng: 104.2, lat: 30.6 }, reportedAt: '2026-03-06T01:00:00.000Z', receivedAt: '2026-03-06T01:00:01.000Z',
    };
    const { incident: made, event } = splitOff(from, report, 'INC-9', '510108001001001', actor, '误合并', cst('2026-03-06T10:00:00'));
    expect(made).toMatchObject({
      id: 'INC-9', status: 'reported', connectorId: 'hotline', externalId: 'HL-1', category: 'noise', title: '噪声', gridId: '510108001001001',
      assigneeId: null, dueAt: null, reportCount: 1, version: 1, severity: 'medium',
    });
    expect(event).toMatchObject({ incidentId: 'INC-9', action: 'split', relatedIncidentId: 'INC-2', reportId: '17' });
  });

  it('climbs in the calendar it is given: an admin-entered holiday is not working time on the ladder', () => {
    // A year the package does not know yet; its first Monday of March, and the Tuesday after made a holiday.
    const year = PACKAGE_LAST_YEAR + 1;
    const d = new Date(Date.UTC(year, 2, 1));
    while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
    const day = (offset: number) => new Date(d.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
    const admin = workCalendarFrom(mergeSchedules(packageSchedules(), [{ year, source: 'admin', days: [{ date: day(1), kind: 'holiday', name: '测试' }] }]));
    // 4 working hours from Monday 15:00: 2.5 h that day, 1.5 h on Wednesday.
    const inc = dispatched(cst(`${day(0)}T15:00:00`), 'garbage_exposed', admin);
    expect(inc.dueAt).toBe(cst(`${day(2)}T10:30:00`).toISOString());
    expect(walk(inc, cst(`${day(0)}T15:00:00`), cst(`${day(2)}T10:31:00`), admin)).toEqual([
      ['reminded', cst(`${day(0)}T17:00:00`).toISOString()],
      ['warned', cst(`${day(2)}T09:42:00`).toISOString()], // 3.2 h: Monday's 2.5 h and 42 min on Wednesday
      ['overdue', cst(`${day(2)}T10:31:00`).toISOString()],
    ]);
    // The package alone counts the Tuesday as a working day: the reminder would fall on the holiday.
    expect(walk(inc, cst(`${day(0)}T15:00:00`), cst(`${day(1)}T17:00:00`), DEFAULT_WORK_CALENDAR)).toEqual([['reminded', cst(`${day(1)}T17:00:00`).toISOString()]]);
  });
});

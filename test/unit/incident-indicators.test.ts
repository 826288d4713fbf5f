import { describe, expect, it } from 'vitest';
import type { HistoryEntry, IncidentAction } from '#common/incidents/history';
import { computeIndicators, isIncidentOverdue } from '#common/incidents/indicators';
import type { CaseRecord } from '#common/incidents/indicators';
import { applyAction } from '#common/incidents/lifecycle';
import type { Incident, IncidentStatus } from '#common/incidents/types';

const cst = (local: string): Date => new Date(`${local}+08:00`);
const iso = (local: string): string => cst(local).toISOString();

/** A case with status, deadline and a history of (action, CST time) pairs. */
function rec(id: string, status: IncidentStatus, due: string | null, steps: [IncidentAction, string][] = []): CaseRecord {
  const incident: Incident = {
    id, source: 'patrol', connectorId: 'sim', externalId: null, category: 'garbage_exposed', severity: 'low',
    title: id, description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: null, status,
    reportedAt: iso('2026-02-20T09:00'), updatedAt: iso(steps.at(-1)?.[1] ?? '2026-02-20T09:00'),
    dueAt: due === null ? null : iso(due), assigneeId: 'w1', reportCount: 1,
    version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null,
  };
  const history: HistoryEntry[] = steps.map(([action, at]) => ({
    incidentId: id, at: iso(at), actorId: 'u', actorRole: 'dispatcher', action,
    from: 'dispatched', to: 'dispatched', note: null, assigneeId: 'w1', dueAt: incident.dueAt,
  }));
  return { incident, history };
}

// Week of Mon 2026-03-02 (CST), evaluated on Tue 03-10 at noon.
const WEEK = { from: cst('2026-03-02T00:00'), to: cst('2026-03-09T00:00') };
const NOW = cst('2026-03-10T12:00');

const CASES: CaseRecord[] = [
  // A: resolved before the deadline, checked after it: due, closed, on time
  rec('A', 'closed', '2026-03-03T12:00', [['submit_feedback', '2026-03-03T10:00'], ['check_pass', '2026-03-03T15:00']]),
  // B: resolved after the deadline: due, closed, late
  rec('B', 'closed', '2026-03-04T10:00', [['submit_feedback', '2026-03-04T16:00'], ['check_pass', '2026-03-05T09:00']]),
  // C: still being handled, deadline passed: due, overdue
  rec('C', 'in_progress', '2026-03-05T10:00'),
  // D: closed this week, deadline next week: due (settled by closing), on time
  rec('D', 'closed', '2026-03-12T10:00', [['submit_feedback', '2026-03-06T10:00'], ['check_pass', '2026-03-06T11:00']]),
  // E: reworked once, then closed on time
  rec('E', 'closed', '2026-03-04T17:00', [
    ['submit_feedback', '2026-03-04T10:00'], ['rework', '2026-03-04T11:00'],
    ['submit_feedback', '2026-03-04T15:00'], ['check_pass', '2026-03-04T16:00'],
  ]),
  // F: deadline next week, open: not due, not overdue
  rec('F', 'dispatched', '2026-03-11T10:00'),
  // G: never dispatched: no deadline, never due
  rec('G', 'filed', null),
  // H: deadline last week, still open: not due this week, but overdue now
  rec('H', 'in_progress', '2026-02-27T10:00'),
  // I: deadline this week, closed after the week: due, not closed (in this week)
  rec('I', 'closed', '2026-03-06T10:00', [['submit_feedback', '2026-03-06T09:00'], ['check_pass', '2026-03-09T10:00']]),
  // J: waiting for the check after its deadline: due, not closed, clock stopped (not overdue)
  rec('J', 'feedback', '2026-03-05T10:00', [['submit_feedback', '2026-03-05T09:00']]),
  // K: reworked twice, back with the worker, deadline passed: due, overdue
  rec('K', 'dispatched', '2026-03-03T10:00', [['rework', '2026-03-03T09:00'], ['rework', '2026-03-03T09:30']]),
  // L: rejected: never due
  rec('L', 'rejected', null),
];

describe('computeIndicators', () => {
  it('counts due, closed, on time, rework and overdue (hand-computed)', () => {
    expect(computeIndicators(CASES, WEEK, NOW)).toEqual({
      due: 8, // A B C D E I J K
      closed: 4, // A B D E
      closedOnTime: 3, // A D E
      reworked: 2, // E K
      reworkEvents: 3,
      overdue: 3, // C H K
      closureRate: 0.5,
      onTimeClosureRate: 0.375,
      reworkRate: 0.25,
    });
  });

  it('puts each case into exactly one period', () => {
    const prev = computeIndicators(CASES, { from: cst('2026-02-23T00:00'), to: WEEK.from }, NOW);
    const next = computeIndicators(CASES, { from: WEEK.to, to: cst('2026-03-16T00:00') }, NOW);
    expect(prev.due).toBe(1); // H
    expect(next.due).toBe(0); // F's deadline (03-11) is after NOW
    expect(computeIndicators(CASES, { from: WEEK.to, to: cst('2026-03-16T00:00') }, cst('2026-03-20T00:00')).due).toBe(1);
  });

  it('period is [from, to)', () => {
    const at = (t: string) => [rec('X', 'in_progress', t)];
    expect(computeIndicators(at('2026-03-02T00:00'), WEEK, NOW).due).toBe(1);
    expect(computeIndicators(at('2026-03-09T00:00'), WEEK, NOW).due).toBe(0);
  });

  it('gives null rates when nothing is due', () => {
    expect(computeIndicators([], WEEK, NOW)).toMatchObject({ due: 0, closureRate: null, onTimeClosureRate: null, reworkRate: null });
  });

  it('falls back to updatedAt for closed cases without history', () => {
    const bare = rec('Z', 'closed', '2026-03-04T10:00');
    bare.incident.updatedAt = iso('2026-03-04T09:00');
    expect(computeIndicators([bare], WEEK, NOW)).toMatchObject({ due: 1, closed: 1, closedOnTime: 1 });
  });

  it('works on histories produced by applyAction', () => {
    let inc: Incident = { ...rec('R', 'filed', null).incident, assigneeId: null };
    const history: HistoryEntry[] = [];
    const act = (a: IncidentAction, at: string, input = {}) => {
      const r = applyAction(inc, a, { id: a === 'accept' || a === 'submit_feedback' ? 'w1' : 'd1', role: a === 'accept' || a === 'submit_feedback' ? 'worker' : 'dispatcher' }, input, cst(at));
      if (!r.ok) throw new Error(r.error.code);
      inc = r.incident;
      history.push(r.event);
    };
    act('dispatch', '2026-03-02T09:00', { assigneeId: 'w1' }); // due 14:30
    act('accept', '2026-03-02T09:10');
    act('submit_feedback', '2026-03-02T14:00');
    act('start_check', '2026-03-02T15:00');
    act('rework', '2026-03-02T15:10', { note: '不合格' });
    act('accept', '2026-03-02T15:20');
    act('submit_feedback', '2026-03-02T16:00'); // after 14:30: late
    act('start_check', '2026-03-02T16:10');
    act('check_pass', '2026-03-02T16:20');
    expect(computeIndicators([{ incident: inc, history }], WEEK, NOW)).toMatchObject({
      due: 1, closed: 1, closedOnTime: 0, reworked: 1, reworkEvents: 1, overdue: 0,
    });
  });
});

describe('isIncidentOverdue', () => {
  it('only while the SLA clock runs', () => {
    const due = '2026-03-02T06:30:00.000Z';
    const late = new Date('2026-03-02T06:30:00.001Z');
    for (const s of ['dispatched', 'in_progress'] as const) expect(isIncidentOverdue({ status: s, dueAt: due }, late)).toBe(true);
    for (const s of ['feedback', 'checking', 'closed', 'filed'] as const) expect(isIncidentOverdue({ status: s, dueAt: due }, late)).toBe(false);
    expect(isIncidentOverdue({ status: 'in_progress', dueAt: due }, new Date(due))).toBe(false);
  });
});

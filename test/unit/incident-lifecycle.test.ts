import { describe, expect, it } from 'vitest';
import { ROLES } from '#common/auth/types';
import type { Role } from '#common/auth/types';
import { INCIDENT_ACTIONS } from '#common/incidents/history';
import type { IncidentAction } from '#common/incidents/history';
import { applyAction, availableActions, MAX_NOTE_LENGTH, toOpen311Status } from '#common/incidents/lifecycle';
import type { ActionInput, Actor } from '#common/incidents/lifecycle';
import { INCIDENT_STATUSES } from '#common/incidents/types';
import type { Incident, IncidentStatus } from '#common/incidents/types';

const cst = (local: string): Date => new Date(`${local}+08:00`);
const NOW = cst('2026-03-02T09:00:00'); // Monday

function incident(status: IncidentStatus, over: Partial<Incident> = {}): Incident {
  const inc: Incident = {
    id: 'INC-20260302-000001',
    source: 'patrol',
    connectorId: 'simulator',
    externalId: null,
    category: 'garbage_exposed',
    severity: 'low',
    title: '路边垃圾',
    description: '小区门口有垃圾',
    location: { lng: 104.1, lat: 30.67 },
    address: null,
    gridId: null,
    status,
    reportedAt: '2026-03-02T00:00:00.000Z',
    updatedAt: '2026-03-02T00:00:00.000Z',
    dueAt: null,
    assigneeId: 'w1',
    reportCount: 1,
    version: 1,
    assistingPartyIds: [],
    slaStage: null,
    extension: null,
    mergedInto: null,
    ...over,
  };
  return Object.freeze(inc);
}

const admin: Actor = { id: 'a1', role: 'admin' };
const leader: Actor = { id: 'l1', role: 'leader' };
const dispatcher: Actor = { id: 'd1', role: 'dispatcher' };
const worker: Actor = { id: 'w1', role: 'worker' };
const otherWorker: Actor = { id: 'w2', role: 'worker' };
const wall: Actor = { id: 'wall1', role: 'wall' };

/** Columns of EXPECTED, in order. The incident is assigned to w1. */
const COLUMNS: readonly [string, Actor][] = [
  ['admin', admin],
  ['leader', leader],
  ['dispatcher', dispatcher],
  ['worker (assignee)', worker],
  ['worker (not assignee)', otherWorker],
  ['wall', wall],
];
/** Status order of EXPECTED's cells. */
const STATUS_ORDER: readonly IncidentStatus[] = [
  'reported', 'verifying', 'filed', 'rejected', 'dispatched', 'in_progress', 'feedback', 'checking', 'closed',
];
/** o = allowed, F = incident/forbidden, T = incident/invalid_transition. Written from DESIGN, by hand. */
const EXPECTED: Record<IncidentAction, readonly string[]> = {
  //                 reported  verifying filed     rejected  dispatched in_prog.  feedback  checking  closed
  verify:          ['oooFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF'],
  file:            ['TTTFFF', 'oooFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF'],
  reject:          ['TTTFFF', 'oooFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF'],
  dispatch:        ['TTTFFF', 'TTTFFF', 'oooFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF'],
  return:          ['TTTTFF', 'TTTTFF', 'TTTTFF', 'TTTTFF', 'ooooFF', 'TTTTFF', 'TTTTFF', 'TTTTFF', 'TTTTFF'],
  accept:          ['TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'oFFoFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF'],
  report_progress: ['TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'oFFoFF', 'TFFTFF', 'TFFTFF', 'TFFTFF'],
  submit_feedback: ['TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'oFFoFF', 'TFFTFF', 'TFFTFF', 'TFFTFF'],
  start_check:     ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF', 'TTTFFF', 'TTTFFF'],
  check_pass:      ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF', 'TTTFFF'],
  rework:          ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF', 'TTTFFF'],
  urge:            ['TTTFFF', 'TTTFFF', 'oooFFF', 'TTTFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF'],
  request_extension: ['TFFTFF', 'TFFTFF', 'TFFTFF', 'TFFTFF', 'oFFoFF', 'oFFoFF', 'TFFTFF', 'TFFTFF', 'TFFTFF'],
  approve_extension: ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF', 'oooFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF'],
  refuse_extension:  ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF', 'oooFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF'],
  merge:           ['oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF'],
  split:           ['oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF'],
  acknowledge:     ['oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'oooFFF', 'TTTFFF'],
  // The server's own step (SLA ladder): nobody may ask for it.
  escalate:        ['FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF', 'FFFFFF'],
  // 回访: a closed case's verdict; 不满意 sends it back (发回重办).
  record_verdict:  ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF'],
  revisit_rework:  ['TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'TTTFFF', 'oooFFF'],
};
const PENDING = { requestedBy: 'w1', requestedAt: '2026-03-02T01:00:00.000Z', reason: '材料未到', proposedDueAt: null };
/** What each action needs of the incident beyond its status, so the walk tests roles and statuses. */
const FIXTURE: Partial<Record<IncidentAction, Partial<Incident>>> = {
  approve_extension: { extension: PENDING },
  refuse_extension: { extension: PENDING },
  split: { reportCount: 2 },
};
/** Inputs only some actions take. */
const INPUT_OF: Partial<Record<IncidentAction, ActionInput>> = {
  record_verdict: { verdict: { result: 'basic', channel: 'phone' } },
  revisit_rework: { verdict: { result: 'unsatisfied', channel: 'phone' } },
};
const INPUT = { note: '说明', assigneeId: 'w1', dueAt: '2026-03-10T09:00:00+08:00', targetId: 'INC-20260302-000002', reportId: '7' };
const TO: Record<IncidentAction, IncidentStatus | 'same'> = {
  verify: 'verifying', file: 'filed', reject: 'rejected', dispatch: 'dispatched', return: 'filed',
  accept: 'in_progress', report_progress: 'same', submit_feedback: 'feedback', start_check: 'checking',
  check_pass: 'closed', rework: 'dispatched', urge: 'same', request_extension: 'same', approve_extension: 'same',
  refuse_extension: 'same', merge: 'rejected', split: 'same', acknowledge: 'same', escalate: 'same',
  record_verdict: 'same', revisit_rework: 'dispatched',
};

describe('transition table: every action × status × role', () => {
  it('covers every action, status and role', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...INCIDENT_ACTIONS].sort());
    expect([...STATUS_ORDER].sort()).toEqual([...INCIDENT_STATUSES].sort());
    expect([...new Set(COLUMNS.map(([, a]) => a.role))].sort()).toEqual([...ROLES].sort());
  });

  for (const action of INCIDENT_ACTIONS) {
    STATUS_ORDER.forEach((status, si) => {
      COLUMNS.forEach(([label, actor], ci) => {
        const want = EXPECTED[action][si]?.[ci];
        it(`${action} on ${status} by ${label}: ${want}`, () => {
          const r = applyAction(incident(status, FIXTURE[action]), action, actor, { ...INPUT, ...INPUT_OF[action] }, NOW);
          if (want === 'o') {
            expect(r.ok).toBe(true);
            if (!r.ok) return;
            const to = TO[action] === 'same' ? status : TO[action];
            expect(r.incident.status).toBe(to);
            expect(r.event).toMatchObject({ action, from: status, to, actorId: actor.id, actorRole: actor.role });
          } else {
            expect(r).toMatchObject({
              ok: false,
              error: { code: want === 'F' ? 'incident/forbidden' : 'incident/invalid_transition' },
            });
          }
        });
      });
    });
  }

  it('availableActions agrees with the table', () => {
    STATUS_ORDER.forEach((status, si) => {
      COLUMNS.forEach(([, actor], ci) => {
        for (const a of INCIDENT_ACTIONS) {
          expect(availableActions(incident(status, FIXTURE[a]), actor).includes(a), `${a} ${status} ${actor.id}`).toBe(EXPECTED[a][si]?.[ci] === 'o');
        }
      });
    });
  });
});

const ok = (r: ReturnType<typeof applyAction>) => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r;
};

describe('applyAction effects', () => {
  it('runs the whole case flow and records every change', () => {
    const steps: [IncidentAction, Actor, { note?: string; assigneeId?: string }][] = [
      ['verify', dispatcher, {}],
      ['file', dispatcher, { note: '属实' }],
      ['dispatch', dispatcher, { assigneeId: 'w1' }],
      ['accept', worker, {}],
      ['report_progress', worker, { note: '已到现场' }],
      ['submit_feedback', worker, { note: '已清理' }],
      ['start_check', leader, {}],
      ['rework', dispatcher, { note: '未清理干净' }],
      ['accept', worker, {}],
      ['submit_feedback', worker, {}],
      ['start_check', dispatcher, {}],
      ['check_pass', dispatcher, {}],
    ];
    let inc = incident('reported', { assigneeId: null });
    const history = [];
    for (const [i, [action, actor, input]] of steps.entries()) {
      const at = new Date(NOW.getTime() + i * 60_000);
      const r = ok(applyAction(inc, action, actor, input, at));
      expect(r.incident.updatedAt).toBe(at.toISOString());
      expect(r.event.at).toBe(at.toISOString());
      expect(r.event.note).toBe(input.note ?? null);
      history.push(r.event);
      inc = r.incident;
    }
    expect(inc.status).toBe('closed');
    expect(history.map((e) => `${e.from}>${e.to}`)).toEqual([
      'reported>verifying', 'verifying>filed', 'filed>dispatched', 'dispatched>in_progress',
      'in_progress>in_progress', 'in_progress>feedback', 'feedback>checking', 'checking>dispatched',
      'dispatched>in_progress', 'in_progress>feedback', 'feedback>checking', 'checking>closed',
    ]);
    // dispatched Mon 09:02 + 4 working hours → 14:32 (lunch 12:00–13:30 skipped); rework keeps it
    expect(history[2]?.dueAt).toBe(cst('2026-03-02T14:32:00').toISOString());
    expect(inc.dueAt).toBe(cst('2026-03-02T14:32:00').toISOString());
    expect(inc.assigneeId).toBe('w1');
  });

  it('dispatch needs an assignee', () => {
    for (const assigneeId of [undefined, null, '', '   ']) {
      const r = applyAction(incident('filed', { assigneeId: null }), 'dispatch', dispatcher, { assigneeId }, NOW);
      expect(r).toMatchObject({ ok: false, error: { code: 'incident/assignee_required' } });
    }
  });

  it('24/7 categories get wall-clock deadlines; unknown categories one working day', () => {
    const fire = ok(applyAction(incident('filed', { category: 'fire' }), 'dispatch', dispatcher, { assigneeId: 'w1' }, NOW));
    expect(fire.incident.dueAt).toBe(cst('2026-03-02T09:15:00').toISOString());
    const unknown = ok(applyAction(incident('filed', { category: 'nope' }), 'dispatch', dispatcher, { assigneeId: 'w1' }, NOW));
    expect(unknown.incident.dueAt).toBe(cst('2026-03-02T17:30:00').toISOString());
  });

  it('takes a work calendar option', () => {
    const calendar = { utcOffsetMinutes: 480, weekdays: [1], periods: [{ start: '08:00', end: '10:00' }], holidays: [], makeUpWorkdays: [], years: [] };
    const r = ok(applyAction(incident('filed'), 'dispatch', dispatcher, { assigneeId: 'w1' }, NOW, { calendar }));
    // 4 h: 1 h this Monday (09–10), 2 h next Monday (08–10), the last hour the Monday after → 09:00
    expect(r.incident.dueAt).toBe(cst('2026-03-16T09:00:00').toISOString());
  });

  for (const [action, status] of [['reject', 'verifying'], ['return', 'dispatched'], ['rework', 'checking'], ['report_progress', 'in_progress']] as const) {
    it(`${action} needs a note`, () => {
      for (const note of [undefined, null, '', ' \n ']) {
        const r = applyAction(incident(status), action, admin, { note }, NOW);
        expect(r).toMatchObject({ ok: false, error: { code: 'incident/note_required' } });
      }
    });
  }

  it('trims notes and refuses very long ones', () => {
    expect(ok(applyAction(incident('verifying'), 'reject', dispatcher, { note: '  重复上报 ' }, NOW)).event.note).toBe('重复上报');
    const r = applyAction(incident('verifying'), 'reject', dispatcher, { note: 'x'.repeat(MAX_NOTE_LENGTH + 1) }, NOW);
    expect(r).toMatchObject({ ok: false, error: { code: 'incident/note_too_long' } });
  });

  it('return clears assignee and deadline; the next dispatch starts a fresh clock', () => {
    const dispatched = incident('dispatched', { dueAt: '2026-03-02T06:30:00.000Z' });
    const r = ok(applyAction(dispatched, 'return', worker, { note: '不属于本网格' }, NOW));
    expect(r.incident).toMatchObject({ status: 'filed', assigneeId: null, dueAt: null });
    const later = cst('2026-03-03T09:00:00');
    const again = ok(applyAction(r.incident, 'dispatch', dispatcher, { assigneeId: 'w2' }, later));
    expect(again.incident).toMatchObject({ assigneeId: 'w2', dueAt: cst('2026-03-03T14:30:00').toISOString() });
  });

  it('rework keeps the deadline and may reassign', () => {
    const checking = incident('checking', { dueAt: '2026-03-02T06:30:00.000Z' });
    const same = ok(applyAction(checking, 'rework', dispatcher, { note: '返工' }, cst('2026-03-05T10:00:00')));
    expect(same.incident).toMatchObject({ status: 'dispatched', assigneeId: 'w1', dueAt: '2026-03-02T06:30:00.000Z' });
    const other = ok(applyAction(checking, 'rework', dispatcher, { note: '换人', assigneeId: 'w2' }, NOW));
    expect(other.incident.assigneeId).toBe('w2');
    expect(other.event.assigneeId).toBe('w2');
    const none = applyAction({ ...checking, assigneeId: null }, 'rework', dispatcher, { note: '返工' }, NOW);
    expect(none).toMatchObject({ ok: false, error: { code: 'incident/assignee_required' } });
  });

  it('refuses unknown actions and never mutates its input', () => {
    const inc = incident('reported');
    const r = applyAction(inc, 'close' as IncidentAction, admin, {}, NOW);
    expect(r).toMatchObject({ ok: false, error: { code: 'incident/unknown_action' } });
    ok(applyAction(inc, 'verify', admin, {}, NOW)); // frozen input: a mutation would throw
    expect(inc.status).toBe('reported');
  });

  it('projects onto Open311 open/closed', () => {
    const closed: IncidentStatus[] = ['closed', 'rejected'];
    for (const s of INCIDENT_STATUSES) expect(toOpen311Status(s)).toBe(closed.includes(s) ? 'closed' : 'open');
  });

  it('a wall display never acts', () => {
    const role: Role = 'wall';
    for (const s of INCIDENT_STATUSES) expect(availableActions(incident(s), { id: 'x', role })).toEqual([]);
  });
});

describe('dispatch-era actions: co-dispatch, urge, extension, merge, split, acknowledge', () => {
  it('dispatch records the assisting parties in the incident and the history entry; return clears them; rework may change them', () => {
    const d = ok(applyAction(incident('filed'), 'dispatch', dispatcher, { assigneeId: 'w1', assistingPartyIds: [' PTY-cg ', 'PTY-wy', 'PTY-cg'] }, NOW));
    expect(d.incident.assistingPartyIds).toEqual(['PTY-cg', 'PTY-wy']);
    expect(d.event.assistingPartyIds).toEqual(['PTY-cg', 'PTY-wy']);
    expect(ok(applyAction(d.incident, 'return', worker, { note: '非本网格' }, NOW)).incident.assistingPartyIds).toEqual([]);
    const checking = { ...d.incident, status: 'checking' as const };
    expect(ok(applyAction(checking, 'rework', dispatcher, { note: '返工' }, NOW)).incident.assistingPartyIds).toEqual(['PTY-cg', 'PTY-wy']);
    expect(ok(applyAction(checking, 'rework', dispatcher, { note: '返工', assistingPartyIds: [] }, NOW)).event.assistingPartyIds).toEqual([]);
    const many = Array.from({ length: 11 }, (_, i) => `P${i}`);
    expect(applyAction(incident('filed'), 'dispatch', dispatcher, { assigneeId: 'w1', assistingPartyIds: many }, NOW)).toMatchObject({
      ok: false, error: { code: 'incident/too_many_parties' },
    });
  });

  it('urge needs a note and keeps status, assignee and deadline', () => {
    const inc = incident('in_progress', { dueAt: '2026-03-02T06:30:00.000Z' });
    expect(applyAction(inc, 'urge', leader, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/note_required' } });
    const r = ok(applyAction(inc, 'urge', leader, { note: '请今日办结' }, NOW));
    expect(r.incident).toMatchObject({ status: 'in_progress', assigneeId: 'w1', dueAt: '2026-03-02T06:30:00.000Z' });
    expect(r.event).toMatchObject({ action: 'urge', note: '请今日办结', actorRole: 'leader' });
  });

  it('a worker asks for more time once; a dispatcher approves with a new deadline (the ladder restarts) or refuses', () => {
    const inc = incident('in_progress', { dueAt: '2026-03-02T06:30:00.000Z', slaStage: 'warned' });
    expect(applyAction(inc, 'request_extension', worker, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/note_required' } });
    expect(applyAction(inc, 'request_extension', worker, { note: '等配件', dueAt: '2026-03-01T00:00:00Z' }, NOW)).toMatchObject({
      ok: false, error: { code: 'incident/bad_due_at' },
    });
    const asked = ok(applyAction(inc, 'request_extension', worker, { note: '等配件', dueAt: '2026-03-04T09:00:00+08:00' }, NOW)).incident;
    expect(asked.extension).toEqual({ requestedBy: 'w1', requestedAt: NOW.toISOString(), reason: '等配件', proposedDueAt: '2026-03-04T01:00:00.000Z' });
    expect(applyAction(asked, 'request_extension', worker, { note: '再等' }, NOW)).toMatchObject({ ok: false, error: { code: 'incident/extension_pending' } });
    expect(applyAction(inc, 'approve_extension', dispatcher, { dueAt: '2026-03-04T09:00:00+08:00' }, NOW)).toMatchObject({
      ok: false, error: { code: 'incident/no_extension' },
    });
    expect(applyAction(asked, 'approve_extension', dispatcher, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/due_at_required' } });
    const approved = ok(applyAction(asked, 'approve_extension', leader, { dueAt: '2026-03-05T17:30:00+08:00' }, NOW));
    expect(approved.incident).toMatchObject({ dueAt: '2026-03-05T09:30:00.000Z', extension: null, slaStage: null });
    expect(approved.event.dueAt).toBe('2026-03-05T09:30:00.000Z');
    expect(applyAction(asked, 'refuse_extension', dispatcher, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/note_required' } });
    const refused = ok(applyAction(asked, 'refuse_extension', dispatcher, { note: '不予延期' }, NOW));
    expect(refused.incident).toMatchObject({ dueAt: '2026-03-02T06:30:00.000Z', extension: null, slaStage: 'warned' });
    // A worker who does not hold the case cannot ask.
    expect(applyAction(inc, 'request_extension', otherWorker, { note: 'x' }, NOW)).toMatchObject({ ok: false, error: { code: 'incident/forbidden' } });
  });

  it('merge rejects the absorbed incident and names the target; split needs a report and several reports', () => {
    expect(applyAction(incident('verifying'), 'merge', dispatcher, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/target_required' } });
    const m = ok(applyAction(incident('verifying'), 'merge', dispatcher, { targetId: 'INC-9', note: '重复' }, NOW));
    expect(m.incident).toMatchObject({ status: 'rejected', mergedInto: 'INC-9' });
    expect(m.event).toMatchObject({ action: 'merge', relatedIncidentId: 'INC-9', from: 'verifying', to: 'rejected' });
    expect(applyAction(incident('filed'), 'split', dispatcher, { reportId: '3' }, NOW)).toMatchObject({ ok: false, error: { code: 'incident/single_report' } });
    expect(applyAction(incident('filed', { reportCount: 3 }), 'split', dispatcher, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/report_required' } });
    const s = ok(applyAction(incident('filed', { reportCount: 3 }), 'split', dispatcher, { reportId: '3' }, NOW));
    expect(s.incident.reportCount).toBe(2);
    expect(s.event).toMatchObject({ action: 'split', reportId: '3', from: 'filed', to: 'filed' });
  });

  it('acknowledge records who saw the alert and when, and changes nothing else', () => {
    const inc = incident('reported');
    const r = ok(applyAction(inc, 'acknowledge', dispatcher, {}, NOW));
    expect(r.incident).toEqual({ ...inc, updatedAt: NOW.toISOString() });
    expect(r.event).toMatchObject({ action: 'acknowledge', actorId: 'd1', at: NOW.toISOString() });
  });
});

describe('回访: the verdict decides between record_verdict and revisit_rework', () => {
  const admin: Actor = { id: 'a1', role: 'admin' };
  const closed = () => incident('closed', { assigneeId: 'w1', dueAt: '2026-03-03T09:00:00.000Z' });
  it('records 满意 and 基本满意 on the closed case and in its history', () => {
    const r = applyAction(closed(), 'record_verdict', admin, { verdict: { result: 'satisfied', channel: 'hotline' } }, NOW);
    expect(r.ok && r.incident.status).toBe('closed');
    expect(r.ok && r.incident.verdict).toEqual({ result: 'satisfied', channel: 'hotline', at: NOW.toISOString() });
    expect(r.ok && r.event.verdict?.result).toBe('satisfied');
  });
  it('不满意 sends the case back to its assignee with the deadline of its dispatch (发回重办)', () => {
    const r = applyAction(closed(), 'revisit_rework', admin, { verdict: { result: 'unsatisfied', channel: 'open311' } }, NOW);
    expect(r.ok && [r.incident.status, r.incident.assigneeId, r.incident.dueAt]).toEqual(['dispatched', 'w1', '2026-03-03T09:00:00.000Z']);
    expect(r.ok && r.event).toMatchObject({ from: 'closed', to: 'dispatched', verdict: { result: 'unsatisfied', channel: 'open311' } });
  });
  it('refuses a verdict that does not fit the action, or none', () => {
    expect(applyAction(closed(), 'record_verdict', admin, { verdict: { result: 'unsatisfied', channel: 'phone' } }, NOW)).toMatchObject({ ok: false, error: { code: 'incident/verdict_required' } });
    expect(applyAction(closed(), 'revisit_rework', admin, { verdict: { result: 'basic', channel: 'phone' } }, NOW)).toMatchObject({ ok: false, error: { code: 'incident/verdict_required' } });
    expect(applyAction(closed(), 'record_verdict', admin, {}, NOW)).toMatchObject({ ok: false, error: { code: 'incident/verdict_required' } });
  });
});

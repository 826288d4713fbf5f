import { describe, expect, it } from 'vitest';
import type { Incident, IncidentStatus } from '#common/incidents/types';
import { foldAt, kpisAt, openAt, type ReplayChange } from '#common/replay/fold';
import { buildTimeline, CHECKPOINT_EVERY, frameAt, stateAt } from '../../client/stores/replay-reducer';

const T0 = Date.parse('2026-11-25T00:00:00+08:00');
const min = (m: number) => T0 + m * 60_000;

function inc(id: string, status: IncidentStatus, over: Partial<Incident> = {}): Incident {
  return {
    id, source: 'hotline', connectorId: 't', externalId: id, category: 'garbage_exposed', severity: 'low', title: id,
    description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: '510108003002001', status,
    reportedAt: new Date(min(0)).toISOString(), updatedAt: new Date(min(0)).toISOString(), dueAt: null, assigneeId: null,
    reportCount: 1, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, ...over,
  };
}
const ch = (seq: number, m: number, i: Incident): ReplayChange => ({ seq, at: min(m), incident: i });

describe('replay fold', () => {
  const log = [
    ch(1, 10, inc('A', 'reported', { reportedAt: new Date(min(10)).toISOString() })),
    ch(2, 20, inc('B', 'reported', { reportedAt: new Date(min(20)).toISOString(), severity: 'high' })),
    ch(3, 30, inc('A', 'dispatched', { reportedAt: new Date(min(10)).toISOString(), dueAt: new Date(min(40)).toISOString() })),
    ch(4, 50, inc('A', 'closed', { reportedAt: new Date(min(10)).toISOString(), updatedAt: new Date(min(50)).toISOString() })),
    // Rework: closed, then sent back and open again.
    ch(5, 60, inc('A', 'in_progress', { reportedAt: new Date(min(10)).toISOString() })),
  ];

  it('takes the newest change of each incident at or before the instant, in any order given', () => {
    expect(openAt(log, min(5))).toEqual([]);
    expect(openAt([...log].reverse(), min(25)).map((i) => i.id)).toEqual(['B', 'A']);
    expect(foldAt(log, min(35)).get('A')!.incident.status).toBe('dispatched');
    expect(openAt(log, min(55)).map((i) => i.id)).toEqual(['B']);
    expect(openAt(log, min(60)).map((i) => `${i.id}:${i.status}`)).toEqual(['B:reported', 'A:in_progress']);
  });

  it('counts the KPIs as they stood: overdue after the deadline, closed today', () => {
    const at = (m: number) => kpisAt([...foldAt(log, min(m)).values()].map((c) => c.incident), min(m));
    expect(at(35)).toEqual({ reportedToday: 2, open: 2, urgentOpen: 1, overdue: 0, closedToday: 0 });
    expect(at(45)).toMatchObject({ overdue: 1 });
    expect(at(55)).toEqual({ reportedToday: 2, open: 1, urgentOpen: 1, overdue: 0, closedToday: 1 });
  });
});

describe('replay timeline (client scrubbing)', () => {
  it('gives the same state as a full fold at every instant, across checkpoints', () => {
    const n = CHECKPOINT_EVERY * 3 + 17;
    const base = [ch(0, -5, inc('X', 'in_progress'))];
    const changes: ReplayChange[] = [];
    for (let k = 1; k <= n; k++) {
      const id = `I${k % 97}`;
      const status: IncidentStatus = k % 5 === 0 ? 'closed' : k % 3 === 0 ? 'dispatched' : 'reported';
      changes.push(ch(k, k * 0.25, inc(id, status, { version: k })));
    }
    const t = buildTimeline({ from: new Date(T0).toISOString(), to: new Date(min(24 * 60)).toISOString(), base, changes: [...changes].reverse() });
    expect(t.checkpoints.length).toBe(4);
    for (const m of [0, 1, 100.1, CHECKPOINT_EVERY * 0.25, CHECKPOINT_EVERY * 0.25 + 0.1, 600, n * 0.25, 2000]) {
      const full = foldAt([...base, ...changes], min(m));
      const scrub = stateAt(t, min(m));
      expect(new Map([...scrub].map(([id, i]) => [id, i.version]))).toEqual(new Map([...full].map(([id, c]) => [id, c.incident.version])));
      expect(frameAt(t, min(m)).open.map((i) => i.id)).toEqual(openAt([...base, ...changes], min(m)).map((i) => i.id));
    }
    expect(frameAt(t, min(1)).seq).toBe(4);
  });
});

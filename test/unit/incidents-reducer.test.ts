import { describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import { advanceSeq, applyChange, applySnapshot, initialIncidents } from '../../client/stores/incidents-reducer';

function inc(n: number, over: Partial<Incident> = {}): Incident {
  return {
    id: `INC-${n}`,
    source: 'hotline',
    connectorId: 'test',
    externalId: `e${n}`,
    category: 'garbage_exposed',
    severity: 'low',
    title: `t${n}`,
    description: '',
    location: { lng: 104.1, lat: 30.67 },
    address: null,
    gridId: '510108003002001',
    status: 'reported',
    reportedAt: new Date(Date.UTC(2026, 10, 25, 0, 0, n)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 10, 25, 0, 0, n)).toISOString(),
    dueAt: null,
    assigneeId: null,
    reportCount: 1,
    version: 1,
    assistingPartyIds: [],
    slaStage: null,
    extension: null,
    mergedInto: null,
    ...over,
  };
}

describe('incidents reducer', () => {
  it('orders a snapshot newest first and records its seq', () => {
    const s = initialIncidents();
    applySnapshot(s, 7, [inc(1), inc(3), inc(2)]);
    expect(s.order).toEqual(['INC-3', 'INC-2', 'INC-1']);
    expect(s.seq).toBe(7);
  });

  it('inserts a created incident at its place and updates in place', () => {
    const s = initialIncidents();
    applySnapshot(s, 2, [inc(1), inc(5)]);
    expect(applyChange(s, 3, inc(3))).toBe(true);
    expect(s.order).toEqual(['INC-5', 'INC-3', 'INC-1']);
    expect(applyChange(s, 4, inc(3, { status: 'verifying' }))).toBe(true);
    expect(s.byId.get('INC-3')!.status).toBe('verifying');
    expect(s.order).toHaveLength(3);
    expect(s.seq).toBe(4);
  });

  it('ignores a change it already reflects, and applies out-of-order changes per incident', () => {
    const s = initialIncidents();
    applySnapshot(s, 10, [inc(1)]);
    expect(applyChange(s, 10, inc(1, { status: 'closed' }))).toBe(false);
    expect(s.byId.get('INC-1')!.status).toBe('reported');
    // Two nodes may deliver 12 before 11: both are applied, and the older one never overwrites the newer.
    expect(applyChange(s, 12, inc(2))).toBe(true);
    expect(applyChange(s, 11, inc(1, { status: 'verifying' }))).toBe(true);
    expect(applyChange(s, 11, inc(2, { status: 'rejected' }))).toBe(false);
    expect(s.byId.get('INC-2')!.status).toBe('reported');
    expect(s.seq).toBe(12);
  });

  it('advances the seq past changes outside the scope without going back', () => {
    const s = initialIncidents();
    advanceSeq(s, 40);
    advanceSeq(s, 30);
    expect(s.seq).toBe(40);
  });

  it('keeps at most `cap` incidents, dropping finished ones before open ones', () => {
    const s = initialIncidents(3);
    applySnapshot(s, 0, [inc(1), inc(2, { status: 'closed' }), inc(3)]);
    applyChange(s, 1, inc(4));
    expect([...s.byId.keys()].sort()).toEqual(['INC-1', 'INC-3', 'INC-4']);
    applyChange(s, 2, inc(5));
    expect(s.order).toEqual(['INC-5', 'INC-4', 'INC-3']);
    expect(s.seqById.size).toBe(3);
  });
});

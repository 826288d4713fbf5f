import { describe, expect, it } from 'vitest';
import type { Incident, IncidentChange } from '#common/incidents/types';
import type { SyncResult } from '#common/realtime/events';
import { compactChanges, smallerReply } from '../../server/realtime/snapshot.ts';

const inc = (id: string, version: number, pad = ''): Incident => ({ id, version, title: pad }) as unknown as Incident;
const ch = (seq: number, type: IncidentChange['type'], incident: Incident): IncidentChange => ({ seq, type, incident });

describe('compactChanges', () => {
  it('keeps the latest state of each incident, in the order of those latest changes', () => {
    const out = compactChanges([ch(1, 'updated', inc('a', 2)), ch(2, 'updated', inc('b', 5)), ch(3, 'updated', inc('a', 3)), ch(4, 'updated', inc('c', 1))]);
    expect(out.map((c) => [c.seq, c.incident.id, c.incident.version])).toEqual([
      [2, 'b', 5],
      [3, 'a', 3],
      [4, 'c', 1],
    ]);
  });

  it("keeps 'created' for an incident created within the gap", () => {
    const out = compactChanges([ch(7, 'created', inc('n', 1)), ch(8, 'updated', inc('n', 2)), ch(9, 'updated', inc('o', 4))]);
    expect(out.map((c) => [c.type, c.incident.version])).toEqual([
      ['created', 2],
      ['updated', 4],
    ]);
  });
});

describe('smallerReply', () => {
  const delta = (n: number): SyncResult => ({ mode: 'delta', seq: n, changes: Array.from({ length: n }, (_, i) => ch(i + 1, 'updated', inc(`i${i}`, 2, 'x'.repeat(100)))) });
  const snapshot = (n: number): SyncResult => ({
    mode: 'snapshot',
    snapshot: { regionId: '5101', seq: 1, incidents: Array.from({ length: n }, (_, i) => inc(`i${i}`, 2, 'x'.repeat(100))), kpis: {} as never, sources: [] },
  });

  it('answers with the snapshot when it is clearly smaller (more changed incidents than its cap)', () => {
    expect(smallerReply(delta(1000), snapshot(500)).mode).toBe('snapshot');
  });

  it('keeps the delta when the two are about the same size or the delta is smaller', () => {
    expect(smallerReply(delta(50), snapshot(52)).mode).toBe('delta');
    expect(smallerReply(delta(50), snapshot(600)).mode).toBe('delta');
  });
});

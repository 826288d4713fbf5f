import { describe, expect, it } from 'vitest';
import { cstParts, cstWeek, flattenOccurrences, isolationByGrid, monthGrid } from '../../client/stores/care-reducer.ts';

const cell = (regionId: string, isolationRate: number | null) => ({ regionId, isolationRate }) as Parameters<typeof isolationByGrid>[0][number];

describe('care reducer', () => {
  it('colours every grid with its community’s isolation in percent, -1 without a figure', () => {
    const m = isolationByGrid([cell('510108001', 0.3), cell('510108001001', 0.25), cell('510108001001001', 0.9), cell('510108001001002', null), cell('510108001002', null), cell('510108001002001', 0.1)]);
    expect([...m]).toEqual([['510108001001001', 25], ['510108001001002', 25], ['510108001002001', -1]]);
  });

  it('weeks start on Monday in CST; month grids cover whole weeks', () => {
    const { from, to } = cstWeek(Date.parse('2026-03-01T20:00:00Z')); // Monday 2 March 04:00 CST
    expect(from.toISOString()).toBe('2026-03-01T16:00:00.000Z');
    expect(to.getTime() - from.getTime()).toBe(7 * 86_400_000);
    const days = monthGrid(Date.parse('2026-02-10T00:00:00Z'));
    expect(days).toHaveLength(35); // 1 February 2026 is a Sunday: the grid starts Monday 26 January
    expect(days[0]).toEqual({ date: '2026-01-26', inMonth: false });
    expect(days[6]).toEqual({ date: '2026-02-01', inMonth: true });
    const march = monthGrid(Date.parse('2026-03-10T00:00:00Z'));
    expect(march[0]!.date).toBe('2026-02-23');
    expect(march).toHaveLength(42); // 31 days from a Sunday need six weeks
    expect(cstParts('2026-03-02T23:00:00.000Z')).toEqual(['2026-03-03', '07:00']);
  });

  it('flattens occurrences in time order', () => {
    const a = { id: 'a', title: 'A', kind: 'choir', venue: { name: 'V' }, durationMinutes: 60, capacity: null, occurrences: [{ start: '2026-03-05T01:00:00.000Z', registered: 1, attended: 0 }] };
    const b = { ...a, id: 'b', title: 'B', occurrences: [{ start: '2026-03-04T01:00:00.000Z', registered: null, attended: null }, { start: '2026-03-06T01:00:00.000Z', registered: 2, attended: 2 }] };
    expect(flattenOccurrences([a, b] as never).map((o) => o.key)).toEqual(['b|2026-03-04T01:00:00.000Z', 'a|2026-03-05T01:00:00.000Z', 'b|2026-03-06T01:00:00.000Z']);
  });
});

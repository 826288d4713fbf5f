import { describe, expect, it } from 'vitest';
import { nextWelfareStep, welfareAssignee } from '../../common/care/welfare.ts';
import { onDutyAt, shiftPatternOf } from '../../common/dispatch/shifts.ts';

const G = '510108002001002';
const at = new Date('2026-03-04T03:00:00Z'); // Wednesday 11:00 CST

describe('welfare task assignee', () => {
  it('is the grid’s own grid worker, never a neighbour’s', () => {
    const roster = [
      { id: 'gw-other', gridId: '510108002001003', role: 'grid_worker' as const },
      { id: 'cs-1', gridId: G, role: 'community_staff' as const },
      { id: 'gw-1', gridId: G, role: 'grid_worker' as const },
    ];
    expect(welfareAssignee(roster, G, at)).toBe('gw-1');
    expect(welfareAssignee(roster.slice(0, 2), G, at)).toBe('cs-1'); // no grid worker: the staff based at the grid
    expect(welfareAssignee(roster.slice(0, 1), G, at)).toBeNull();
  });

  it('the one on duty first, then by id, so every node picks the same', () => {
    const ids = ['gw-a', 'gw-b', 'gw-c', 'gw-d', 'gw-e', 'gw-f'];
    const roster = ids.map((id) => ({ id, gridId: G, role: 'grid_worker' as const }));
    const onDuty = ids.filter((id) => onDutyAt(shiftPatternOf({ id }), at));
    const expected = onDuty[0] ?? ids[0];
    expect(welfareAssignee(roster, G, at)).toBe(expected);
    expect(welfareAssignee([...roster].reverse(), G, at)).toBe(expected);
  });

  it('walks the case flow to dispatched and stops there', () => {
    expect(['reported', 'verifying', 'filed', 'dispatched', 'closed'].map(nextWelfareStep)).toEqual(['verify', 'file', 'dispatch', null, null]);
  });
});

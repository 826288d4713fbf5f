import { describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import { compareTasks, countdown, distanceM, myTasks, newestById, taskRoleOf } from '#common/mobile/tasks';

const inc = (id: string, more: Partial<Incident>): Incident =>
  ({ id, status: 'dispatched', assigneeId: null, assistingPartyIds: [], dueAt: null, ...more }) as Incident;

const me = { id: 'user-1', workerId: 'W-7' };

describe('my tasks', () => {
  it('knows a case assigned to the account or its roster worker, and one it assists', () => {
    expect(taskRoleOf(inc('a', { assigneeId: 'W-7' }), me)).toBe('lead');
    expect(taskRoleOf(inc('a', { assigneeId: 'user-1' }), me)).toBe('lead');
    expect(taskRoleOf(inc('a', { assigneeId: 'W-8', assistingPartyIds: ['W-7'] }), me)).toBe('assisting');
    expect(taskRoleOf(inc('a', { assigneeId: 'W-8' }), me)).toBeNull();
    expect(taskRoleOf(inc('a', { assigneeId: 'W-7', status: 'closed' }), me)).toBeNull();
    expect(taskRoleOf(inc('a', { assigneeId: 'W-7' }), { id: 'user-2' })).toBeNull();
  });

  it('sorts by SLA time left, overdue first; cases back at the desk last', () => {
    const list = [
      inc('late', { assigneeId: 'W-7', dueAt: '2026-01-01T08:00:00Z' }),
      inc('soon', { assigneeId: 'W-7', dueAt: '2026-01-01T10:00:00Z' }),
      inc('desk', { assigneeId: 'W-7', status: 'feedback', dueAt: '2026-01-01T07:00:00Z' }),
      inc('none', { assigneeId: 'W-7' }),
      inc('other', { assigneeId: 'W-9', dueAt: '2026-01-01T07:00:00Z' }),
      inc('first', { assigneeId: 'W-7', status: 'in_progress', dueAt: '2026-01-01T06:00:00Z' }),
    ];
    expect(myTasks(list, me).map((i) => i.id)).toEqual(['first', 'late', 'soon', 'none', 'desk']);
    expect(compareTasks(list[0]!, list[0]!)).toBe(0);
  });

  it('counts down and up', () => {
    const now = Date.parse('2026-01-01T08:00:00Z');
    expect(countdown('2026-01-01T09:30:05Z', now)).toEqual({ overdue: false, h: 1, m: 30, s: 5 });
    expect(countdown('2026-01-01T07:59:00Z', now)).toEqual({ overdue: true, h: 0, m: 1, s: 0 });
    expect(countdown(null, now)).toBeNull();
  });

  it('measures distance in metres', () => {
    const d = distanceM({ lng: 104.1, lat: 30.6 }, { lng: 104.1, lat: 30.61 });
    expect(d).toBeGreaterThan(1100);
    expect(d).toBeLessThan(1120);
  });
});

describe('newestById', () => {
  it('keeps the highest version of each incident whatever it came from', () => {
    const a = inc('x', { version: 2, status: 'dispatched', updatedAt: '2026-01-01T08:00:00Z' });
    const b = inc('x', { version: 3, status: 'in_progress', updatedAt: '2026-01-01T08:05:00Z' });
    const c = inc('y', { version: 1 });
    expect([...newestById([b], [a, c]).values()].map((i) => `${i.id}:${i.version}`)).toEqual(['x:3', 'y:1']);
    expect(newestById([a], [b]).get('x')!.status).toBe('in_progress');
  });
});

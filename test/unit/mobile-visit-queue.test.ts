import { describe, expect, it } from 'vitest';
import { makeItem, pendingCount, queuedVisits, type OutboxItem } from '#common/mobile/queue';

const visit = (items: OutboxItem[], id: string, residentId: string) =>
  makeItem(items, 'visit', id, { residentId, visitedAt: '2026-11-29T05:00:00Z', visitorName: '网格员', outcome: 'well', note: '' }, 1);

describe('queued visits', () => {
  it('lists residents with a pending visit, not failed ones, and counts them as waiting', () => {
    const a = visit([], 'c1', 'r1');
    const b = { ...visit([a], 'c2', 'r2'), state: 'failed' as const };
    const items: OutboxItem[] = [a, b];
    expect([...queuedVisits(items)]).toEqual(['r1']);
    expect(pendingCount(items)).toBe(1);
    expect(queuedVisits([]).size).toBe(0);
  });
});

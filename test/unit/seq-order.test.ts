import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Incident, IncidentChange } from '#common/incidents/types';
import { onApplied, onHeartbeat, initialConnection } from '../../client/stores/connection-reducer';
import { createSeqOrder } from '../../server/realtime/seq-order.ts';

const ch = (seq: number): IncidentChange => ({ seq, type: 'created', incident: { id: `i${seq}` } as Incident });

describe('seq order (server/realtime/seq-order.ts)', () => {
  afterEach(() => vi.useRealTimers());

  it('releases changes from two writers in seq order, holding early ones', () => {
    const out: number[] = [];
    const order = createSeqOrder((cs) => out.push(...cs.map((c) => c.seq)));
    order.start(10);
    order.push([ch(12), ch(14)]);
    expect(out).toEqual([]);
    order.push([ch(11)]);
    expect(out).toEqual([11, 12]);
    order.push([ch(13), ch(15)]);
    expect(out).toEqual([11, 12, 13, 14, 15]);
  });

  it('holds what arrives before the start head is known, then releases in order', () => {
    const out: number[] = [];
    const order = createSeqOrder((cs) => out.push(...cs.map((c) => c.seq)));
    order.push([ch(6), ch(4)]);
    order.start(4);
    expect(out).toEqual([4]);
    order.push([ch(5)]);
    expect(out).toEqual([4, 5, 6]);
  });

  it('gives up a seq that never comes after the gap timeout, and still pushes it if it turns up', () => {
    vi.useFakeTimers();
    const out: number[] = [];
    const order = createSeqOrder((cs) => out.push(...cs.map((c) => c.seq)), 500);
    order.start(0);
    order.push([ch(2), ch(3)]);
    vi.advanceTimersByTime(499);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out).toEqual([2, 3]);
    order.push([ch(1)]);
    expect(out).toEqual([2, 3, 1]);
  });
});

describe('heartbeat resync rule (client/stores/connection-reducer.ts)', () => {
  it('does not resync for changes the server has not pushed yet or that are outside the region', () => {
    const s = initialConnection();
    onApplied(s, 100, true);
    // The log moved to 140, but the last change pushed to our room is one we have.
    expect(onHeartbeat(s, { at: 'x', seq: 140, pushed: 100, intervalMs: 1000 }, 0)).toBe(false);
    onApplied(s, 120, false);
    expect(onHeartbeat(s, { at: 'x', seq: 160, pushed: 120, intervalMs: 1000 }, 0)).toBe(false);
    // A pushed change we do not have: lost, resync.
    expect(onHeartbeat(s, { at: 'x', seq: 160, pushed: 130, intervalMs: 1000 }, 0)).toBe(true);
  });
});

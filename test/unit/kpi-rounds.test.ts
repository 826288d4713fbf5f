import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createKpiRounds } from '../../server/realtime/kpi-rounds.ts';

describe('KPI rounds (server/realtime/kpi-rounds.ts)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** Regions a, b, c; each count costs `costMs` on the injected clock; `head` is what the log head reads. */
  function setup(costMs: number, failing: string | null = null) {
    let t = 0;
    const state = { head: 1, counted: [] as string[], errors: 0 };
    const rounds = createKpiRounds({
      regions: () => ['a', 'b', 'c'],
      head: () => state.head,
      update: async (regionId) => {
        t += costMs;
        if (regionId === failing) throw new Error('store down');
        state.counted.push(regionId);
      },
      onError: () => state.errors++,
      intervalMs: 2000,
      budget: 0.05,
      clock: () => t,
      yieldTurn: async () => undefined,
    });
    return { state, rounds };
  }

  it('counts every region each interval while the log moves, and nothing while it stands still', async () => {
    const { state, rounds } = setup(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.counted).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.counted).toHaveLength(3);
    state.head = 2;
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.counted).toHaveLength(6);
    rounds.close();
  });

  it('spaces costly rounds so they take at most the budget of the time', async () => {
    // 3 × 100 ms = 300 ms a round: at 5 % the next one starts 6 s after this one started, not 2 s.
    const { state, rounds } = setup(100);
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.counted).toHaveLength(3);
    state.head = 2;
    await vi.advanceTimersByTimeAsync(5600);
    expect(state.counted).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(state.counted).toHaveLength(6);
    rounds.close();
  });

  it('goes on past a region whose count fails, and stops when closed', async () => {
    const { state, rounds } = setup(1, 'b');
    await vi.advanceTimersByTimeAsync(2000);
    expect(state.counted).toEqual(['a', 'c']);
    expect(state.errors).toBe(1);
    rounds.close();
    state.head = 2;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.counted).toEqual(['a', 'c']);
  });
});

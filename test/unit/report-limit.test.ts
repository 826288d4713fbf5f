/** Monthly PDFs render a few at a time; the rest wait in a short line or are refused (server/reports/limit.ts). */
import { describe, expect, it } from 'vitest';
import { taskLimit } from '#server/reports/limit';

describe('taskLimit', () => {
  it('runs at most `running` at once, queues `waiting` more, refuses the rest, and frees slots on failure too', async () => {
    const run = taskLimit(2, 3);
    let now = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const task = (fail = false) => async () => {
      now++;
      peak = Math.max(peak, now);
      await new Promise<void>((r) => gates.push(r));
      now--;
      if (fail) throw new Error('boom');
      return 'ok';
    };
    const all = [run(task(true)), run(task()), run(task()), run(task()), run(task()), run(task()), run(task())];
    const settled = Promise.allSettled(all.slice(0, 5));
    const refused = await Promise.all(all.slice(5));
    expect(refused).toEqual([null, null]);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 0));
      gates.shift()?.();
    }
    const [first, ...rest] = await settled;
    expect(first!.status).toBe('rejected');
    expect(rest.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual([{ value: 'ok' }, { value: 'ok' }, { value: 'ok' }, { value: 'ok' }]);
    expect(peak).toBe(2);
    // Everything done: the slots are free again.
    const again = run(async () => 'again');
    expect(await again).toEqual({ value: 'again' });
  });
});

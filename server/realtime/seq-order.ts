import type { IncidentChange } from '#common/incidents/types';

/**
 * Changes released in seq order, whichever node wrote them. Every node receives every committed change (its
 * own at commit, the others' through the cluster adapter) and seqs are gap-free, so a node knows exactly
 * which seq comes next: a change that arrives early is held until the ones before it are in. A seq that
 * never arrives (a writer that died between commit and publish) is given up after `gapMs`; clients then
 * catch up through their heartbeat check and `sync:since`.
 */
export function createSeqOrder(release: (changes: IncidentChange[]) => void, gapMs = 500) {
  /** Next seq to release; null until the log head at start is known. */
  let next: number | null = null;
  const held = new Map<number, IncidentChange>();
  let timer: NodeJS.Timeout | null = null;

  function drain(): void {
    if (next === null) return;
    const out: IncidentChange[] = [];
    for (let c = held.get(next); c; c = held.get(next)) {
      held.delete(next);
      out.push(c);
      next += 1;
    }
    if (out.length) release(out);
    if (timer && held.size === 0) {
      clearTimeout(timer);
      timer = null;
    }
    if (!timer && held.size > 0) timer = setTimeout(skipGap, gapMs);
  }

  function skipGap(): void {
    timer = null;
    if (held.size === 0) return;
    next = Math.min(...held.keys());
    drain();
  }

  return {
    /** The log head when this node started: the first change to expect is head + 1. */
    start(head: number): void {
      if (next !== null) return;
      next = head + 1;
      // Anything held that committed before the head was read goes out now, in order.
      const early = [...held.values()].filter((c) => c.seq < next!).sort((a, b) => a.seq - b.seq);
      for (const c of early) held.delete(c.seq);
      if (early.length) release(early);
      drain();
    },
    push(changes: readonly IncidentChange[]): void {
      const late: IncidentChange[] = [];
      for (const c of changes) {
        if (next !== null && c.seq < next) late.push(c); // after a given-up gap: still worth pushing
        else held.set(c.seq, c);
      }
      if (late.length) release(late);
      drain();
    },
    close(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      const rest = [...held.values()].sort((a, b) => a.seq - b.seq);
      held.clear();
      if (rest.length) release(rest);
    },
  };
}

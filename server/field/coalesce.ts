/**
 * At most one push per room every `windowMs`: the first item after a quiet spell goes out at once; items that
 * follow within the window are held, the newest per key, and sent together when the room's window ends.
 */
export function createCoalescer<T>(windowMs: number, send: (room: string, items: T[]) => void, now: () => number = () => performance.now()) {
  const pending = new Map<string, Map<string, T>>();
  const lastSent = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;

  const waitOf = (room: string, t: number) => windowMs - (t - (lastSent.get(room) ?? -Infinity));

  function schedule(t: number): void {
    if (timer || pending.size === 0) return;
    const wait = Math.min(...[...pending.keys()].map((r) => waitOf(r, t)));
    // +1: a timer may fire a fraction of a millisecond early by performance.now().
    timer = setTimeout(flush, Math.max(0, wait) + 1);
  }

  function flush(): void {
    timer = null;
    const t = now();
    for (const [room, items] of pending) {
      if (waitOf(room, t) > 0) continue;
      lastSent.set(room, t);
      pending.delete(room);
      send(room, [...items.values()]);
    }
    schedule(t);
  }

  return {
    /** Queue `item` (replacing an older one of the same key) for each room. */
    add(rooms: readonly string[], key: string, item: T): void {
      const t = now();
      for (const room of rooms) {
        const held = pending.get(room);
        if (held) held.set(key, item);
        else if (waitOf(room, t) <= 0) {
          lastSent.set(room, t);
          send(room, [item]);
        } else pending.set(room, new Map([[key, item]]));
      }
      schedule(t);
    },
    close(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      pending.clear();
    },
  };
}

/**
 * At most `running` tasks at once, at most `waiting` more in line; past that a task is refused at once (null) instead
 * of queued. Each PDF starts its own headless Chromium (~200 MB, a core while it lays out): month-end clicks by every
 * leader of a district must not start them all at once on the server that also carries the realtime feed.
 */
export function taskLimit(running: number, waiting: number) {
  let active = 0;
  const line: (() => void)[] = [];
  return async function run<T>(task: () => Promise<T>): Promise<{ value: T } | null> {
    if (active >= running) {
      if (line.length >= waiting) return null;
      await new Promise<void>((resolve) => line.push(resolve));
    } else active++;
    try {
      return { value: await task() };
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = line.shift();
      if (next) next();
      else active--;
    }
  };
}

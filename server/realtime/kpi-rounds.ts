/**
 * KPI rounds: recompute the KPIs of this node's subscribed regions when the log has moved, at most every
 * `intervalMs`. Each region's query counts its incidents, so a round grows with the store: at 100,000 incidents
 * and 25 regions one took ~0.3 s of the event loop under an alarm burst, every 2 s (15 % of the server). So
 * regions are counted one per turn of the event loop (pushes and requests go between them), and the next round
 * waits until this one's cost is at most `budget` of the time since it started.
 */
export function createKpiRounds(deps: {
  /** Regions with a subscribed room here, read at the start of each round. */
  regions: () => Iterable<string>;
  /** The log head now: a round with the same head as the last one counts nothing. */
  head: () => number;
  /** Count one region's KPIs and push them. */
  update: (regionId: string, now: Date) => Promise<void>;
  onError: (err: unknown) => void;
  intervalMs: number;
  budget: number;
  clock?: () => number;
  /** Between two regions; the next turn of the event loop. */
  yieldTurn?: () => Promise<void>;
}) {
  const clock = deps.clock ?? (() => performance.now());
  const yieldTurn = deps.yieldTurn ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
  let lastHead = -1;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  async function round(): Promise<void> {
    timer = null;
    const started = clock();
    let cost = 0;
    const head = deps.head();
    if (head !== lastHead) {
      lastHead = head;
      const now = new Date();
      for (const regionId of [...deps.regions()]) {
        if (closed) return;
        const t0 = clock();
        try {
          await deps.update(regionId, now);
        } catch (err) {
          deps.onError(err);
        }
        cost += clock() - t0;
        await yieldTurn();
      }
    }
    if (closed) return;
    const wait = Math.max(deps.intervalMs, cost / deps.budget) - (clock() - started);
    timer = setTimeout(() => void round(), Math.max(0, wait));
  }
  timer = setTimeout(() => void round(), deps.intervalMs);

  return {
    close(): void {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

import type { IngestOutcome, NewIncident, Store } from '../store/types.ts';

interface Job {
  items: NewIncident[];
  now: Date;
  resolve: (outcomes: IngestOutcome[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: ingests that arrive in the same turn of the event loop (sixteen upstreams posting one event
 * each, say) go to the store as one transaction, so they share one fsync instead of paying one each. Every
 * caller still resolves only after that commit, and if it fails, every caller in the group fails: nothing of
 * it was acknowledged.
 */
/**
 * Under load, the wait before a group is written: SQLite's commit blocks the event loop for its fsync, and
 * requests read meanwhile reach the queue over the next few turns, so flushing at the very next turn wrote
 * groups of one or two (one event per request: a few hundred a second). A group started within BUSY_MS of
 * the last one waits for company: until as many requests are queued as the largest of the last RECENT groups
 * held (the upstreams that were waiting then are likely back), at most GATHER_MS. A steady set of upstreams
 * so fills its group without sitting out the whole wait; a new upstream makes a wait run out once and the
 * groups grow. An ingest after a quiet spell still goes at the next turn.
 */
const GATHER_MS = 2;
const BUSY_MS = 20;
const RECENT = 8;

export function createGroupCommit(store: Store): (items: NewIncident[], now: Date) => Promise<IngestOutcome[]> {
  let queue: Job[] = [];
  let timer: NodeJS.Timeout | null = null;
  let immediate = false;
  /** One transaction at a time (PostgreSQL's are asynchronous): what arrives meanwhile forms the next group. */
  let writing = false;
  let lastFlush = -Infinity;
  /** Requests per group, the newest RECENT groups. */
  const recent: number[] = [];

  function schedule(): void {
    if (writing || immediate || queue.length === 0) return;
    const busy = performance.now() - lastFlush < BUSY_MS;
    if (!busy || queue.length >= Math.max(...recent)) {
      // At the next turn: requests read in this one still join the group.
      if (timer) clearTimeout(timer);
      timer = null;
      immediate = true;
      setImmediate(flush);
    } else timer ??= setTimeout(flush, GATHER_MS);
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    immediate = false;
    lastFlush = performance.now();
    writing = true;
    const jobs = queue;
    queue = [];
    recent.push(jobs.length);
    if (recent.length > RECENT) recent.shift();
    const all = jobs.flatMap((j) => j.items);
    const now = jobs.reduce((latest, j) => (j.now > latest ? j.now : latest), jobs[0]!.now);
    store.incidents
      .ingest(all, now, { merge: true })
      .then(
        (outcomes) => {
          let at = 0;
          for (const j of jobs) {
            j.resolve(outcomes.slice(at, at + j.items.length));
            at += j.items.length;
          }
        },
        (err: unknown) => jobs.forEach((j) => j.reject(err)),
      )
      .finally(() => {
        writing = false;
        schedule();
      });
  }

  return (items, now) =>
    new Promise((resolve, reject) => {
      queue.push({ items, now, resolve, reject });
      schedule();
    });
}

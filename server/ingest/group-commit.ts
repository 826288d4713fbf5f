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
export function createGroupCommit(store: Store): (items: NewIncident[], now: Date) => Promise<IngestOutcome[]> {
  let queue: Job[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const jobs = queue;
    queue = [];
    const all = jobs.flatMap((j) => j.items);
    const now = jobs.reduce((latest, j) => (j.now > latest ? j.now : latest), jobs[0]!.now);
    store.incidents.ingest(all, now, { merge: true }).then(
      (outcomes) => {
        let at = 0;
        for (const j of jobs) {
          j.resolve(outcomes.slice(at, at + j.items.length));
          at += j.items.length;
        }
      },
      (err: unknown) => jobs.forEach((j) => j.reject(err)),
    );
  }

  return (items, now) =>
    new Promise((resolve, reject) => {
      queue.push({ items, now, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

/**
 * Reads of reporters' personal data outside the detail page (issue 13: every unmasked read is audited): a list
 * reply, a replay, a socket snapshot, delta or push. Only the full audience (admins, dispatchers) gets reporters
 * unmasked (common/incidents/projection.ts); those replies are recorded, lists as one entry per request naming
 * the incidents, sockets coalesced per socket (ReadCoalescer) so a busy feed does not flood the log. Pure.
 */
import type { Audience } from '../incidents/projection.ts';
import type { Incident } from '../incidents/types.ts';

/** Ids in one audit entry: a snapshot's 5,000 fit in five; more go in further entries, never dropped. */
export const IDS_PER_ENTRY = 1000;

/** Ids of the incidents whose reporter a reply to `audience` carries unmasked (one with a name or a phone), once each. */
export function unmaskedReporterIds(incidents: Iterable<Pick<Incident, 'id' | 'reporter'>>, audience: Audience): string[] {
  if (audience !== 'full') return [];
  const ids = new Set<string>();
  for (const i of incidents) if (i.reporter && (i.reporter.name !== null || i.reporter.phone !== null)) ids.add(i.id);
  return [...ids];
}

/** `ids` in runs of at most `size`, each run an audit entry. */
export function chunkIds(ids: readonly string[], size = IDS_PER_ENTRY): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/** What one socket was sent in one window: each incident once, however often it was pushed. */
export interface ReadBatch<M> {
  key: string;
  /** Who and where, as noted with the first read of the window. */
  meta: M;
  ids: string[];
  /** How many replies or pushes carried them. */
  reads: number;
  firstMs: number;
  lastMs: number;
}

/**
 * Collects reads per key (a socket) and hands them out once per window: at most one batch per key per window,
 * listing each incident once. Times are passed in, so the window is testable without a clock.
 */
export class ReadCoalescer<M> {
  private readonly open = new Map<string, { meta: M; ids: Set<string>; reads: number; firstMs: number; lastMs: number }>();

  constructor(private readonly windowMs = 60_000) {}

  add(key: string, meta: M, ids: readonly string[], nowMs: number): void {
    if (ids.length === 0) return;
    let b = this.open.get(key);
    if (!b) this.open.set(key, (b = { meta, ids: new Set(), reads: 0, firstMs: nowMs, lastMs: nowMs }));
    for (const id of ids) b.ids.add(id);
    b.reads++;
    b.lastMs = nowMs;
  }

  /** The batches whose window (from their first read) has ended by `nowMs`, removed. */
  due(nowMs: number): ReadBatch<M>[] {
    const out: ReadBatch<M>[] = [];
    for (const [key, b] of this.open) if (nowMs - b.firstMs >= this.windowMs) out.push(this.take(key)!);
    return out;
  }

  /** One key's batch now (its socket closed), removed; null when it read nothing. */
  take(key: string): ReadBatch<M> | null {
    const b = this.open.get(key);
    if (!b) return null;
    this.open.delete(key);
    return { key, meta: b.meta, ids: [...b.ids], reads: b.reads, firstMs: b.firstMs, lastMs: b.lastMs };
  }

  /** Every batch, removed (shutdown). */
  drain(): ReadBatch<M>[] {
    return [...this.open.keys()].map((k) => this.take(k)!);
  }

  get size(): number {
    return this.open.size;
  }
}

/** Shared by both stores: folding events into facts and rollup rows, in memory (rebuild, bulk loads). */
import type { CaseFacts } from '#common/analytics/facts';
import { foldFacts } from '#common/analytics/facts';
import type { RollupRow } from '#common/analytics/rollup';
import { isZero } from '#common/analytics/counters';
import { accumulateLeaves, dropZeroRows, rollUp, settleContribution } from '#common/analytics/rollup';
import type { Incident } from '#common/incidents/types';

/** The deadline a due, not yet closed case is counted on (rows of ranges ending after now leave it out). */
export function openDueMs(f: CaseFacts): number | null {
  return f.closedMs === null && settleContribution(f) !== null ? f.dueMs : null;
}

export class RollupFold {
  readonly facts = new Map<string, CaseFacts>();
  /** Facts before this fold touched them, by id (null: new), for writing only what changed. */
  readonly before = new Map<string, CaseFacts | null>();
  /** The deltas at the leaf depth (grid day rows), summed over every event applied. */
  private readonly leaves = new Map<string, RollupRow>();
  private built: Map<string, RollupRow> | null = null;

  constructor(
    private readonly rootRegionId: string,
    private readonly load: (id: string) => CaseFacts | null = () => null,
  ) {}

  /**
   * The rollup deltas of every event applied, non-zero rows only. Rolling up is linear, so the leaf deltas of
   * all events are summed first and each distinct leaf rolled up to its depths and month once: events of one
   * grid, day and category share that work, and a case's -1/+1 of an event that moves nothing cancels before it.
   */
  get rows(): Map<string, RollupRow> {
    if (!this.built) {
      const acc = new Map<string, RollupRow>();
      for (const leaf of this.leaves.values()) if (!isZero(leaf.c)) rollUp(acc, leaf);
      dropZeroRows(acc);
      this.built = acc;
    }
    return this.built;
  }

  apply(incident: Incident, atMs: number): void {
    const id = incident.id;
    let prev = this.facts.get(id);
    if (prev === undefined) {
      prev = this.load(id) ?? undefined;
      this.before.set(id, prev ?? null);
    }
    const next = foldFacts(prev ?? null, incident, atMs, this.rootRegionId);
    // The rollups are a function of the facts: an event that leaves them as they were (a report absorbed by
    // an open case: its count and severity are no facts) changes no row.
    if (!prev || !sameFacts(prev, next)) {
      if (prev) accumulateLeaves(this.leaves, prev, -1);
      accumulateLeaves(this.leaves, next, 1);
      this.built = null;
    }
    this.facts.set(id, next);
  }

  /** The facts to write: those of cases new to the store or changed by this fold. */
  *changedFacts(): Iterable<CaseFacts> {
    for (const [id, f] of this.facts) {
      const was = this.before.get(id);
      if (!was || !sameFacts(was, f)) yield f;
    }
  }
}

/** CaseFacts hold only primitives: equal field by field is equal. */
export function sameFacts(a: CaseFacts, b: CaseFacts): boolean {
  for (const k in a) if (a[k as keyof CaseFacts] !== b[k as keyof CaseFacts]) return false;
  for (const k in b) if (!(k in a)) return false;
  return true;
}

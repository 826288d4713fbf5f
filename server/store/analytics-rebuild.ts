/** Shared by both stores: folding events into facts and rollup rows, in memory (rebuild, bulk loads). */
import type { CaseFacts } from '#common/analytics/facts';
import { foldFacts } from '#common/analytics/facts';
import type { RollupRow } from '#common/analytics/rollup';
import { rollupDelta, settleContribution } from '#common/analytics/rollup';
import type { Incident } from '#common/incidents/types';

/** The deadline a due, not yet closed case is counted on (rows of ranges ending after now leave it out). */
export function openDueMs(f: CaseFacts): number | null {
  return f.closedMs === null && settleContribution(f) !== null ? f.dueMs : null;
}

export class RollupFold {
  readonly facts = new Map<string, CaseFacts>();
  readonly rows = new Map<string, RollupRow>();
  /** Facts before this fold touched them, by id (null: new), for writing only what changed. */
  readonly before = new Map<string, CaseFacts | null>();

  constructor(
    private readonly rootRegionId: string,
    private readonly load: (id: string) => CaseFacts | null = () => null,
  ) {}

  apply(incident: Incident, atMs: number): void {
    const id = incident.id;
    let prev = this.facts.get(id);
    if (prev === undefined) {
      prev = this.load(id) ?? undefined;
      this.before.set(id, prev ?? null);
    }
    const next = foldFacts(prev ?? null, incident, atMs, this.rootRegionId);
    rollupDelta(prev ?? null, next, this.rows);
    this.facts.set(id, next);
  }
}

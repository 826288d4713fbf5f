import { isUnacknowledgedAlert } from '#common/incidents/alerting';
import type { Incident } from '#common/incidents/types';

/** What the incident feed shows: the alerts nobody acknowledged (flagged, first), then the rest, capped. */
export interface FeedView {
  unacked: ReadonlySet<string>;
  rows: readonly Incident[];
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((id) => b.has(id));
const sameRows = (a: readonly Incident[], b: readonly Incident[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The feed at the screen's instant `now` (the wall clock live, the replayed instant in replay: stores/clock.ts).
 * When nothing shown changed since `prev` (the same incident objects in the same order, the same flags), `prev`
 * itself comes back, so a computed holding it does not notify and the list is not re-rendered: a scrub that moves
 * nothing in the top rows, or the clock's tick, costs no render. Pure.
 */
export function feedView(list: readonly Incident[], now: number, max: number, prev?: FeedView): FeedView {
  const unacked = new Set<string>();
  for (const i of list) if (isUnacknowledgedAlert(i, now)) unacked.add(i.id);
  const rows: Incident[] = [];
  for (const i of list) if (unacked.has(i.id) && rows.length < max) rows.push(i);
  for (const i of list) {
    if (rows.length >= max) break;
    if (!unacked.has(i.id)) rows.push(i);
  }
  if (prev && sameSet(prev.unacked, unacked) && sameRows(prev.rows, rows)) return prev;
  return { unacked, rows };
}

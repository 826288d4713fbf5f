import type { Incident } from '#common/incidents/types';
import { TERMINAL_STATUSES } from '#common/incidents/types';

/**
 * Incidents the client holds, keyed by id, newest first. Reducers here change `state` in place and touch
 * nothing else (no I/O, no clock), so unit tests drive them directly and the store wraps them in a
 * shallowRef without copying a thousand entries per change.
 */
export interface IncidentsState {
  byId: Map<string, Incident>;
  /** Seq of the last change applied to each incident: pushes from several nodes may arrive out of order. */
  seqById: Map<string, number>;
  /** Ids, most recently reported first. */
  order: string[];
  /** Highest seq applied. */
  seq: number;
  /** Hard cap: a wall screen runs for weeks. */
  cap: number;
}

export const DEFAULT_CAP = 1000;
/** A dispatcher's console works every open case of the scope: room for 5,000 open ones and some finished. */
export const STAFF_CAP = 6000;

export function initialIncidents(cap = DEFAULT_CAP): IncidentsState {
  return { byId: new Map(), seqById: new Map(), order: [], seq: 0, cap };
}

/** Newest first; ids (which grow with the log) break ties between incidents reported in the same instant. */
function newerFirst(a: Incident, b: Incident): number {
  if (a.reportedAt !== b.reportedAt) return a.reportedAt < b.reportedAt ? 1 : -1;
  // Ids end in a growing number: the longer one is newer, else the larger string.
  if (a.id.length !== b.id.length) return b.id.length - a.id.length;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function applySnapshot(s: IncidentsState, seq: number, incidents: Incident[]): void {
  const sorted = [...incidents].sort(newerFirst);
  s.byId = new Map(sorted.map((i) => [i.id, i]));
  s.seqById = new Map(sorted.map((i) => [i.id, seq]));
  s.order = sorted.map((i) => i.id);
  s.seq = seq;
  evict(s);
}

/** Apply one pushed or replayed change; false when that incident already reflects it (seq not newer). */
export function applyChange(s: IncidentsState, seq: number, incident: Incident): boolean {
  if (seq <= (s.seqById.get(incident.id) ?? 0)) return false;
  if (seq > s.seq) s.seq = seq;
  const known = s.byId.has(incident.id);
  s.byId.set(incident.id, incident);
  s.seqById.set(incident.id, seq);
  if (!known) insertOrdered(s, incident);
  evict(s);
  return true;
}

/** Move the applied seq forward past changes that were not in scope (delta head). */
export function advanceSeq(s: IncidentsState, seq: number): void {
  if (seq > s.seq) s.seq = seq;
}

function insertOrdered(s: IncidentsState, incident: Incident): void {
  // New incidents are nearly always the newest: scan from the front.
  let i = 0;
  while (i < s.order.length && newerFirst(s.byId.get(s.order[i]!)!, incident) < 0) i++;
  s.order.splice(i, 0, incident.id);
}

/**
 * Over the cap: drop the oldest finished cases first, then the oldest of any kind, down to 90 % of the cap,
 * so that a stream of new incidents at the cap costs one scan per cap/10 changes, not one per change.
 */
function evict(s: IncidentsState): void {
  if (s.order.length <= s.cap) return;
  let excess = s.order.length - (s.cap - Math.floor(s.cap / 10));
  for (let i = s.order.length - 1; i >= 0 && excess > 0; i--) {
    const inc = s.byId.get(s.order[i]!)!;
    if (TERMINAL_STATUSES.includes(inc.status)) {
      s.byId.delete(inc.id);
      s.seqById.delete(inc.id);
      s.order.splice(i, 1);
      excess--;
    }
  }
  while (excess-- > 0) {
    const id = s.order.pop()!;
    s.byId.delete(id);
    s.seqById.delete(id);
  }
}

export function isOpen(incident: Incident): boolean {
  return !TERMINAL_STATUSES.includes(incident.status);
}

import type { Incident, Kpis } from '#common/incidents/types';
import { isOpenState, kpisAt, sortNewest, type ReplayChange, type ReplayDayResponse } from '#common/replay/fold';

/** Every this many changes the timeline keeps a full copy of the state, so a scrub applies at most this many. */
export const CHECKPOINT_EVERY = 500;

/**
 * A day of the event log, ready to scrub: the changes in time order and checkpoints of the whole state (every
 * incident by id, open or not). Built once per day fetched; `stateAt` answers any instant of the day by the
 * nearest checkpoint before it plus the few changes after. Pure: no I/O, no clock.
 */
export interface ReplayTimeline {
  fromMs: number;
  toMs: number;
  changes: ReplayChange[];
  /** checkpoints[k]: the state after changes[0 .. k·CHECKPOINT_EVERY) (checkpoints[0] is the day's base). */
  checkpoints: Map<string, Incident>[];
}

export function buildTimeline(day: Pick<ReplayDayResponse, 'from' | 'to' | 'base' | 'changes'>): ReplayTimeline {
  const changes = [...day.changes].sort((a, b) => a.at - b.at || a.seq - b.seq);
  const state = new Map<string, Incident>();
  for (const c of day.base) state.set(c.incident.id, c.incident);
  const checkpoints = [new Map(state)];
  changes.forEach((c, i) => {
    state.set(c.incident.id, c.incident);
    if ((i + 1) % CHECKPOINT_EVERY === 0) checkpoints.push(new Map(state));
  });
  return { fromMs: Date.parse(day.from), toMs: Date.parse(day.to), changes, checkpoints };
}

/** How many changes happened at or before `atMs` (binary search). */
export function changesUpTo(t: ReplayTimeline, atMs: number): number {
  let lo = 0;
  let hi = t.changes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (t.changes[mid]!.at <= atMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Every incident's state at `atMs` (a fresh map the caller may keep). */
export function stateAt(t: ReplayTimeline, atMs: number): Map<string, Incident> {
  const n = changesUpTo(t, atMs);
  const k = Math.min(Math.floor(n / CHECKPOINT_EVERY), t.checkpoints.length - 1);
  const state = new Map(t.checkpoints[k]!);
  for (let i = k * CHECKPOINT_EVERY; i < n; i++) {
    const c = t.changes[i]!;
    state.set(c.incident.id, c.incident);
  }
  return state;
}

/** What the screen shows at `atMs`: the open incidents (newest first) and the KPIs then. */
export function frameAt(t: ReplayTimeline, atMs: number): { open: Incident[]; kpis: Kpis; seq: number } {
  const state = stateAt(t, atMs);
  const n = changesUpTo(t, atMs);
  return { open: sortNewest([...state.values()].filter(isOpenState)), kpis: kpisAt(state.values(), atMs), seq: n > 0 ? t.changes[n - 1]!.seq : 0 };
}

/** Every version of every incident the day holds (its base, then each change): the places the map may show. */
export function dayVersions(t: ReplayTimeline): Incident[] {
  return [...t.checkpoints[0]!.values(), ...t.changes.map((c) => c.incident)];
}

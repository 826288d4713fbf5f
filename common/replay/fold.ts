import type { Incident, Kpis } from '../incidents/types.ts';
import { TERMINAL_STATUSES } from '../incidents/types.ts';
import { startOfCstDay } from '../time.ts';

/** One change of the event log as replay needs it: the incident's whole state after the change. */
export interface ReplayChange {
  seq: number;
  /** Epoch ms of the change. */
  at: number;
  incident: Incident;
}

/** `GET /api/replay?regionId&at`: the incidents open at `at`, each as it was then. */
export interface ReplayAtResponse {
  regionId: string;
  at: string;
  /** Seq of the newest change at or before `at` (0: none). */
  seq: number;
  incidents: Incident[];
  kpis: Kpis;
}

/** `GET /api/replay/day?regionId&day`: the state at the day's start and every change of the day, in order. */
export interface ReplayDayResponse {
  regionId: string;
  /** YYYY-MM-DD (China Standard Time). */
  day: string;
  from: string;
  to: string;
  base: ReplayChange[];
  changes: ReplayChange[];
  /** True when the day had more changes than one answer carries (the rest is left out). */
  truncated: boolean;
}


export const isOpenState = (i: Incident) => !TERMINAL_STATUSES.includes(i.status);

/**
 * The latest state of each incident at or before `atMs`, from changes in any order (the newest seq wins).
 * Pure: the server folds the rows it read, the tests fold hand-made logs.
 */
export function foldAt(changes: Iterable<ReplayChange>, atMs: number): Map<string, ReplayChange> {
  const latest = new Map<string, ReplayChange>();
  for (const c of changes) {
    if (c.at > atMs) continue;
    const had = latest.get(c.incident.id);
    if (!had || c.seq > had.seq) latest.set(c.incident.id, c);
  }
  return latest;
}

/** The incidents open at `atMs`, newest reported first. */
export function openAt(changes: Iterable<ReplayChange>, atMs: number): Incident[] {
  return sortNewest([...foldAt(changes, atMs).values()].map((c) => c.incident).filter(isOpenState));
}

export function sortNewest(list: Incident[]): Incident[] {
  return list.sort((a, b) => (a.reportedAt !== b.reportedAt ? (a.reportedAt < b.reportedAt ? 1 : -1) : a.id < b.id ? 1 : -1));
}

/**
 * The header KPIs as they stood at `atMs`, from the states then (`states`: every incident known at that
 * instant, open or not). Reported and closed "today" count from the CST day's start.
 */
export function kpisAt(states: Iterable<Incident>, atMs: number): Kpis {
  const midnight = startOfCstDay(atMs);
  const k: Kpis = { reportedToday: 0, open: 0, urgentOpen: 0, overdue: 0, closedToday: 0 };
  for (const i of states) {
    if (Date.parse(i.reportedAt) >= midnight) k.reportedToday++;
    if (isOpenState(i)) {
      k.open++;
      if (i.severity === 'high' || i.severity === 'critical') k.urgentOpen++;
      if (i.dueAt !== null && Date.parse(i.dueAt) < atMs) k.overdue++;
    } else if (i.status === 'closed' && Date.parse(i.updatedAt) >= midnight) k.closedToday++;
  }
  return k;
}

import type { Incident, IncidentStatus, Severity, SourceKind } from '#common/incidents/types';
import { isOpen } from './incidents-reducer';

/**
 * The console queue as pure functions: which tab an incident is in, whether it passes the filters and the
 * search, and the order. No clock of its own: `now` is passed in, so tests and the benchmark drive it.
 */
export const QUEUE_TABS = ['intake', 'toDispatch', 'inHand', 'toCheck', 'overdue'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];
export type QueueSort = 'sla' | 'severity' | 'time';

const TAB_OF: Partial<Record<IncidentStatus, QueueTab>> = {
  reported: 'intake',
  verifying: 'intake',
  filed: 'toDispatch',
  dispatched: 'inHand',
  in_progress: 'inHand',
  feedback: 'toCheck',
  checking: 'toCheck',
};

export interface QueueFilters {
  severity: Severity[];
  category: string[];
  source: SourceKind[];
  /** A region id; an incident matches when its grid lies in it (hierarchical codes: prefix). */
  regionId: string | null;
  assigneeId: string | null;
  /** Only incidents assigned to `me` (the signed-in user's worker id or user id). */
  mine: boolean;
  search: string;
}

export function emptyFilters(): QueueFilters {
  return { severity: [], category: [], source: [], regionId: null, assigneeId: null, mine: false, search: '' };
}

export function isOverdue(i: Pick<Incident, 'dueAt' | 'status'>, now: number): boolean {
  return i.dueAt !== null && isOpen(i as Incident) && Date.parse(i.dueAt) <= now;
}

/** The tab of an open incident (overdue wins over its stage); null for a finished one. */
export function tabOf(i: Incident, now: number): QueueTab | null {
  if (!isOpen(i)) return null;
  if (isOverdue(i, now)) return 'overdue';
  return TAB_OF[i.status] ?? null;
}

export function countTabs(list: readonly Incident[], now: number): Record<QueueTab, number> {
  const out = { intake: 0, toDispatch: 0, inHand: 0, toCheck: 0, overdue: 0 };
  for (const i of list) {
    const t = tabOf(i, now);
    if (t) out[t]++;
  }
  return out;
}

/** Case-insensitive match of every whitespace-separated term against id, title or address. */
export function matchesSearch(i: Incident, search: string): boolean {
  const terms = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!terms.length) return true;
  const hay = `${i.id}\n${i.title}\n${i.address ?? ''}`.toLowerCase();
  return terms.every((t) => hay.includes(t));
}

export function matchesFilters(i: Incident, f: QueueFilters, me: string | null): boolean {
  if (f.severity.length && !f.severity.includes(i.severity)) return false;
  if (f.category.length && !f.category.includes(i.category)) return false;
  if (f.source.length && !f.source.includes(i.source)) return false;
  if (f.regionId && !(i.gridId ?? '').startsWith(f.regionId)) return false;
  if (f.assigneeId && i.assigneeId !== f.assigneeId) return false;
  if (f.mine && (me === null || i.assigneeId !== me)) return false;
  return matchesSearch(i, f.search);
}

const SEV_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Milliseconds of SLA left; Infinity when no clock runs (not dispatched yet). */
export function slaLeft(i: Pick<Incident, 'dueAt'>, now: number): number {
  return i.dueAt === null ? Infinity : Date.parse(i.dueAt) - now;
}

/** Comparators; ties fall back to newest first, then id, so the order is stable across renders. */
export function compareBy(sort: QueueSort, now: number): (a: Incident, b: Incident) => number {
  const newest = (a: Incident, b: Incident) =>
    a.reportedAt === b.reportedAt ? (a.id < b.id ? 1 : a.id > b.id ? -1 : 0) : a.reportedAt < b.reportedAt ? 1 : -1;
  if (sort === 'time') return newest;
  if (sort === 'severity') return (a, b) => SEV_RANK[b.severity] - SEV_RANK[a.severity] || newest(a, b);
  return (a, b) => {
    const la = slaLeft(a, now);
    const lb = slaLeft(b, now);
    if (la !== lb) return la === Infinity ? 1 : lb === Infinity ? -1 : la - lb;
    return SEV_RANK[b.severity] - SEV_RANK[a.severity] || newest(a, b);
  };
}

/** The queue: open incidents of one tab, filtered, searched and sorted. */
export function buildQueue(
  list: readonly Incident[],
  tab: QueueTab,
  filters: QueueFilters,
  sort: QueueSort,
  me: string | null,
  now: number,
): Incident[] {
  const out: Incident[] = [];
  for (const i of list) if (tabOf(i, now) === tab && matchesFilters(i, filters, me)) out.push(i);
  return out.sort(compareBy(sort, now));
}

export type SlaLevel = 'none' | 'ok' | 'warn' | 'overdue';

/**
 * Where an incident is on its SLA ladder: amber from 80 % of the time between dispatch (`startAt`) and the
 * deadline, red once past it. Without a known start the warning begins one fifth of an hour before.
 */
export function slaLevel(i: Pick<Incident, 'dueAt'>, now: number, startAt: string | null = null): SlaLevel {
  if (i.dueAt === null) return 'none';
  const due = Date.parse(i.dueAt);
  if (now >= due) return 'overdue';
  const start = startAt ? Date.parse(startAt) : due - 5 * 3_600_000;
  return now >= start + 0.8 * (due - start) ? 'warn' : 'ok';
}

/** Countdown text pieces: sign and h:mm:ss (days when over 24 h), for both locales to word. */
export function formatCountdown(ms: number): { overdue: boolean; text: string } {
  const overdue = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const hms = `${h}:${pad(m)}:${pad(sec)}`;
  return { overdue, text: d ? `${d}d ${hms}` : hms };
}

/**
 * Filters and tab from the console's address (/console?regionId&assigneeId&category&source&tab), as the leader
 * view links them: unknown values are dropped, nothing else is read.
 */
export function filtersFromQuery(q: Record<string, unknown>): { filters: QueueFilters; tab: QueueTab | null } | null {
  const str = (k: string) => (typeof q[k] === 'string' && (q[k] as string).length <= 64 ? (q[k] as string) : null);
  const regionId = str('regionId');
  const assigneeId = str('assigneeId');
  const category = str('category');
  const source = str('source');
  const tab = str('tab');
  if (!regionId && !assigneeId && !category && !source && !tab) return null;
  const f = emptyFilters();
  if (regionId && /^\d{6,15}$/.test(regionId)) f.regionId = regionId;
  if (assigneeId) f.assigneeId = assigneeId;
  if (category) f.category = [category];
  if (source && (['hotline', 'iot', 'video', 'patrol', 'open311', 'manual'] as readonly string[]).includes(source)) f.source = [source as SourceKind];
  return { filters: f, tab: tab && (QUEUE_TABS as readonly string[]).includes(tab) ? (tab as QueueTab) : null };
}

/**
 * Case indicators (DESIGN "Incident lifecycle"; CJ/T 292-style evaluation).
 *
 * Definitions, for a period P = [from, to) evaluated at `now`:
 * - deadline: the incident's `dueAt` (set at dispatch, kept through rework, cleared by
 *   return). Cases never dispatched (and rejected ones) have none and are never due.
 * - closedAt: time of the last `check_pass` (fallback `updatedAt` for a closed case without
 *   history).
 * - settles at: the earlier of closedAt and the deadline; a case is DUE (应结案) in P when
 *   it settles inside P, no later than `now`: i.e. within P its deadline passed or it was
 *   closed, whichever came first. So each dispatched case is due in exactly one period.
 * - CLOSED: due in P and closed before the end of P (and before `now`).
 * - CLOSED ON TIME: closed, and its resolution (the last `submit_feedback`, the one the check
 *   passed; fallback closedAt) was at or before the deadline. The SLA limit runs from
 *   dispatch to feedback; the check is not the handler's time.
 * - REWORKED: due in P and reworked at least once (any time).
 * - 结案率 = closed / due; 按期结案率 = closed on time / due; 返工率 = reworked / due
 *   (null when nothing is due).
 * - OVERDUE: a snapshot at `now`, independent of P: cases whose SLA clock runs
 *   (dispatched, in_progress) and whose deadline has passed.
 */
import type { HistoryEntry } from './history.ts';
import { countOf, lastEntryOf } from './history.ts';
import { SLA_RUNNING_STATUSES } from './lifecycle.ts';
import { isOverdue } from './sla.ts';
import type { Incident } from './types.ts';

export interface CaseRecord {
  incident: Incident;
  /** The incident's history, in time order. */
  history: readonly HistoryEntry[];
}

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
}

export interface CaseIndicators {
  due: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  /** Rework actions on the due cases (a case reworked twice counts 2). */
  reworkEvents: number;
  overdue: number;
  /** 结案率 */
  closureRate: number | null;
  /** 按期结案率 */
  onTimeClosureRate: number | null;
  /** 返工率 */
  reworkRate: number | null;
}

/** Open, with the SLA clock running, and past the deadline. */
export function isIncidentOverdue(incident: Pick<Incident, 'status' | 'dueAt'>, now: Date): boolean {
  return SLA_RUNNING_STATUSES.includes(incident.status) && isOverdue(incident.dueAt, now);
}

function closedAtMs(c: CaseRecord): number | null {
  if (c.incident.status !== 'closed') return null;
  const e = lastEntryOf(c.history, 'check_pass');
  return Date.parse(e ? e.at : c.incident.updatedAt);
}

export function computeIndicators(cases: readonly CaseRecord[], period: Period, now: Date): CaseIndicators {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const nowMs = now.getTime();
  let due = 0;
  let closed = 0;
  let closedOnTime = 0;
  let reworked = 0;
  let reworkEvents = 0;
  let overdue = 0;
  for (const c of cases) {
    if (isIncidentOverdue(c.incident, now)) overdue++;
    if (c.incident.dueAt === null) continue;
    const deadline = Date.parse(c.incident.dueAt);
    const closedAt = closedAtMs(c);
    const settles = closedAt === null ? deadline : Math.min(closedAt, deadline);
    if (settles < from || settles >= to || settles > nowMs) continue;
    due++;
    const reworks = countOf(c.history, 'rework');
    reworkEvents += reworks;
    if (reworks > 0) reworked++;
    if (closedAt !== null && closedAt < to && closedAt <= nowMs) {
      closed++;
      const feedback = lastEntryOf(c.history, 'submit_feedback');
      const resolvedAt = feedback ? Date.parse(feedback.at) : closedAt;
      if (resolvedAt <= deadline) closedOnTime++;
    }
  }
  const rate = (n: number): number | null => (due === 0 ? null : n / due);
  return {
    due,
    closed,
    closedOnTime,
    reworked,
    reworkEvents,
    overdue,
    closureRate: rate(closed),
    onTimeClosureRate: rate(closedOnTime),
    reworkRate: rate(reworked),
  };
}

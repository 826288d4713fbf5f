/**
 * The second incident of a two-incident action (lifecycle.ts decides the first):
 *   merge  the target keeps the absorbed incident's reports: its report count grows, its severity is the
 *          higher of the two, and its history says which incident it absorbed;
 *   split  the report that leaves becomes a new incident (`reported`), whose history says where it came from.
 * Pure, like lifecycle.ts; the store moves the report rows in the same transaction.
 */
import type { HistoryEntry } from './history.ts';
import type { Actor } from './lifecycle.ts';
import type { Incident, IncidentReport, Severity } from './types.ts';
import { CASE_FLOW_DEFAULTS, SEVERITIES, TERMINAL_STATUSES } from './types.ts';

export type CaseOpResult =
  | { ok: true; incident: Incident; event: HistoryEntry }
  | { ok: false; error: { code: 'incident/bad_target'; message: string } };

const maxSeverity = (a: Severity, b: Severity): Severity => (SEVERITIES.indexOf(a) >= SEVERITIES.indexOf(b) ? a : b);

/** `target` after absorbing `absorbed` (already decided by applyAction 'merge'). */
export function absorbInto(target: Incident, absorbed: Incident, actor: Actor, note: string | null, now: Date): CaseOpResult {
  if (target.id === absorbed.id) return { ok: false, error: { code: 'incident/bad_target', message: 'An incident cannot be merged into itself.' } };
  if (TERMINAL_STATUSES.includes(target.status)) {
    return { ok: false, error: { code: 'incident/bad_target', message: `Incident ${target.id} is ${target.status}: merge into an open incident.` } };
  }
  const at = now.toISOString();
  const incident: Incident = {
    ...target,
    reportCount: target.reportCount + absorbed.reportCount,
    severity: maxSeverity(target.severity, absorbed.severity),
    updatedAt: at,
  };
  const event: HistoryEntry = {
    incidentId: target.id,
    at,
    actorId: actor.id,
    actorRole: actor.role,
    action: 'merge',
    from: target.status,
    to: target.status,
    note,
    assigneeId: target.assigneeId,
    dueAt: target.dueAt,
    relatedIncidentId: absorbed.id,
  };
  return { ok: true, incident, event };
}

/** The new incident a split-off report becomes; `gridId` is the grid containing the report's location. */
export function splitOff(
  from: Incident,
  report: IncidentReport,
  newId: string,
  gridId: string | null,
  actor: Actor,
  note: string | null,
  now: Date,
): { incident: Incident; event: HistoryEntry } {
  const at = now.toISOString();
  const incident: Incident = {
    id: newId,
    source: report.source,
    connectorId: report.connectorId,
    externalId: report.externalId,
    category: report.category,
    // A report keeps no severity or text of its own: the case it came from is the best estimate, and a
    // dispatcher verifies the new case anyway.
    severity: from.severity,
    title: report.title,
    description: '',
    location: report.location,
    address: null,
    gridId,
    status: 'reported',
    reportedAt: report.reportedAt,
    updatedAt: at,
    dueAt: null,
    reporter: null,
    assigneeId: null,
    reportCount: 1,
    ...CASE_FLOW_DEFAULTS,
    assistingPartyIds: [],
  };
  const event: HistoryEntry = {
    incidentId: newId,
    at,
    actorId: actor.id,
    actorRole: actor.role,
    action: 'split',
    from: 'reported',
    to: 'reported',
    note,
    assigneeId: null,
    dueAt: null,
    relatedIncidentId: from.id,
    ...(report.id ? { reportId: report.id } : {}),
  };
  return { incident, event };
}

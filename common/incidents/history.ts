import type { Role } from '../auth/types.ts';
import type { IncidentStatus, SlaStage } from './types.ts';
import type { Verdict } from './verdict.ts';
import type { LocateInfo } from '../ingest/parked.ts';

/** The actor id and role of changes the server makes by itself (the SLA ladder). */
export const SYSTEM_ACTOR = 'system';

/** What a user can do to an incident; the rules are in lifecycle.ts. */
export const INCIDENT_ACTIONS = [
  'verify',
  'file',
  'reject',
  'dispatch',
  'return',
  'accept',
  'report_progress',
  'submit_feedback',
  'start_check',
  'check_pass',
  'rework',
  'urge',
  'request_extension',
  'approve_extension',
  'refuse_extension',
  'merge',
  'split',
  'acknowledge',
  'escalate',
  'record_verdict',
  'revisit_rework',
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** One change of an incident's case flow, kept forever (the full history of the case). */
export interface HistoryEntry {
  incidentId: string;
  /** ISO-8601 (UTC, `toISOString()`). */
  at: string;
  actorId: string;
  /** `system` for the SLA ladder's `escalate`. */
  actorRole: Role | 'system';
  /** `locate`: not a user's action but a record of how an address-only report got its place (no status change). */
  action: IncidentAction | 'locate';
  from: IncidentStatus;
  /** Equal to `from` for `report_progress`. */
  to: IncidentStatus;
  /** Citizen-visible or internal note; untrusted text, never rendered as HTML. */
  note: string | null;
  /** The incident's assignee after the change. */
  assigneeId: string | null;
  /** The incident's SLA deadline after the change. */
  dueAt: string | null;
  /** Assisting parties after a `dispatch` or `rework` (co-dispatch): each party's part of the case. */
  assistingPartyIds?: string[];
  /** The other incident of a `merge` (target, or the absorbed one) or `split` (new one, or where it came from). */
  relatedIncidentId?: string;
  /** The report moved by a `split`. */
  reportId?: string;
  /** The ladder step an `escalate` applied. */
  slaStage?: SlaStage;
  /** The resident's verdict a `record_verdict` or `revisit_rework` recorded (回访). */
  verdict?: Verdict;
  /** How a `locate` placed the report: gazetteer match and score, or a dispatcher's click on the map. */
  locate?: LocateInfo;
  /** Incident version after the change. */
  version?: number;
}

/** Who changed an incident last and how: what a refused stale action (409 `incident/conflict`) names. */
export interface LastChange {
  /** A case-flow action, or `report_merged` when another upstream report of the same happening arrived. */
  action: IncidentAction | 'report_merged' | 'locate';
  /** A user id, `system` (SLA ladder) or, for `report_merged`, the connector that delivered the report. */
  actorId: string;
  /** The acting user's display name, when the actor is a user. */
  actorName?: string;
  at: string;
}

/** The last entry of `action` in a history, or undefined. Histories are in time order. */
export function lastEntryOf(history: readonly HistoryEntry[], action: IncidentAction): HistoryEntry | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i];
    if (e && e.action === action) return e;
  }
  return undefined;
}

/** How many times `action` occurs in a history. */
export function countOf(history: readonly HistoryEntry[], action: IncidentAction): number {
  let n = 0;
  for (const e of history) if (e.action === action) n++;
  return n;
}

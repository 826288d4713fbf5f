import type { Role } from '../auth/types.ts';
import type { IncidentStatus } from './types.ts';

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
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** One change of an incident's case flow, kept forever (the full history of the case). */
export interface HistoryEntry {
  incidentId: string;
  /** ISO-8601 (UTC, `toISOString()`). */
  at: string;
  actorId: string;
  actorRole: Role;
  action: IncidentAction;
  from: IncidentStatus;
  /** Equal to `from` for `report_progress`. */
  to: IncidentStatus;
  /** Citizen-visible or internal note; untrusted text, never rendered as HTML. */
  note: string | null;
  /** The incident's assignee after the change. */
  assigneeId: string | null;
  /** The incident's SLA deadline after the change. */
  dueAt: string | null;
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

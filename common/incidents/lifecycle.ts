/**
 * The incident case flow as a pure state machine (DESIGN "Incident lifecycle"):
 *
 *   verify           reported    → verifying      dispatcher, leader, admin
 *   file             verifying   → filed          dispatcher, leader, admin
 *   reject           verifying   → rejected       dispatcher, leader, admin   (note)
 *   dispatch         filed       → dispatched     dispatcher, leader, admin   (assignee)
 *   return           dispatched  → filed          dispatcher, leader, admin, assigned worker (note)
 *   accept           dispatched  → in_progress    assigned worker, admin
 *   report_progress  in_progress → in_progress    assigned worker, admin      (note)
 *   submit_feedback  in_progress → feedback       assigned worker, admin
 *   start_check      feedback    → checking       dispatcher, leader, admin
 *   check_pass       checking    → closed         dispatcher, leader, admin
 *   rework           checking    → dispatched     dispatcher, leader, admin   (note; may reassign)
 *
 * `wall` never acts. A worker acts only on incidents assigned to them; dispatchers and
 * leaders do not act for workers (admin can do everything).
 *
 * SLA: the clock starts at `dispatch` (dueAt = computeDueAt(category, now)). `return`
 * clears assignee and deadline (the next dispatch starts a fresh clock). `rework` does
 * NOT restart the clock: the deadline stays the one set at dispatch, so work redone after
 * the deadline is overdue at once, and 按期结案率 cannot be rescued by a rework; the
 * rework itself is counted by the rework rate.
 */
import type { Role } from '../auth/types.ts';
import { isAssignedTo } from '../dispatch/identity.ts';
import { categoryByCode } from './categories.ts';
import type { HistoryEntry, IncidentAction } from './history.ts';
import { INCIDENT_ACTIONS } from './history.ts';
import { computeDueAt, DEFAULT_WORK_CALENDAR } from './sla.ts';
import type { WorkCalendar } from './sla.ts';
import type { Incident, IncidentStatus } from './types.ts';

export interface Actor {
  id: string;
  role: Role;
  /** A worker account's linked roster worker: cases assigned to either id are theirs (dispatch/identity.ts). */
  workerId?: string | null;
}

export interface ActionInput {
  note?: string | null;
  assigneeId?: string | null;
}

export interface ActionRule {
  from: readonly IncidentStatus[];
  /** `null`: the status stays (report_progress). */
  to: IncidentStatus | null;
  /** A `worker` may act only on incidents assigned to them; `wall` never acts. */
  roles: readonly Role[];
  noteRequired: boolean;
  /** `required`: input.assigneeId must be given; `optional`: may reassign (rework). */
  assignee: 'none' | 'required' | 'optional';
}

const DESK: readonly Role[] = ['admin', 'leader', 'dispatcher'];
const FIELD: readonly Role[] = ['admin', 'worker'];

export const ACTION_RULES: Readonly<Record<IncidentAction, ActionRule>> = {
  verify: { from: ['reported'], to: 'verifying', roles: DESK, noteRequired: false, assignee: 'none' },
  file: { from: ['verifying'], to: 'filed', roles: DESK, noteRequired: false, assignee: 'none' },
  reject: { from: ['verifying'], to: 'rejected', roles: DESK, noteRequired: true, assignee: 'none' },
  dispatch: { from: ['filed'], to: 'dispatched', roles: DESK, noteRequired: false, assignee: 'required' },
  return: { from: ['dispatched'], to: 'filed', roles: [...DESK, 'worker'], noteRequired: true, assignee: 'none' },
  accept: { from: ['dispatched'], to: 'in_progress', roles: FIELD, noteRequired: false, assignee: 'none' },
  report_progress: { from: ['in_progress'], to: null, roles: FIELD, noteRequired: true, assignee: 'none' },
  submit_feedback: { from: ['in_progress'], to: 'feedback', roles: FIELD, noteRequired: false, assignee: 'none' },
  start_check: { from: ['feedback'], to: 'checking', roles: DESK, noteRequired: false, assignee: 'none' },
  check_pass: { from: ['checking'], to: 'closed', roles: DESK, noteRequired: false, assignee: 'none' },
  rework: { from: ['checking'], to: 'dispatched', roles: DESK, noteRequired: true, assignee: 'optional' },
};

export const MAX_NOTE_LENGTH = 2000;

/** SLA used when an incident's category code is unknown: one working day. */
export const FALLBACK_SLA = { slaHours: 7, workingHours: true } as const;

export type IncidentErrorCode =
  | 'incident/unknown_action'
  | 'incident/forbidden'
  | 'incident/invalid_transition'
  | 'incident/note_required'
  | 'incident/note_too_long'
  | 'incident/assignee_required';

export type ApplyResult =
  | { ok: true; incident: Incident; event: HistoryEntry }
  | { ok: false; error: { code: IncidentErrorCode; message: string } };

export interface ApplyOptions {
  calendar?: WorkCalendar;
}

function fail(code: IncidentErrorCode, message: string): ApplyResult {
  return { ok: false, error: { code, message } };
}

export function isIncidentAction(value: unknown): value is IncidentAction {
  return typeof value === 'string' && (INCIDENT_ACTIONS as readonly string[]).includes(value);
}

/** Role (and, for workers, assignment) check only; the status is not looked at. */
export function mayAct(incident: Pick<Incident, 'assigneeId'>, action: IncidentAction, actor: Actor): boolean {
  if (!ACTION_RULES[action].roles.includes(actor.role)) return false;
  return actor.role !== 'worker' || isAssignedTo(incident.assigneeId, actor);
}

/** Actions `actor` may take on `incident` now (inputs aside): the buttons to show. */
export function availableActions(incident: Pick<Incident, 'assigneeId' | 'status'>, actor: Actor): IncidentAction[] {
  return INCIDENT_ACTIONS.filter(
    (a) => mayAct(incident, a, actor) && ACTION_RULES[a].from.includes(incident.status),
  );
}

/**
 * Apply one action. Checks, in order: known action; role (and a worker's assignment) →
 * `incident/forbidden`, checked before the status so an unauthorised caller learns nothing
 * of the case; status → `incident/invalid_transition`; inputs → `incident/note_required`,
 * `incident/note_too_long`, `incident/assignee_required`. Never mutates its arguments.
 */
export function applyAction(
  incident: Incident,
  action: IncidentAction,
  actor: Actor,
  input: ActionInput,
  now: Date,
  options: ApplyOptions = {},
): ApplyResult {
  if (!isIncidentAction(action)) return fail('incident/unknown_action', `unknown action: ${String(action)}`);
  const rule = ACTION_RULES[action];
  if (!rule.roles.includes(actor.role)) {
    return fail('incident/forbidden', `role ${actor.role} may not ${action}`);
  }
  if (actor.role === 'worker' && !isAssignedTo(incident.assigneeId, actor)) {
    return fail('incident/forbidden', `incident ${incident.id} is not assigned to ${actor.id}`);
  }
  if (!rule.from.includes(incident.status)) {
    return fail('incident/invalid_transition', `cannot ${action} an incident in status ${incident.status}`);
  }
  const note = input.note?.trim() || null;
  if (rule.noteRequired && note === null) return fail('incident/note_required', `${action} needs a note`);
  if (note !== null && note.length > MAX_NOTE_LENGTH) {
    return fail('incident/note_too_long', `note longer than ${MAX_NOTE_LENGTH} characters`);
  }
  const givenAssignee = input.assigneeId?.trim() || null;

  const at = now.toISOString();
  const next: Incident = { ...incident, status: rule.to ?? incident.status, updatedAt: at };
  switch (action) {
    case 'dispatch': {
      if (givenAssignee === null) return fail('incident/assignee_required', 'dispatch needs an assignee');
      const sla = categoryByCode(incident.category) ?? FALLBACK_SLA;
      next.assigneeId = givenAssignee;
      next.dueAt = computeDueAt(sla, now, options.calendar ?? DEFAULT_WORK_CALENDAR).toISOString();
      break;
    }
    case 'rework': {
      const assignee = givenAssignee ?? incident.assigneeId;
      if (assignee === null) return fail('incident/assignee_required', 'rework needs an assignee');
      next.assigneeId = assignee;
      break;
    }
    case 'return':
      next.assigneeId = null;
      next.dueAt = null;
      break;
    default:
      break;
  }
  const event: HistoryEntry = {
    incidentId: incident.id,
    at,
    actorId: actor.id,
    actorRole: actor.role,
    action,
    from: incident.status,
    to: next.status,
    note,
    assigneeId: next.assigneeId,
    dueAt: next.dueAt,
  };
  return { ok: true, incident: next, event };
}

/** Statuses during which the SLA clock runs (the case is with the handler). */
export const SLA_RUNNING_STATUSES: readonly IncidentStatus[] = ['dispatched', 'in_progress'];

/** Open311 `open`/`closed` projection of the case flow. */
export function toOpen311Status(status: IncidentStatus): 'open' | 'closed' {
  return status === 'closed' || status === 'rejected' ? 'closed' : 'open';
}

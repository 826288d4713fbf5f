/**
 * The incident case flow as a pure state machine (DESIGN "Incident lifecycle"):
 *
 *   verify             reported    → verifying      dispatcher, leader, admin
 *   file               verifying   → filed          dispatcher, leader, admin
 *   reject             verifying   → rejected       dispatcher, leader, admin   (note)
 *   dispatch           filed       → dispatched     dispatcher, leader, admin   (assignee; assisting parties)
 *   return             dispatched  → filed          dispatcher, leader, admin, assigned worker (note)
 *   accept             dispatched  → in_progress    assigned worker, admin
 *   report_progress    in_progress → in_progress    assigned worker, admin      (note)
 *   submit_feedback    in_progress → feedback       assigned worker, admin
 *   start_check        feedback    → checking       dispatcher, leader, admin
 *   check_pass         checking    → closed         dispatcher, leader, admin
 *   rework             checking    → dispatched     dispatcher, leader, admin   (note; may reassign, may change parties)
 *   urge (督办)        filed … checking  → same     dispatcher, leader, admin   (note)
 *   request_extension  dispatched | in_progress → same   assigned worker, admin (note = reason; dueAt proposed, optional;
 *                                                                               none pending)
 *   approve_extension  dispatched | in_progress → same   dispatcher, leader, admin (dueAt required, in the future;
 *                                                                               one pending)
 *   refuse_extension   dispatched | in_progress → same   dispatcher, leader, admin (note; one pending)
 *   merge              any open    → rejected       dispatcher, leader, admin   (targetId: that incident keeps the reports)
 *   split              any open    → same           dispatcher, leader, admin   (reportId; at least two reports)
 *   acknowledge        any open    → same           dispatcher, leader, admin   (the new-incident alert was seen)
 *   escalate           dispatched | in_progress → same   the server only (SLA ladder, escalation.ts); nobody by request
 *   record_verdict     closed      → closed         dispatcher, leader, admin   (回访: verdict 满意 | 基本满意; the server for
 *                                                                               the hotline callback and the feedback link)
 *   revisit_rework     closed      → dispatched     dispatcher, leader, admin   (发回重办: verdict 不满意; same assignee, the
 *                                                                               deadline set at dispatch stays, as for rework)
 *
 * `wall` never acts. A worker acts only on incidents assigned to them; dispatchers and
 * leaders do not act for workers (admin can do everything).
 *
 * SLA: the clock starts at `dispatch` (dueAt = computeDueAt(category, now)). `return`
 * clears assignee, parties and deadline (the next dispatch starts a fresh clock). `rework` does
 * NOT restart the clock: the deadline stays the one set at dispatch, so work redone after
 * the deadline is overdue at once, and 按期结案率 cannot be rescued by a rework; the
 * rework itself is counted by the rework rate. An approved extension is a new deadline: the
 * ladder (`slaStage`) starts again for it. Every change written raises `version` (the store does).
 */
import type { Role } from '../auth/types.ts';
import { isAssignedTo } from '../dispatch/identity.ts';
import { categoryByCode } from './categories.ts';
import type { HistoryEntry, IncidentAction } from './history.ts';
import { INCIDENT_ACTIONS } from './history.ts';
import { computeDueAt, DEFAULT_WORK_CALENDAR } from './sla.ts';
import type { WorkCalendar } from './sla.ts';
import type { Incident, IncidentStatus } from './types.ts';
import type { Verdict } from './verdict.ts';

export interface Actor {
  id: string;
  role: Role;
  /** A worker account's linked roster worker: cases assigned to either id are theirs (dispatch/identity.ts). */
  workerId?: string | null;
}

export interface ActionInput {
  note?: string | null;
  assigneeId?: string | null;
  /** The version the caller acted on; a stale one is refused (checked by the server under the row lock). */
  version?: number;
  /** Co-dispatch: parties assisting the lead assignee (dispatch, rework). */
  assistingPartyIds?: readonly string[];
  /** ISO-8601: the proposed (request_extension) or granted (approve_extension) deadline. */
  dueAt?: string | null;
  /** merge: the incident that keeps the reports. */
  targetId?: string | null;
  /** split: the report that leaves. */
  reportId?: string | null;
  /** record_verdict / revisit_rework: the resident's answer and the channel it came by. */
  verdict?: Pick<Verdict, 'result' | 'channel'> | null;
}

/** What an action needs of the incident beyond its status. */
export type Precondition = 'none' | 'no_pending_extension' | 'pending_extension' | 'several_reports';

export interface ActionRule {
  from: readonly IncidentStatus[];
  /** `null`: the status stays. */
  to: IncidentStatus | null;
  /** A `worker` may act only on incidents assigned to them; `wall` never acts; `[]`: only the server. */
  roles: readonly Role[];
  noteRequired: boolean;
  /** `required`: input.assigneeId must be given; `optional`: may reassign (rework). */
  assignee: 'none' | 'required' | 'optional';
  /** Whether input.dueAt is taken. */
  dueAt: 'none' | 'optional' | 'required';
  requires: Precondition;
}

const DESK: readonly Role[] = ['admin', 'leader', 'dispatcher'];
const FIELD: readonly Role[] = ['admin', 'worker'];
const OPEN: readonly IncidentStatus[] = ['reported', 'verifying', 'filed', 'dispatched', 'in_progress', 'feedback', 'checking'];
const RUNNING: readonly IncidentStatus[] = ['dispatched', 'in_progress'];
const rule = (
  from: readonly IncidentStatus[],
  to: IncidentStatus | null,
  roles: readonly Role[],
  more: Partial<Pick<ActionRule, 'noteRequired' | 'assignee' | 'dueAt' | 'requires'>> = {},
): ActionRule => ({ from, to, roles, noteRequired: false, assignee: 'none', dueAt: 'none', requires: 'none', ...more });

export const ACTION_RULES: Readonly<Record<IncidentAction, ActionRule>> = {
  verify: rule(['reported'], 'verifying', DESK),
  file: rule(['verifying'], 'filed', DESK),
  reject: rule(['verifying'], 'rejected', DESK, { noteRequired: true }),
  dispatch: rule(['filed'], 'dispatched', DESK, { assignee: 'required' }),
  return: rule(['dispatched'], 'filed', [...DESK, 'worker'], { noteRequired: true }),
  accept: rule(['dispatched'], 'in_progress', FIELD),
  report_progress: rule(['in_progress'], null, FIELD, { noteRequired: true }),
  submit_feedback: rule(['in_progress'], 'feedback', FIELD),
  start_check: rule(['feedback'], 'checking', DESK),
  check_pass: rule(['checking'], 'closed', DESK),
  rework: rule(['checking'], 'dispatched', DESK, { noteRequired: true, assignee: 'optional' }),
  urge: rule(['filed', 'dispatched', 'in_progress', 'feedback', 'checking'], null, DESK, { noteRequired: true }),
  request_extension: rule(RUNNING, null, FIELD, { noteRequired: true, dueAt: 'optional', requires: 'no_pending_extension' }),
  approve_extension: rule(RUNNING, null, DESK, { dueAt: 'required', requires: 'pending_extension' }),
  refuse_extension: rule(RUNNING, null, DESK, { noteRequired: true, requires: 'pending_extension' }),
  merge: rule(OPEN, 'rejected', DESK),
  split: rule(OPEN, null, DESK, { requires: 'several_reports' }),
  acknowledge: rule(OPEN, null, DESK),
  escalate: rule(RUNNING, null, []),
  record_verdict: rule(['closed'], null, DESK),
  revisit_rework: rule(['closed'], 'dispatched', DESK),
};

/** Assisting parties one case may have (co-dispatch). */
export const MAX_ASSISTING_PARTIES = 10;

export const MAX_NOTE_LENGTH = 2000;

/** SLA used when an incident's category code is unknown: one working day. */
export const FALLBACK_SLA = { slaHours: 7, workingHours: true } as const;

export type IncidentErrorCode =
  | 'incident/unknown_action'
  | 'incident/forbidden'
  | 'incident/invalid_transition'
  | 'incident/note_required'
  | 'incident/note_too_long'
  | 'incident/assignee_required'
  | 'incident/extension_pending'
  | 'incident/no_extension'
  | 'incident/single_report'
  | 'incident/due_at_required'
  | 'incident/bad_due_at'
  | 'incident/target_required'
  | 'incident/report_required'
  | 'incident/too_many_parties'
  | 'incident/verdict_required';

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

type Guarded = Pick<Incident, 'assigneeId' | 'status' | 'extension' | 'reportCount'>;

/** Why the incident's state (beyond its status) does not allow the action, or null. */
function preconditionError(incident: Guarded, action: IncidentAction): ApplyResult | null {
  switch (ACTION_RULES[action].requires) {
    case 'no_pending_extension':
      return incident.extension ? fail('incident/extension_pending', 'An extension request is already pending.') : null;
    case 'pending_extension':
      return incident.extension ? null : fail('incident/no_extension', 'No extension request is pending.');
    case 'several_reports':
      return incident.reportCount >= 2 ? null : fail('incident/single_report', 'Only an incident of several reports can be split.');
    default:
      return null;
  }
}

/** Actions `actor` may take on `incident` now (inputs aside): the buttons to show. */
export function availableActions(incident: Guarded, actor: Actor): IncidentAction[] {
  return INCIDENT_ACTIONS.filter(
    (a) => mayAct(incident, a, actor) && ACTION_RULES[a].from.includes(incident.status) && !preconditionError(incident, a),
  );
}

/** A trimmed, de-duplicated party list, or an error. */
function partiesOf(input: ActionInput): string[] | ApplyResult {
  const ids = [...new Set((input.assistingPartyIds ?? []).map((p) => p.trim()).filter(Boolean))];
  if (ids.length > MAX_ASSISTING_PARTIES) return fail('incident/too_many_parties', `At most ${MAX_ASSISTING_PARTIES} assisting parties.`);
  return ids;
}

/**
 * Apply one action. Checks, in order: known action; role (and a worker's assignment) →
 * `incident/forbidden`, checked before the status so an unauthorised caller learns nothing
 * of the case; status → `incident/invalid_transition`; the incident's state →
 * `incident/extension_pending`, `incident/no_extension`, `incident/single_report`; inputs →
 * `incident/note_required`, `incident/note_too_long`, `incident/assignee_required`, … .
 * Never mutates its arguments. `merge` and `split` change a second incident too: see case-ops.ts.
 * The version is not touched here: the store raises it when it writes.
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
  const unmet = preconditionError(incident, action);
  if (unmet) return unmet;
  const note = input.note?.trim() || null;
  if (rule.noteRequired && note === null) return fail('incident/note_required', `${action} needs a note`);
  if (note !== null && note.length > MAX_NOTE_LENGTH) {
    return fail('incident/note_too_long', `note longer than ${MAX_NOTE_LENGTH} characters`);
  }
  const givenAssignee = input.assigneeId?.trim() || null;
  const givenDue = input.dueAt ? Date.parse(input.dueAt) : null;
  if (rule.dueAt === 'required' && givenDue === null) return fail('incident/due_at_required', `${action} needs a new deadline (dueAt)`);
  if (rule.dueAt !== 'none' && givenDue !== null && !(givenDue > now.getTime())) {
    return fail('incident/bad_due_at', 'dueAt must be a date in the future');
  }

  const at = now.toISOString();
  const next: Incident = { ...incident, status: rule.to ?? incident.status, updatedAt: at };
  const extra: Partial<HistoryEntry> = {};
  switch (action) {
    case 'dispatch': {
      if (givenAssignee === null) return fail('incident/assignee_required', 'dispatch needs an assignee');
      const parties = partiesOf(input);
      if (!Array.isArray(parties)) return parties;
      const sla = categoryByCode(incident.category) ?? FALLBACK_SLA;
      next.assigneeId = givenAssignee;
      next.assistingPartyIds = parties;
      next.dueAt = computeDueAt(sla, now, options.calendar ?? DEFAULT_WORK_CALENDAR).toISOString();
      next.slaStage = null;
      extra.assistingPartyIds = parties;
      break;
    }
    case 'rework': {
      const assignee = givenAssignee ?? incident.assigneeId;
      if (assignee === null) return fail('incident/assignee_required', 'rework needs an assignee');
      const parties = input.assistingPartyIds === undefined ? incident.assistingPartyIds : partiesOf(input);
      if (!Array.isArray(parties)) return parties;
      next.assigneeId = assignee;
      next.assistingPartyIds = parties;
      extra.assistingPartyIds = parties;
      break;
    }
    case 'return':
      next.assigneeId = null;
      next.assistingPartyIds = [];
      next.dueAt = null;
      next.slaStage = null;
      next.extension = null;
      break;
    case 'request_extension':
      next.extension = {
        requestedBy: actor.id,
        requestedAt: at,
        reason: note ?? '',
        proposedDueAt: givenDue === null ? null : new Date(givenDue).toISOString(),
      };
      break;
    case 'approve_extension':
      // A new deadline: the ladder starts again for it.
      next.dueAt = new Date(givenDue!).toISOString();
      next.extension = null;
      next.slaStage = null;
      break;
    case 'refuse_extension':
      next.extension = null;
      break;
    case 'merge': {
      const target = input.targetId?.trim() || null;
      if (target === null) return fail('incident/target_required', 'merge needs the incident to merge into (targetId)');
      next.mergedInto = target;
      next.extension = null;
      extra.relatedIncidentId = target;
      break;
    }
    case 'split': {
      const reportId = input.reportId?.trim() || null;
      if (reportId === null) return fail('incident/report_required', 'split needs the report that leaves (reportId)');
      next.reportCount = incident.reportCount - 1;
      extra.reportId = reportId;
      break;
    }
    case 'record_verdict':
    case 'revisit_rework': {
      // 不满意 is always 发回重办 and only it is: the verdict decides which of the two actions applies.
      const v = input.verdict;
      if (!v || (v.result === 'unsatisfied') !== (action === 'revisit_rework')) {
        return fail('incident/verdict_required', action === 'revisit_rework' ? 'revisit_rework needs an unsatisfied verdict' : 'record_verdict needs a satisfied or basically satisfied verdict');
      }
      next.verdict = { result: v.result, channel: v.channel, at };
      extra.verdict = next.verdict;
      break;
    }
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
    ...extra,
  };
  return { ok: true, incident: next, event };
}

/** Statuses during which the SLA clock runs (the case is with the handler). */
export const SLA_RUNNING_STATUSES: readonly IncidentStatus[] = ['dispatched', 'in_progress'];

/** Open311 `open`/`closed` projection of the case flow. */
export function toOpen311Status(status: IncidentStatus): 'open' | 'closed' {
  return status === 'closed' || status === 'rejected' ? 'closed' : 'open';
}

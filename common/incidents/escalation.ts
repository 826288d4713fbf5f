/**
 * The SLA escalation ladder (DESIGN "Who takes the work"), a pure rule run by the server from stored state:
 *
 *   step       when                              who is told
 *   reminded   50 % of the limit has passed      the assignee (and staff in scope)
 *   warned     80 % of the limit has passed      dispatchers in scope (row and map ring amber)
 *   overdue    past the deadline (dueAt)         督办: leaders in scope, with dispatchers and admins
 *
 * The limit is the category's SLA, counted back from the current deadline: for a dispatched case that is
 * exactly the time since dispatch; after an approved extension (a new deadline, `slaStage` reset) the
 * ladder runs again over the last stretch of the same length before the new deadline. Working-hour
 * categories measure it in working time of the calendar (sla.ts), so nothing moves over a weekend or a
 * holiday; 24/7 categories in wall-clock time. `overdue` is wall-clock: strictly after dueAt, as the KPI.
 * Only dispatched and in-progress cases climb (the clock runs while the case is with its handler).
 */
import { categoryByCode } from './categories.ts';
import { SYSTEM_ACTOR, type HistoryEntry } from './history.ts';
import { FALLBACK_SLA, SLA_RUNNING_STATUSES } from './lifecycle.ts';
import { workingTimeBetween, type WorkCalendar } from './sla.ts';
import { SLA_STAGES, type Incident, type SlaStage } from './types.ts';

export const LADDER: readonly { stage: SlaStage; share: number }[] = [
  { stage: 'reminded', share: 0.5 },
  { stage: 'warned', share: 0.8 },
  { stage: 'overdue', share: 1 },
];

const HOUR = 3_600_000;

/** -1 for no stage, else its index in SLA_STAGES. */
export const stageRank = (stage: SlaStage | null): number => (stage === null ? -1 : SLA_STAGES.indexOf(stage));

/** Time of the limit still ahead of `now`: working time for working-hour categories. */
function remainingOfLimit(incident: Pick<Incident, 'category' | 'dueAt'>, now: Date, calendar: WorkCalendar): { remaining: number; limit: number } {
  const sla = categoryByCode(incident.category) ?? FALLBACK_SLA;
  const due = new Date(incident.dueAt!);
  const limit = sla.slaHours * HOUR;
  const remaining = sla.workingHours ? workingTimeBetween(now, due, calendar) : Math.max(0, due.getTime() - now.getTime());
  return { remaining, limit };
}

/**
 * The highest ladder step reached at `now` that the incident has not had yet, or null. When the server
 * was down past several steps only the highest is due (a reminder after the deadline tells nobody anything).
 * `calendar` has no default: it must be the one the deadline was computed with (the server's live calendar,
 * admin-entered years included), or a holiday an admin added would count as working time on the ladder.
 */
export function dueEscalation(
  incident: Pick<Incident, 'status' | 'category' | 'dueAt' | 'slaStage'>,
  now: Date,
  calendar: WorkCalendar,
): SlaStage | null {
  if (!SLA_RUNNING_STATUSES.includes(incident.status) || incident.dueAt === null) return null;
  let reached: SlaStage | null = null;
  if (now.getTime() > Date.parse(incident.dueAt)) reached = 'overdue';
  else {
    const { remaining, limit } = remainingOfLimit(incident, now, calendar);
    for (const step of LADDER) if (step.share < 1 && limit - remaining >= step.share * limit) reached = step.stage;
  }
  return stageRank(reached) > stageRank(incident.slaStage) ? reached : null;
}

/** The `escalate` step the server writes (actor `system`): the stage is recorded on the incident and in history. */
export function applyEscalation(incident: Incident, stage: SlaStage, now: Date): { incident: Incident; event: HistoryEntry } {
  const at = now.toISOString();
  return {
    incident: { ...incident, slaStage: stage, updatedAt: at },
    event: {
      incidentId: incident.id,
      at,
      actorId: SYSTEM_ACTOR,
      actorRole: 'system',
      action: 'escalate',
      from: incident.status,
      to: incident.status,
      note: null,
      assigneeId: incident.assigneeId,
      dueAt: incident.dueAt,
      slaStage: stage,
    },
  };
}

import type { Role } from '#common/auth/types';
import { isWithinScope } from '#common/geo/types';
import { absorbInto, splitOff } from '#common/incidents/case-ops';
import { applyEscalation, dueEscalation } from '#common/incidents/escalation';
import type { HistoryEntry, IncidentAction, LastChange } from '#common/incidents/history';
import { applyAction, type ActionInput } from '#common/incidents/lifecycle';
import type { WorkCalendar } from '#common/incidents/sla';
import type { Incident, IncidentChange, SlaStage } from '#common/incidents/types';
import type { RawWorker } from '../geo/grid-facts.ts';
import type { Regions } from '../geo/regions.ts';
import type { CaseOpResult, Store, TransitionResult } from '../store/types.ts';
import { linkedWorkerId } from '../dispatch/identity.ts';
import { isAssignedTo } from '#common/dispatch/identity';

export interface Actor {
  id: string;
  role: Role;
  /** Root of the actor's scope. */
  regionId: string;
  /** Linked roster worker of a worker account; looked up when not given (server/dispatch/identity.ts). */
  workerId?: string | null;
}

export interface ActError {
  code: string;
  message: string;
  /** incident/conflict: the incident as it is now (the caller projects it) and who changed it last, how. */
  current?: Incident;
  lastChange?: LastChange;
}

export type ActResult =
  | { ok: true; incident: Incident; entry: HistoryEntry; changes: IncidentChange[] }
  | { ok: false; error: ActError };

/** A step of the SLA ladder or an urge (督办), for the sockets of the people it concerns (realtime/index.ts). */
export interface EscalationNotice {
  incident: Incident;
  stage: SlaStage | 'urged';
  at: string;
}

/** Who a case is sent to: the lead assignee and the assisting parties. */
const holdersOf = (i: Incident): string[] => [i.assigneeId, ...(i.assistingPartyIds ?? [])].filter((x): x is string => !!x);

/**
 * A case taken back from someone (returned, reassigned on rework) is pushed to them too: the rooms of its
 * region may not hold their socket (a case sent to a worker in a neighbour's grid), and without the push
 * their phone keeps listing it as theirs.
 */
function withFormerHolders(changes: IncidentChange[], before: Incident | null): IncidentChange[] {
  if (!before) return changes;
  return changes.map((c) => {
    if (c.incident.id !== before.id) return c;
    const now = new Set(holdersOf(c.incident));
    const former = holdersOf(before).filter((h) => !now.has(h));
    return former.length ? { ...c, formerHolders: former } : c;
  });
}

/** History actions that leave a case's stage, holders and deadline as they were (see onlyAddedSince). */
const ADDS_ONLY: ReadonlySet<string> = new Set(['acknowledge', 'escalate', 'urge']);

/** Party ids look like this until the party registry is wired in (`partyExists`). */
const PARTY_ID = /^[A-Za-z0-9_-]{1,64}$/;

const refuse = (code: string, message: string) => ({ ok: false as const, error: { code, message } });

/**
 * The case flow as a service: every step goes through the lifecycle rules (common/incidents/lifecycle.ts),
 * is decided on the locked current state (scope, then version, then rules) and written with its history
 * entry in one transaction, then published like any other change.
 */
export function createIncidentService(deps: {
  store: Store;
  regions: Regions;
  workers: readonly RawWorker[];
  publish: (changes: IncidentChange[]) => void;
  /** Pushes of the SLA ladder and of urges; none when absent. */
  notify?: (notice: EscalationNotice) => void;
  /** Whether a party of the registry has this id (co-dispatch); by default any well-formed id. */
  /** Whether party `id` exists and is visible within `scope` (a caller cannot co-dispatch a party outside it). */
  partyExists?: (id: string, scope: string) => Promise<boolean>;
  /** The clock (tests move it); the wall clock by default. */
  now?: () => Date;
  /** The live work calendar (chinese-days + admin-entered years, server/calendar): deadlines and the SLA ladder. */
  calendar: () => WorkCalendar;
}) {
  const { store, regions, publish } = deps;
  const clock = deps.now ?? (() => new Date());
  const partyExists = deps.partyExists ?? (async (id: string, _scope: string) => PARTY_ID.test(id));
  const rosterById = new Map(deps.workers.map((w) => [w.id, w]));
  const inScope = (incident: Incident, actor: Actor) => isWithinScope(incident.gridId ?? regions.root.id, actor.regionId);
  const notFound = (id: string) => refuse('incident/not_found', `No incident ${id} in your scope.`);

  async function act(id: string, action: IncidentAction, actor: Actor, input: ActionInput, now = clock()): Promise<ActResult> {
    const assignee = input.assigneeId?.trim();
    if (assignee && !(await knownAssignee(assignee, actor.regionId))) {
      return refuse('incident/unknown_assignee', `No grid worker ${assignee} in your scope.`);
    }
    const workerId = actor.workerId !== undefined ? actor.workerId : await linkedWorkerId(store, actor);
    for (const party of input.assistingPartyIds ?? []) {
      if (!(await partyExists(party.trim(), actor.regionId))) return refuse('incident/unknown_party', `No party ${party} in your scope.`);
    }
    let seen: Incident | null = null;
    /** The acted-on incident as it was before the step: whom it was sent to (see formerHolders below). */
    let before: Incident | null = null;
    /** Scope (out of scope reads as not found) and version, on the locked row; null when both hold. */
    const check = (current: Incident, version = input.version) => {
      before = current;
      // Out of scope reads as not found: a caller learns nothing of cases outside their region. A case sent to
      // a worker is theirs wherever it lies (a neighbour's grid, when they were the best candidate).
      const sentToThem = actor.role === 'worker' && isAssignedTo(current.assigneeId, { id: actor.id, workerId });
      if (!sentToThem && !inScope(current, actor)) return notFound(id);
      if (version !== undefined && current.version !== version) {
        seen = current;
        return refuse('incident/conflict', `Incident ${id} changed (version ${current.version}, you acted on ${version}).`);
      }
      return null;
    };
    const actorRef = { id: actor.id, role: actor.role, workerId };

    let result: TransitionResult | CaseOpResult | null;
    if (action === 'merge' && input.targetId?.trim()) {
      const targetId = input.targetId.trim();
      result = await store.incidents.merge(
        id,
        targetId,
        (source, target) => {
          const refused = check(source);
          if (refused) return refused;
          if (!inScope(target, actor)) return refuse('incident/bad_target', `No incident ${targetId} in your scope.`);
          const s = applyAction(source, 'merge', actorRef, input, now);
          if (!s.ok) return s;
          const t = absorbInto(target, source, actorRef, s.event.note, now);
          if (!t.ok) return t;
          return { ok: true, source: { incident: s.incident, entry: s.event }, target: { incident: t.incident, entry: t.event } };
        },
        now,
      );
      if (!result && (await store.incidents.get(id))) return refuse('incident/bad_target', `No incident ${targetId} in your scope.`);
    } else if (action === 'split' && input.reportId?.trim()) {
      const reportId = input.reportId.trim();
      result = await store.incidents.split(
        id,
        reportId,
        (current, report, newId) => {
          const refused = check(current);
          if (refused) return refused;
          const s = applyAction(current, 'split', actorRef, input, now);
          if (!s.ok) return s;
          if (!report) return refuse('incident/unknown_report', `Incident ${id} has no report ${reportId}.`);
          const created = splitOff(current, report, newId, regions.grids.locate(report.location.lng, report.location.lat), actorRef, s.event.note, now);
          const entry = { ...s.event, relatedIncidentId: newId };
          return { ok: true, source: { incident: s.incident, entry }, created: { incident: created.incident, entry: created.event } };
        },
        now,
      );
    } else {
      const step = (given: ActionInput) =>
        store.incidents.transition(
          id,
          (current) => {
            const refused = check(current, given.version);
            if (refused) return refused;
            const r = applyAction(current, action, actorRef, given, now, { calendar: deps.calendar() });
            return r.ok ? { ok: true, incident: r.incident, entry: r.event } : r;
          },
          now,
        );
      result = await step(input);
      // A worker's step queued offline on the version they saw: what happened since may only have added to the
      // case (a caller's report merged in, a desk acknowledge, a ladder step, an urge, their own queued steps).
      // Then it is not "the case moved on": the step is decided again, by the same rules, on the case as it is;
      // if that is refused too, the answer stays the conflict (with the case as it is and who changed it).
      const stale = seen as Incident | null; // set by check() inside the transaction
      if (result && !result.ok && result.error.code === 'incident/conflict' && stale && actor.role === 'worker' && input.version !== undefined) {
        if (await onlyAddedSince(id, input.version, stale.version, actor.id)) {
          const again = await step({ ...input, version: stale.version });
          // Changed once more meanwhile: that conflict (`seen` is the newer case); refused by the rules: the first.
          if (again && (again.ok || again.error.code === 'incident/conflict')) result = again;
        }
      }
    }
    if (!result) return notFound(id);
    if (!result.ok) {
      if (result.error.code !== 'incident/conflict' || !seen) return result;
      return { ok: false, error: { ...result.error, current: seen, lastChange: await lastChangeOf(seen) } };
    }
    const entry = 'entries' in result ? result.entries[0]! : result.entry;
    const changes = withFormerHolders('changes' in result ? result.changes : [result.change], before);
    publish(changes);
    const incident = changes[0]!.incident;
    if (action === 'urge') deps.notify?.({ incident, stage: 'urged', at: entry.at });
    return { ok: true, incident, entry, changes };
  }

  /** The SLA ladder step due for incident `id` at `now`, written once: a second node or a rerun finds it done. */
  async function escalate(id: string, now = clock()): Promise<SlaStage | null> {
    let stage: SlaStage | null = null;
    const result = await store.incidents.transition(
      id,
      (current) => {
        stage = dueEscalation(current, now, deps.calendar());
        if (!stage) return refuse('incident/escalation_done', 'No ladder step is due.');
        const step = applyEscalation(current, stage, now);
        return { ok: true, incident: step.incident, entry: step.event };
      },
      now,
    );
    if (!result?.ok || !stage) return null;
    publish([result.change]);
    deps.notify?.({ incident: result.change.incident, stage, at: result.entry.at });
    return stage;
  }

  /**
   * Whether every change of incident `id` after version `from` up to `to` only added to the case: a report merged
   * in by ingest (a version without a history entry), an acknowledge, a ladder step, an urge, the absorbing side
   * of a merge, or a step of `actorId`'s own. Entries written before versions were recorded answer no.
   */
  async function onlyAddedSince(id: string, from: number, to: number, actorId: string): Promise<boolean> {
    if (!(to > from)) return false;
    const history = await store.incidents.history(id);
    if (history.some((e) => e.version === undefined)) return false;
    const byVersion = new Map(history.map((e) => [e.version!, e]));
    for (let v = from + 1; v <= to; v++) {
      const e = byVersion.get(v);
      if (e && !ADDS_ONLY.has(e.action) && !(e.action === 'merge' && e.from === e.to) && e.actorId !== actorId) return false;
    }
    return true;
  }

  /** Who changed `current` to its version: its last history entry, or the last report merged into it. */
  async function lastChangeOf(current: Incident): Promise<LastChange> {
    const history = await store.incidents.history(current.id);
    const last = history.at(-1);
    if (last && (last.version === current.version || (last.version === undefined && last.at === current.updatedAt))) {
      const user = last.actorId === 'system' ? null : await store.users.byId(last.actorId);
      return { action: last.action, actorId: last.actorId, ...(user ? { actorName: user.displayName } : {}), at: last.at };
    }
    const report = (await store.incidents.reports(current.id)).at(-1);
    return { action: 'report_merged', actorId: report?.connectorId ?? 'unknown', at: current.updatedAt };
  }

  /** A grid worker of the roster, or a user account with the worker role, inside the actor's scope. */
  async function knownAssignee(id: string, scope: string): Promise<boolean> {
    const w = rosterById.get(id);
    if (w) return isWithinScope(w.gridId, scope) || isWithinScope(w.regionId, scope);
    const user = await store.users.byId(id);
    return !!user && user.role === 'worker' && isWithinScope(user.regionId, scope);
  }

  return { act, escalate, now: clock, roster: deps.workers };
}

export type IncidentService = ReturnType<typeof createIncidentService>;

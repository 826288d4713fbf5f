import type { Role } from '#common/auth/types';
import { isWithinScope } from '#common/geo/types';
import type { IncidentAction } from '#common/incidents/history';
import { applyAction, type ActionInput } from '#common/incidents/lifecycle';
import type { IncidentChange } from '#common/incidents/types';
import type { RawWorker } from '../geo/grid-facts.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store, TransitionResult } from '../store/types.ts';
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

export type ActResult = TransitionResult | { ok: false; error: { code: 'incident/not_found' | 'incident/unknown_assignee'; message: string } };

/**
 * The case flow as a service: every step goes through the lifecycle rules (common/incidents/lifecycle.ts),
 * is written with its history entry in one transaction, and is published like any other change.
 */
export function createIncidentService(deps: {
  store: Store;
  regions: Regions;
  workers: readonly RawWorker[];
  publish: (changes: IncidentChange[]) => void;
}) {
  const { store, regions, publish } = deps;
  const rosterById = new Map(deps.workers.map((w) => [w.id, w]));

  async function act(id: string, action: IncidentAction, actor: Actor, input: ActionInput, now = new Date()): Promise<ActResult> {
    const assignee = input.assigneeId?.trim();
    if (assignee && !(await knownAssignee(assignee, actor.regionId))) {
      return { ok: false, error: { code: 'incident/unknown_assignee', message: `No grid worker ${assignee} in your scope.` } };
    }
    const workerId = actor.workerId !== undefined ? actor.workerId : await linkedWorkerId(store, actor);
    const result = await store.incidents.transition(
      id,
      (current) => {
        // Out of scope reads as not found: a caller learns nothing of cases outside their region. A case sent to
        // a worker is theirs wherever it lies (a neighbour's grid, when they were the best candidate).
        const sentToThem = actor.role === 'worker' && isAssignedTo(current.assigneeId, { id: actor.id, workerId });
        if (!sentToThem && !isWithinScope(current.gridId ?? regions.root.id, actor.regionId)) {
          return { ok: false, error: { code: 'incident/not_found', message: `No incident ${id} in your scope.` } };
        }
        const r = applyAction(current, action, { id: actor.id, role: actor.role, workerId }, input, now);
        return r.ok ? { ok: true, incident: r.incident, entry: r.event } : r;
      },
      now,
    );
    if (!result) return { ok: false, error: { code: 'incident/not_found', message: `No incident ${id} in your scope.` } };
    if (result.ok) publish([result.change]);
    return result;
  }

  /** A grid worker of the roster, or a user account with the worker role, inside the actor's scope. */
  async function knownAssignee(id: string, scope: string): Promise<boolean> {
    const w = rosterById.get(id);
    if (w) return isWithinScope(w.gridId, scope) || isWithinScope(w.regionId, scope);
    const user = await store.users.byId(id);
    return !!user && user.role === 'worker' && isWithinScope(user.regionId, scope);
  }

  return { act, roster: deps.workers };
}

export type IncidentService = ReturnType<typeof createIncidentService>;

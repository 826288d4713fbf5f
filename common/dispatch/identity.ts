/**
 * One mapping between a roster grid worker (geo/data/workers.json) and the `worker` account linked to it
 * (`PublicUser.workerId`): a case assigned to roster worker W is the case of the account with workerId W,
 * and a case assigned to that account's own id is too.
 */
export interface AssigneeIdentity {
  /** The account id (or a roster id when acting as one). */
  id: string;
  /** The roster worker this account is; null/absent when not linked. */
  workerId?: string | null;
}

/** True when `assigneeId` names this actor, by account id or by its linked roster worker id. */
export function isAssignedTo(assigneeId: string | null, actor: AssigneeIdentity): boolean {
  if (assigneeId === null) return false;
  return assigneeId === actor.id || (!!actor.workerId && assigneeId === actor.workerId);
}

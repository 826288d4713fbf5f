import type { Role } from '#common/auth/types';
import type { Store } from '../store/types.ts';

/**
 * The roster worker a `worker` account is linked to (users.worker_id), read from the store on every action so
 * a link made or changed after the token was issued counts at once; null for other roles and unlinked accounts.
 * With it, common/dispatch/identity.ts `isAssignedTo` accepts a case assigned to either id.
 */
export async function linkedWorkerId(store: Store, actor: { id: string; role: Role }): Promise<string | null> {
  if (actor.role !== 'worker') return null;
  return (await store.users.byId(actor.id))?.workerId ?? null;
}

/** Every id a roster worker's cases may be assigned under: the roster id and its linked accounts' ids. */
export function assigneeIdsByWorker(rosterIds: readonly string[], users: readonly { id: string; workerId: string | null }[]): Map<string, string[]> {
  const out = new Map<string, string[]>(rosterIds.map((id) => [id, [id]]));
  for (const u of users) if (u.workerId && out.has(u.workerId)) out.get(u.workerId)!.push(u.id);
  return out;
}

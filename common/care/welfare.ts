/**
 * Who takes a welfare task (关爱探访逾期): the grid's own worker, the one on duty first, then by roster id, so
 * every node sweeping at once picks the same person. Community staff based at the grid only when the grid has
 * no grid worker. Null: nobody to send it to (the desk dispatches it).
 */
import { onDutyAt, shiftPatternOf } from '../dispatch/shifts.ts';
import type { RosterWorker } from '../geo/types.ts';

export function welfareAssignee(roster: readonly Pick<RosterWorker, 'id' | 'gridId' | 'role' | 'shift'>[], gridId: string, now: Date): string | null {
  const mine = roster.filter((w) => w.gridId === gridId);
  const pool = mine.some((w) => w.role === 'grid_worker') ? mine.filter((w) => w.role === 'grid_worker') : mine;
  const ranked = [...pool].sort((a, b) => Number(onDutyAt(shiftPatternOf(b), now)) - Number(onDutyAt(shiftPatternOf(a), now)) || a.id.localeCompare(b.id));
  return ranked[0]?.id ?? null;
}

/** The case-flow steps from where an incident stands to dispatched (verify, file, dispatch); null past dispatch. */
export function nextWelfareStep(status: string): 'verify' | 'file' | 'dispatch' | null {
  return status === 'reported' ? 'verify' : status === 'verifying' ? 'file' : status === 'filed' ? 'dispatch' : null;
}

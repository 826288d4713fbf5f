/** Pure logic of the grid worker's task list (client/views/mobile): whose a case is, its order, its distance. */
import { isAssignedTo, type AssigneeIdentity } from '../dispatch/identity.ts';
import type { LngLat } from '../geo/types.ts';
import type { Incident } from '../incidents/types.ts';
import { TERMINAL_STATUSES } from '../incidents/types.ts';

export type TaskRole = 'lead' | 'assisting';

/** Whether the case is this worker's: 'lead' when assigned to them, 'assisting' when they assist, else null. */
export function taskRoleOf(incident: Pick<Incident, 'assigneeId' | 'assistingPartyIds' | 'status'>, me: AssigneeIdentity): TaskRole | null {
  if (TERMINAL_STATUSES.includes(incident.status)) return null;
  return sentTo(incident, me);
}

/** Like taskRoleOf, whatever the status (a closed case stays readable by whoever worked it). */
export function sentTo(incident: Pick<Incident, 'assigneeId' | 'assistingPartyIds'>, me: AssigneeIdentity): TaskRole | null {
  if (isAssignedTo(incident.assigneeId, me)) return 'lead';
  const ids = incident.assistingPartyIds ?? [];
  if (ids.includes(me.id) || (!!me.workerId && ids.includes(me.workerId))) return 'assisting';
  return null;
}

/** Statuses in which the case waits on the worker (the SLA clock runs). */
const WITH_WORKER = new Set(['dispatched', 'in_progress']);

/**
 * Order of the task list: cases waiting on the worker first, by SLA time left (overdue first, most overdue
 * at the top); cases without a deadline after them; then those back with the desk (feedback, checking).
 */
export function compareTasks(a: Incident, b: Incident): number {
  const wa = WITH_WORKER.has(a.status) ? 0 : 1;
  const wb = WITH_WORKER.has(b.status) ? 0 : 1;
  if (wa !== wb) return wa - wb;
  const da = a.dueAt ? Date.parse(a.dueAt) : Infinity;
  const db = b.dueAt ? Date.parse(b.dueAt) : Infinity;
  if (da !== db) return da - db;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function myTasks(incidents: Iterable<Incident>, me: AssigneeIdentity): Incident[] {
  const out: Incident[] = [];
  for (const i of incidents) if (taskRoleOf(i, me)) out.push(i);
  return out.sort(compareTasks);
}

/** Time left as a short countdown: { overdue, h, m, s }; null without a deadline. */
export function countdown(dueAt: string | null, now: number): { overdue: boolean; h: number; m: number; s: number } | null {
  if (!dueAt) return null;
  const left = Date.parse(dueAt) - now;
  const abs = Math.floor(Math.abs(left) / 1000);
  return { overdue: left < 0, h: Math.floor(abs / 3600), m: Math.floor((abs % 3600) / 60), s: abs % 60 };
}

/** Great-circle distance in metres (haversine; plenty for a district). */
export function distanceM(a: LngLat, b: LngLat): number {
  const R = 6_371_000;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** One incident per id from several sources (live store, REST, an action's reply, the offline copy): the highest version wins. */
export function newestById(...lists: Iterable<Incident>[]): Map<string, Incident> {
  const out = new Map<string, Incident>();
  for (const list of lists) {
    for (const i of list) {
      const had = out.get(i.id);
      if (!had || i.version > had.version || (i.version === had.version && i.updatedAt > had.updatedAt)) out.set(i.id, i);
    }
  }
  return out;
}

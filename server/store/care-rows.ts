import type { Registration } from '#common/care/types';
import type { RegisterOutcome, WelfareTask } from './care-types.ts';

/** Whether `r` may take a place beside the occurrence's `taken` registrations (same person: resident, else name and phone). */
export function registerVerdict(taken: readonly Registration[], r: Registration, capacity: number | null): RegisterOutcome {
  const same = (x: Registration) => (r.residentId ? x.residentId === r.residentId : x.name === r.name && (x.phone ?? '') === (r.phone ?? ''));
  if (taken.some(same)) return 'duplicate';
  if (capacity !== null && taken.length >= capacity) return 'full';
  return 'added';
}

/** The `attended` column is the truth (set per occurrence); the JSON holds the rest of the registration. */
export const toRegistration = (r: { data: string; attended: number | boolean | null }): Registration => ({
  ...(JSON.parse(r.data) as Registration),
  attended: r.attended === null ? null : Boolean(r.attended),
});

export interface WelfareRow {
  resident_id: string;
  due_ms: number;
  grid_id: string;
  incident_id: string | null;
  created_ms: number;
}
export const toWelfare = (r: WelfareRow): WelfareTask => ({
  residentId: r.resident_id,
  dueAt: new Date(r.due_ms).toISOString(),
  gridId: r.grid_id,
  incidentId: r.incident_id,
  createdAt: new Date(r.created_ms).toISOString(),
});

export const ms = (iso: string) => Date.parse(iso);

import type { Registration } from '#common/care/types';
import type { WelfareTask } from './care-types.ts';

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

import { PARKED_ID_PREFIX, type ParkedReport } from '#common/ingest/parked';
import type { IngestEvent } from '#common/ingest/schema';
import type { NewParkedReport } from './types.ts';

/** A parked_reports row of either store (bigints already numbers). */
export interface ParkedRow {
  id: number;
  received_ms: number;
  placed_ms: number | null;
  incident_id: string | null;
  placed_by: string | null;
  data: string;
}

export const parkedId = (n: number) => `${PARKED_ID_PREFIX}${n}`;

/** `PRK-12` → 12; null for anything else (an unknown id is then simply not found). */
export function parkedNumber(id: string): number | null {
  const m = /^PRK-(\d{1,15})$/.exec(id);
  return m ? Number(m[1]) : null;
}

/** The row's JSON: the report as kept, with its event. */
export const parkedData = (r: NewParkedReport): string => JSON.stringify(r);

export function parseParked(row: ParkedRow): ParkedReport & { event: IngestEvent } {
  const d = JSON.parse(row.data) as NewParkedReport;
  return {
    ...d,
    id: parkedId(row.id),
    receivedAt: new Date(row.received_ms).toISOString(),
    incidentId: row.incident_id,
    placedBy: row.placed_by,
    placedAt: row.placed_ms === null ? null : new Date(row.placed_ms).toISOString(),
  };
}

/** What a list shows: the report without the event kept for resubmission. */
export function withoutEvent(r: ParkedReport & { event?: IngestEvent }): ParkedReport {
  const { event: _e, ...rest } = r;
  return rest;
}

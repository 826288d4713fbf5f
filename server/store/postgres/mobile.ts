import type pg from 'pg';
import type { IncidentReport } from '#common/incidents/types';
import { parseIncident } from '../rows.ts';
import type { MobileStore } from '../types.ts';

/** What the grid-worker app reads: a worker's open cases (any region) and the street reports they sent. */
export function postgresMobileStore(pool: pg.Pool): MobileStore {
  return {
    tasks: async (ids, limit) =>
      (
        await pool.query<{ data: string }>(
          // assignee_id is the column incidents_assignee_open indexes (schema.ts, migration 23).
          `SELECT data FROM incidents WHERE status NOT IN ('rejected', 'closed') AND (
             assignee_id = ANY($1::text[]) OR (data::jsonb -> 'assistingPartyIds') ?| $1::text[])
           ORDER BY reported_ms DESC LIMIT $2`,
          [ids, limit],
        )
      ).rows.map(parseIncident),
    reportsByPrefix: async (connectorId, prefix, limit) =>
      (
        await pool.query<{ id: number; incident_id: string; data: string }>(
          `SELECT id, incident_id, data FROM reports WHERE connector_id = $1
             AND external_id COLLATE "C" >= $2 AND external_id COLLATE "C" < $3 ORDER BY id DESC LIMIT $4`,
          [connectorId, prefix, `${prefix}\uffff`, limit],
        )
      ).rows.map((r) => ({ ...(JSON.parse(r.data) as IncidentReport), incidentId: r.incident_id, id: String(r.id) })),
  };
}

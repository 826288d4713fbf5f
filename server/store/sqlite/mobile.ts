import type { IncidentReport } from '#common/incidents/types';
import { parseIncident } from '../rows.ts';
import type { MobileStore } from '../types.ts';
import type { Db } from './open.ts';

/**
 * A worker's open cases, newest first: the plan walks incidents_open_reported and stops at the limit, testing
 * on each row the assignee_id column (schema.ts, migration 24) and the assisting parties' list.
 * test/integration/assignee-column.test.ts checks the plan.
 */
export const TASKS_SQL = `SELECT data FROM incidents WHERE status NOT IN ('rejected', 'closed') AND (
    assignee_id IN (SELECT value FROM json_each(?))
    OR EXISTS (SELECT 1 FROM json_each(data, '$.assistingPartyIds') p WHERE p.value IN (SELECT value FROM json_each(?))))
  ORDER BY reported_ms DESC LIMIT ?`;

/** What the grid-worker app reads: a worker's open cases (any region) and the street reports they sent. */
export function sqliteMobileStore(db: Db): MobileStore {
  const q = {
    tasks: db.prepare<[string, string, number], { data: string }>(TASKS_SQL),
    reports: db.prepare<[string, string, string, number], { id: number; incident_id: string; data: string }>(
      'SELECT id, incident_id, data FROM reports WHERE connector_id = ? AND external_id >= ? AND external_id < ? ORDER BY id DESC LIMIT ?',
    ),
  };
  return {
    tasks: async (ids, limit) => q.tasks.all(JSON.stringify(ids), JSON.stringify(ids), limit).map(parseIncident),
    reportsByPrefix: async (connectorId, prefix, limit) =>
      q.reports
        .all(connectorId, prefix, `${prefix}\uffff`, limit)
        .map((r) => ({ ...(JSON.parse(r.data) as IncidentReport), incidentId: r.incident_id, id: String(r.id) })),
  };
}

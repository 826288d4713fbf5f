import type { HistoryEntry } from './history.ts';
import type { Incident, IncidentReport } from './types.ts';

/** `GET /api/incidents/{id}`: the incident, its history and every linked report, projected for the caller. */
export interface IncidentDetail {
  incident: Incident;
  history: HistoryEntry[];
  reports: (IncidentReport & {
    description?: string;
    reporter?: { name: string | null; phone: string | null } | null;
    media?: { url: string; kind?: string }[];
  })[];
  /** Display names of the staff who acted in the history (walls get none): who did what, not a short id. */
  actors?: Record<string, string>;
}

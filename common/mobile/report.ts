/** Wire types of the grid-worker app's own endpoints (server/mobile/routes.ts). */
import { z } from 'zod';
import type { Incident, IncidentStatus } from '../incidents/types.ts';

/** The connector every street report of the app enters the ingest pipeline under (source `patrol`). */
export const PATROL_APP_CONNECTOR = 'patrol-app';

/** A client-made id: a UUID, or any short printable token (it becomes the report's external id and idempotency key). */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** POST /api/me/reports: a report from the street (巡查上报). Photos follow through the media endpoint. */
export const patrolReportSchema = z.strictObject({
  id: clientIdSchema,
  category: z.string().min(1).max(64),
  note: z.string().max(2000).default(''),
  location: z.strictObject({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }),
  /** Metres (the phone's estimate); kept in the description when the place was not moved by hand. */
  accuracy: z.number().min(0).max(100_000).optional(),
  /** When the worker made it (queued offline, sent later); the server's clock when omitted. */
  reportedAt: z.iso.datetime({ offset: true }).optional(),
});
export type PatrolReportInput = z.input<typeof patrolReportSchema>;

export interface PatrolReportResult {
  /** The client id sent. */
  id: string;
  /** The incident it became or joined. */
  incidentId: string;
  merged: boolean;
  duplicate: boolean;
}

/** One of "my reports": what became of it. */
export interface MyReport {
  id: string;
  incidentId: string;
  category: string;
  reportedAt: string;
  /** The incident's status now (null when it is gone from the store). */
  status: IncidentStatus | null;
  /** How many reports the incident holds (>1: it merged with others). */
  reportCount: number;
  /** Set when the incident itself was merged into another. */
  mergedInto: string | null;
  title: string;
}

export interface MyTasksReply {
  items: Incident[];
}

import type { Checkin, Patrol } from '#common/field/types';
import type { MediaRecord, StoredFix } from './field-types.ts';

export interface MediaRow { id: string; incident_id: string; kind: string; uploaded_by: string; at_ms: number | string; width: number; height: number; bytes: number }
export interface FixRow { worker_id: string; at_ms: number | string; lng: number; lat: number; accuracy: number | null; patrol_id: string | null }
export interface PatrolRow { id: string; worker_id: string; started_ms: number | string; ended_ms: number | string | null; distance_m: number | null }
export interface CheckinRow { id: string; worker_id: string; at_ms: number | string; lng: number; lat: number; grid_id: string | null; note: string | null }

// PostgreSQL returns bigint as a string.
const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export const toMedia = (r: MediaRow): MediaRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  kind: 'image',
  uploadedBy: r.uploaded_by,
  at: new Date(Number(r.at_ms)),
  width: r.width,
  height: r.height,
  bytes: r.bytes,
});
export const toFix = (r: FixRow): StoredFix => ({ workerId: r.worker_id, at: iso(r.at_ms), lng: r.lng, lat: r.lat, accuracy: r.accuracy, patrolId: r.patrol_id });
export const toPatrol = (r: PatrolRow): Patrol => ({
  id: r.id,
  workerId: r.worker_id,
  startedAt: iso(r.started_ms),
  endedAt: r.ended_ms === null ? null : iso(r.ended_ms),
  distanceM: r.distance_m,
});
export const toCheckin = (r: CheckinRow): Checkin => ({ id: r.id, workerId: r.worker_id, at: iso(r.at_ms), lng: r.lng, lat: r.lat, gridId: r.grid_id, note: r.note });

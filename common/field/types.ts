import { z } from 'zod';

/** One fix of a worker's phone, as sent by `POST /api/me/positions` (issue 9). Personal data. */
export const positionInput = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** When the phone took the fix (ISO-8601); queued fixes arrive late. */
  at: z.iso.datetime({ offset: true }),
  /** Metres (the Geolocation API's `coords.accuracy`). */
  accuracy: z.number().min(0).max(100_000).optional(),
});
export type PositionInput = z.infer<typeof positionInput>;

/** A batch is accepted too, so an app coming back online sends its queue in one request. */
export const positionsBody = z.union([positionInput, z.strictObject({ positions: z.array(positionInput).min(1).max(500) })]);

export const checkinInput = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  at: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(500).optional(),
});
export type CheckinInput = z.infer<typeof checkinInput>;

/** A kept fix. */
export interface PositionFix {
  lng: number;
  lat: number;
  /** ISO-8601 (UTC). */
  at: string;
  accuracy: number | null;
}

export interface Patrol {
  id: string;
  workerId: string;
  startedAt: string;
  endedAt: string | null;
  /** Metres walked, set when the patrol ends. */
  distanceM: number | null;
}

export interface Checkin {
  id: string;
  workerId: string;
  at: string;
  lng: number;
  lat: number;
  /** The grid the place lies in, or null outside every grid. */
  gridId: string | null;
  note: string | null;
}

/** A roster worker as the dispatcher's map shows them (`GET /api/workers`, `workers:positions`). */
export interface WorkerLive {
  workerId: string;
  name: string;
  gridId: string;
  /** Last known fix, or null when none is kept. */
  position: PositionFix | null;
  onPatrol: boolean;
}

/** Push to dispatcher and leader sockets: the fixes kept since the last push (one per worker, newest). */
export interface WorkersPositionsPush {
  items: { workerId: string; position: PositionFix; onPatrol: boolean }[];
}

/** Per community: how many workers are on patrol (all a wall may know of positions). */
export interface PatrolCounts {
  byCommunity: Record<string, number>;
}

/** A marker is stale after this long without a fix. */
export const STALE_AFTER_MS = 2 * 60_000;
/** The server drops a fix closer than this to the worker's last kept one in both distance and time. */
export const MIN_KEEP_DISTANCE_M = 20;
export const MIN_KEEP_INTERVAL_MS = 10_000;

/** Field work wire types (issue 9); the input schemas are in schema.ts, so map code on the wall does not pull zod in. */
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

/** Push to dispatcher and leader sockets: the fixes kept since the last push (one per worker, newest). */
export interface WorkersPositionsPush {
  /** Server time of the push (ISO-8601): what a client measures staleness against. */
  sentAt: string;
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

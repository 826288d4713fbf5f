import type { Checkin, Patrol, PositionFix } from '#common/field/types';

/** A photo's record (the bytes are in the MediaStore). */
export interface MediaRecord {
  id: string;
  incidentId: string;
  kind: 'image';
  uploadedBy: string;
  at: Date;
  width: number;
  height: number;
  bytes: number;
}

export interface MediaRecordStore {
  add(rec: MediaRecord): Promise<void>;
  get(id: string): Promise<MediaRecord | null>;
  /** Oldest first. */
  list(incidentId: string): Promise<MediaRecord[]>;
}

export interface StoredFix extends PositionFix {
  workerId: string;
  patrolId: string | null;
}

/** Grid workers' positions (personal data, pruned), patrols and check-ins (issue 9). */
export interface FieldStore {
  addPositions(fixes: readonly StoredFix[]): Promise<void>;
  /** The newest fix of each worker given (all workers when null), at or after `since`. */
  lastPositions(workerIds: readonly string[] | null, since: Date): Promise<Map<string, StoredFix>>;
  /** A worker's fixes in [from, to), in time order. */
  track(workerId: string, from: Date, to: Date): Promise<StoredFix[]>;
  /** Null when the worker already has a patrol under way (then `current` gives it). */
  startPatrol(p: { id: string; workerId: string; userId: string; at: Date }): Promise<Patrol | null>;
  current(workerId: string): Promise<Patrol | null>;
  /** Workers with a patrol under way. */
  onPatrol(): Promise<Set<string>>;
  endPatrol(id: string, at: Date, distanceM: number): Promise<Patrol | null>;
  /** A worker's patrols that overlap [from, to). */
  patrols(workerId: string, from: Date, to: Date): Promise<Patrol[]>;
  addCheckin(c: Checkin & { userId: string }): Promise<void>;
  checkins(workerId: string, from: Date, to: Date): Promise<Checkin[]>;
  /** Deletes positions and check-ins older than `before`; returns how many rows. */
  prune(before: Date): Promise<number>;
}

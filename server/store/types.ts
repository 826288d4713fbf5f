import type { Incident, IncidentChange, Kpis } from '#common/incidents/types';
import type { PublicUser, Role } from '#common/auth/types';

/** An incident as the pipeline hands it to the store: no id, status or timestamps of its own yet. */
export type NewIncident = Omit<Incident, 'id' | 'status' | 'updatedAt' | 'dueAt' | 'assigneeId'>;

export type IngestOutcome =
  | { kind: 'created'; change: IncidentChange }
  /** Same (connectorId, externalId) seen before: nothing written. */
  | { kind: 'duplicate'; incidentId: string };

/** Returns the next state, or null to leave the incident unchanged. */
export type IncidentMutation = (current: Incident) => Incident | null;

export interface IncidentStore {
  /** Persist new incidents and their events in one transaction; duplicates are skipped. */
  ingest(batch: NewIncident[], now: Date): Promise<IngestOutcome[]>;
  /** Read-modify-write one incident in a transaction, appending an event when it changes. */
  update(id: string, mutate: IncidentMutation, now: Date): Promise<IncidentChange | null>;
  get(id: string): Promise<Incident | null>;
  /** Head of the event log (0 when empty). */
  headSeq(): Promise<number>;
  /** Most recent incidents in a region subtree, open ones first. */
  recent(regionId: string, limit: number): Promise<Incident[]>;
  /** Changes after `seq` in a region subtree, in order; null when more than `limit` or older than kept. */
  changesSince(seq: number, regionId: string, limit: number): Promise<IncidentChange[] | null>;
  kpis(regionId: string, now: Date): Promise<Kpis>;
  /** Incidents in a status set, oldest first (used by the simulator's workers). */
  listByStatus(statuses: readonly string[], limit: number): Promise<Incident[]>;
}

export interface StoredUser extends PublicUser {
  passwordHash: string;
}

export interface UserStore {
  byUsername(username: string): Promise<StoredUser | null>;
  byId(id: string): Promise<StoredUser | null>;
  create(user: StoredUser): Promise<void>;
  list(): Promise<PublicUser[]>;
  count(): Promise<number>;
}

export interface SettingsStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

export interface RejectedMessage {
  id: number;
  connectorId: string;
  receivedAt: string;
  reason: string;
  payload: string;
}

export interface RejectStore {
  add(connectorId: string, reason: string, payload: string, now: Date): Promise<void>;
  list(connectorId: string | null, limit: number): Promise<RejectedMessage[]>;
}

export interface Store {
  kind: 'sqlite' | 'postgres';
  incidents: IncidentStore;
  users: UserStore;
  settings: SettingsStore;
  rejects: RejectStore;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type { Role };

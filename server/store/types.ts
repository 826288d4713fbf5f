import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentChange, IncidentReport, IncidentStatus, Kpis, Severity, SourceKind } from '#common/incidents/types';
import type { PublicUser, Role } from '#common/auth/types';
import type { GridMonthPopulation, Month } from '#common/population/types';

/** An incident as the pipeline hands it to the store: no id, status or timestamps of its own yet. */
export type NewIncident = Omit<Incident, 'id' | 'status' | 'updatedAt' | 'dueAt' | 'assigneeId' | 'reportCount'>;

export type IngestOutcome =
  | { kind: 'created'; change: IncidentChange }
  /** The same happening as an open incident (merge.ts): linked to it as another report. */
  | { kind: 'merged'; change: IncidentChange }
  /** Same (connectorId, externalId) seen before: nothing written. */
  | { kind: 'duplicate'; incidentId: string };

export interface IngestOptions {
  /** Merge reports of one happening into one incident (the pipeline does; raw store tests do not). */
  merge?: boolean;
}

/** Returns the next state, or null to leave the incident unchanged. */
export type IncidentMutation = (current: Incident) => Incident | null;

/** A case-flow step decided on the current state: the next state and its history entry, or a refusal. */
export type IncidentDecision =
  | { ok: true; incident: Incident; entry: HistoryEntry }
  | { ok: false; error: { code: string; message: string } };

export type TransitionResult =
  | { ok: true; change: IncidentChange; entry: HistoryEntry }
  | { ok: false; error: { code: string; message: string } };

/** Filters of the incident list; every field narrows. */
export interface IncidentFilter {
  /** Region subtree (prefix of the grid id; the root also holds incidents outside every grid). */
  regionId: string;
  statuses?: readonly IncidentStatus[];
  categories?: readonly string[];
  severities?: readonly Severity[];
  sources?: readonly SourceKind[];
  connectorId?: string;
  ids?: readonly string[];
  /** reportedAt in [from, to). */
  from?: Date;
  to?: Date;
}

export interface IncidentPage {
  items: Incident[];
  /** Opaque; pass back for the next page, null at the end. */
  nextCursor: string | null;
}

export interface IncidentStore {
  /**
   * Persist new reports and their events in one transaction: duplicates skipped, and with `merge` a report of
   * an open incident's happening linked to it instead of opening another.
   */
  ingest(batch: NewIncident[], now: Date, opts?: IngestOptions): Promise<IngestOutcome[]>;
  /** Read-modify-write one incident in a transaction, appending an event when it changes. */
  update(id: string, mutate: IncidentMutation, now: Date): Promise<IncidentChange | null>;
  /** A case-flow step: decided on the locked current state, written with its history entry; null if no such incident. */
  transition(id: string, decide: (current: Incident) => IncidentDecision, now: Date): Promise<TransitionResult | null>;
  history(id: string): Promise<HistoryEntry[]>;
  reports(id: string): Promise<IncidentReport[]>;
  /** Newest reported first, `limit` at a time. */
  list(filter: IncidentFilter, page: { limit: number; cursor?: string | null }): Promise<IncidentPage>;
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
  /** False when there is no such user. */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
}

/** A recorded wall link: the `jti` of a wall token. The token itself is never stored. */
export interface WallLink {
  id: string;
  label: string;
  /** User id of the admin who made it; null for links the server made (first start, loopback). */
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface WallLinkStore {
  create(link: { id: string; label: string; createdBy: string | null; createdAt: Date; expiresAt: Date }): Promise<void>;
  get(id: string): Promise<WallLink | null>;
  /** Newest first. */
  list(): Promise<WallLink[]>;
  /** False when there is no such link or it was already revoked. */
  revoke(id: string, now: Date): Promise<boolean>;
}

export interface SettingsStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Store `value` unless the key has one; returns what is stored (the first writer wins across nodes). */
  setIfAbsent(key: string, value: string): Promise<string>;
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

/** Population aggregates per (grid, month): counts only, never a person (common/population/types.ts). */
export interface PopulationStore {
  /** Upsert exactly the (grid, month) pairs given, in one transaction: a month imported again replaces it. */
  replaceMonths(rows: readonly GridMonthPopulation[]): Promise<void>;
  /** Rows of the grids in a region subtree (prefix) with month >= `fromMonth` (all when null), by grid then month. */
  rows(regionId: string, fromMonth: Month | null): Promise<GridMonthPopulation[]>;
  /** Newest month with data in a region subtree, or null. */
  latestMonth(regionId: string): Promise<Month | null>;
  count(): Promise<number>;
}

export interface Store {
  kind: 'sqlite' | 'postgres';
  incidents: IncidentStore;
  users: UserStore;
  wallLinks: WallLinkStore;
  settings: SettingsStore;
  rejects: RejectStore;
  population: PopulationStore;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type { Role };

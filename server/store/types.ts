import type { WallLink } from '#common/wall/link';
import type { WallRotation } from '#common/wall/rotation';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentChange, IncidentReport, IncidentStatus, Kpis, Severity, SourceKind } from '#common/incidents/types';
import type { PublicUser, Role } from '#common/auth/types';
import type { GridMonthPopulation, Month } from '#common/population/types';
import type { Party } from '#common/dispatch/types';
import type { CareStore } from './care-types.ts';
import type { FieldStore, MediaRecordStore } from './field-types.ts';

export type { FieldStore, MediaRecordStore, MediaRecord, StoredFix } from './field-types.ts';
import type { ReplayChange } from '#common/replay/fold';
import type { AnalyticsStore } from './analytics-types.ts';
import type { FeedbackStore } from './feedback-types.ts';
import type { AuditEntry, NewAuditEntry } from '#common/audit/types';
import type { HolidayDay } from '#common/calendar/schema';
import type { MeterHeartbeat } from '#common/ingest/meter-silence';
import type { AuditScope } from './audit-rows.ts';
import type { YearSchedule } from '#common/calendar/work-calendar';
import type { ParkedList, ParkedReport } from '#common/ingest/parked';
import type { IngestEvent } from '#common/ingest/schema';

/** An incident as the pipeline hands it to the store: no id, status or timestamps of its own yet. */
export type NewIncident = Omit<
  Incident,
  'id' | 'status' | 'updatedAt' | 'dueAt' | 'assigneeId' | 'reportCount' | 'version' | 'assistingPartyIds' | 'slaStage' | 'extension' | 'mergedInto'
>;

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

type Refusal = { ok: false; error: { code: string; message: string } };
type Step = { incident: Incident; entry: HistoryEntry };

/** merge, decided on both locked incidents: the absorbed one (`source`) and the one keeping the reports. */
export type MergeDecision = { ok: true; source: Step; target: Step } | Refusal;
/** split, decided on the locked incident, the report leaving and the id the new incident gets. */
export type SplitDecision = { ok: true; source: Step; created: Step } | Refusal;

/** A two-incident case-flow step as written: changes in seq order, one history entry each. */
export type CaseOpResult = { ok: true; changes: IncidentChange[]; entries: HistoryEntry[] } | Refusal;

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
  /**
   * Merge `sourceId` into `targetId` in one transaction: both rows locked, the source's report rows moved to
   * the target, both written with their history entries. Null when either incident does not exist.
   */
  merge(sourceId: string, targetId: string, decide: (source: Incident, target: Incident) => MergeDecision, now: Date): Promise<CaseOpResult | null>;
  /**
   * Split report `reportId` off incident `id` into a new incident, in one transaction: the report row moves to
   * the new incident, both written with their history entries. Null when the incident does not exist.
   */
  split(id: string, reportId: string, decide: (current: Incident, report: IncidentReport | null, newId: string) => SplitDecision, now: Date): Promise<CaseOpResult | null>;
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
  /** Tokens issued (iat, seconds) before this are dead: bumped by a password change or reset and by a role/region change. */
  tokensAfterMs?: number;
}

/** What an admin (or the user, for the password) may change on an account; absent fields stay. */
export interface UserPatch {
  displayName?: string;
  role?: Role;
  regionId?: string;
  workerId?: string | null;
  disabled?: boolean;
  passwordHash?: string;
  mustChangePassword?: boolean;
  tokensAfterMs?: number;
}

export interface UserStore {
  byUsername(username: string): Promise<StoredUser | null>;
  byId(id: string): Promise<StoredUser | null>;
  create(user: StoredUser): Promise<void>;
  list(): Promise<PublicUser[]>;
  count(): Promise<number>;
  /** False when there is no such user. */
  setDisabled(id: string, disabled: boolean): Promise<boolean>;
  /** Apply `patch` in one statement; false when there is no such user. */
  update(id: string, patch: UserPatch): Promise<boolean>;
}

/** A recorded wall link (the wire type lives in common/). */
export type { WallLink } from '#common/wall/link';

/** A stored wall link: the wire type plus its token generation (a wall token carries it as `gen`). */
export interface WallLinkRecord extends WallLink {
  tokenGen: number;
}

export interface WallLinkStore {
  create(link: { id: string; label: string; createdBy: string | null; createdAt: Date; expiresAt: Date; rotation?: WallRotation | null; regionId: string }): Promise<void>;
  get(id: string): Promise<WallLinkRecord | null>;
  /** Newest first. */
  list(): Promise<WallLinkRecord[]>;
  /** False when there is no such link or it was already revoked. */
  revoke(id: string, now: Date): Promise<boolean>;
  /** Set a live link's label, rotation and region; false when there is no such link or it was revoked. */
  update(id: string, set: { label: string; rotation: WallRotation | null; regionId: string }): Promise<boolean>;
  /** Move a live link to its next token generation (older tokens fail); the new generation, null when gone or revoked. */
  reissue(id: string, now: Date): Promise<number | null>;
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
  /** How many dead letters of a connector were received at or after `since`. */
  countSince(connectorId: string, since: Date): Promise<number>;
  /** Deletes the dead letters received before `before`; returns how many. */
  prune(before: Date): Promise<number>;
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

/** The registry of parties of multi-center governance (common/dispatch/types.ts); contacts stored in full. */
export interface PartyStore {
  /** Every party, by id. The registry is small (hundreds); callers filter by scope. */
  list(): Promise<Party[]>;
  get(id: string): Promise<Party | null>;
  /** Parties with a covered region that is `regionId` or one of its ancestors. */
  covering(regionId: string): Promise<Party[]>;
  /** Insert or replace each party (with its regions) in one transaction. */
  put(parties: readonly Party[], now: Date): Promise<void>;
  /** False when there was no such party. */
  delete(id: string): Promise<boolean>;
  count(): Promise<number>;
}

/** Per assignee id: open cases held now, and cases closed since a date with how many by their deadline. */
export interface Workload {
  /** Open cases held: as the lead assignee, or as an assisting party. */
  open: number;
  closed: number;
  onTime: number;
}

export interface WorkloadStore {
  /** Answered from the assignee indexes; ids without cases are absent from the map. */
  byAssignee(assigneeIds: readonly string[], closedSince: Date): Promise<Map<string, Workload>>;
}

/** What a claim on an Idempotency-Key finds. */
export type IdempotencyClaim =
  /** This request owns the key: do the work, then complete (or release on failure) with `owner`. */
  | { kind: 'claimed'; owner: string }
  /** A first request with this key finished: replay its response. */
  | { kind: 'done'; fingerprint: string; status: number; body: string }
  /** A first request with this key is still running. */
  | { kind: 'pending'; fingerprint: string };

/** Idempotency keys of state-changing requests, per user, kept until they expire. */
export interface IdempotencyStore {
  /**
   * Claim (user, key) atomically: exactly one of several concurrent claims wins. A pending claim older than
   * `leaseMs` (its node died) may be taken over; expired keys are swept.
   */
  claim(userId: string, key: string, fingerprint: string, now: Date, ttlMs: number, leaseMs: number): Promise<IdempotencyClaim>;
  complete(userId: string, key: string, owner: string, status: number, body: string): Promise<void>;
  /** Give the key up (the request failed without a response worth replaying). */
  release(userId: string, key: string, owner: string): Promise<void>;
}

/** Failed logins per account in fixed windows, in the shared store so every node counts the same. */
export interface LoginFailureStore {
  /**
   * Count one attempt against `account` and return the attempts in its current window (a window older than
   * `windowMs` starts afresh). Atomic: concurrent attempts on any node each get their own count.
   */
  hit(account: string, now: Date, windowMs: number): Promise<number>;
  /** Forget the account's attempts (after a successful login). */
  reset(account: string): Promise<void>;
}

/** Reads of the event log for day replay (common/replay/fold.ts folds what they return). */
export interface ReplayStore {
  /**
   * For each incident of the region subtree that may have been open at `atMs` (reported by then, and not
   * already finished for good before it), its latest change at or before `atMs`.
   */
  latestAt(regionId: string, atMs: number): Promise<ReplayChange[]>;
  /** Changes in the region subtree with `fromMs` < at ≤ `toMs`, in seq order, at most `limit`. */
  between(regionId: string, fromMs: number, toMs: number, limit: number): Promise<ReplayChange[]>;
}

/** Reads of the grid-worker app (server/mobile). */
export interface MobileStore {
  /** Open cases assigned to one of `ids` or assisted by one of them, in any region. */
  tasks(ids: readonly string[], limit: number): Promise<Incident[]>;
  /** Reports of `connectorId` whose external id starts with `prefix` (a worker's own), newest first, with their current incident. */
  reportsByPrefix(connectorId: string, prefix: string, limit: number): Promise<IncidentReport[]>;
}

/** The append-only audit log (common/audit/types.ts): no update or delete path, here or in the database. */
export interface AuditStore {
  append(entry: NewAuditEntry, at: Date): Promise<void>;
  /** Newest first, `limit` at a time, entries older than `beforeId`; with `scope`, only what a regional admin may see. */
  list(
    filter: { actor?: string; action?: string; target?: string; from?: Date; to?: Date; scope?: AuditScope },
    page: { limit: number; beforeId?: number },
  ): Promise<AuditEntry[]>;
}

/** Admin-entered holiday schedules for years chinese-days does not know yet (common/calendar). */
/** Water meters' last message times (server/ingest/meter-silence.ts). */
export interface MeterHeartbeatStore {
  /** Records a message; the newest time wins (a late message never moves it back). */
  touch(deviceKey: string, atMs: number): Promise<void>;
  /**
   * Registry meters not known yet start as never heard, silent from `atMs` (their registration); a meter
   * already known (heard, or registered before) is left as it is. Idempotent across nodes and restarts.
   */
  register(meters: readonly { deviceKey: string; atMs: number }[]): Promise<void>;
  /** Meters whose last message is at or before `beforeMs`, silence periods not yet raised first. */
  silentSince(beforeMs: number): Promise<MeterHeartbeat[]>;
  /** Claims the silence period (deviceKey, lastSeenMs): true for exactly one caller, false once raised or spoken again. */
  claim(deviceKey: string, lastSeenMs: number): Promise<boolean>;
}

/** A report to park: what the dispatcher sees, and the validated event to submit again once placed. */
export type NewParkedReport = Omit<ParkedReport, 'id' | 'receivedAt' | 'incidentId' | 'placedBy' | 'placedAt'> & { event: IngestEvent };

/** Reports with an address the gazetteer could not place (server/ingest/locate.ts), until a dispatcher places them. */
export interface ParkedStore {
  /** Keep one durably; the same (connectorId, externalId) again returns the one kept, as a duplicate. */
  add(report: NewParkedReport, now: Date): Promise<{ report: ParkedReport; duplicate: boolean }>;
  /** With the event to submit again; null when there is no such id. */
  get(id: string): Promise<(ParkedReport & { event: IngestEvent }) | null>;
  /** Unplaced ones whose region lies in the subtree of `regionId`, oldest first, and their total. */
  open(regionId: string, limit: number): Promise<ParkedList>;
  /** Records the placement once: false when it was already placed. */
  markPlaced(id: string, incidentId: string, by: string, now: Date): Promise<boolean>;
  /** Appends a `locate` entry to an incident's history, after the ingest that created or merged it committed. */
  recordLocate(entry: HistoryEntry, seq: number): Promise<void>;
}

export interface HolidayStore {
  /** Every entered year, days by date. */
  years(): Promise<YearSchedule[]>;
  /** Replace one year's days in one transaction. */
  putYear(year: number, days: readonly HolidayDay[], by: string | null, now: Date): Promise<void>;
}

export interface Store {
  kind: 'sqlite' | 'postgres';
  loginFailures: LoginFailureStore;
  incidents: IncidentStore;
  idempotency: IdempotencyStore;
  users: UserStore;
  wallLinks: WallLinkStore;
  settings: SettingsStore;
  rejects: RejectStore;
  population: PopulationStore;
  parties: PartyStore;
  workload: WorkloadStore;
  care: CareStore;
  mobile: MobileStore;
  /** Photos of incidents (records; bytes in server/media). */
  media: MediaRecordStore;
  /** Workers' positions, patrols and check-ins. */
  field: FieldStore;
  replay: ReplayStore;
  analytics: AnalyticsStore;
  feedback: FeedbackStore;
  audit: AuditStore;
  holidays: HolidayStore;
  meters: MeterHeartbeatStore;
  parked: ParkedStore;
  /** True when the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type { Role };
export type { CareStore };

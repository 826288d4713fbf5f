import type { PublicUser, Role } from '#common/auth/types';
import type { Incident } from '#common/incidents/types';
import type { StoredUser } from './types.ts';

/** A `users` row as both stores keep it. */
export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  region_id: string;
  password_hash: string;
  worker_id: string | null;
  disabled: number;
  must_change_password?: number;
  tokens_after_ms?: number | string;
}

export const toUser = (r: UserRow): StoredUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  regionId: r.region_id,
  workerId: r.worker_id ?? null,
  passwordHash: r.password_hash,
  disabled: Boolean(r.disabled),
  mustChangePassword: Boolean(r.must_change_password),
  tokensAfterMs: Number(r.tokens_after_ms ?? 0),
});

export const toPublic = ({ passwordHash: _omit, tokensAfterMs: _t, ...user }: StoredUser): PublicUser => user;

/**
 * An incident from its stored JSON. Rows and events written before the case-flow fields existed (the
 * migration back-fills rows, not the event log) read with their defaults.
 */
export const parseIncident = (r: { data: string }): Incident => ({
  version: 1,
  assistingPartyIds: [],
  slaStage: null,
  extension: null,
  mergedInto: null,
  ...(JSON.parse(r.data) as Partial<Incident>),
}) as Incident;

/**
 * A split-off incident keeps its report's upstream key unless another incident holds it (the report first
 * opened an incident of its own that was later merged away): then the key stays with the report row only,
 * where ingest dedupes anyway.
 */
export const withFreeKey = (incident: Incident, taken: (connectorId: string, externalId: string) => boolean): Incident =>
  incident.externalId !== null && taken(incident.connectorId, incident.externalId) ? { ...incident, externalId: null } : incident;

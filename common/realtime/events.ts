import type { WorkersPositionsPush } from '../field/types.ts';
import type { Ack } from '../api.ts';
import type { Incident, IncidentChange, Kpis } from '../incidents/types.ts';
import type { PopulationReply } from '../population/types.ts';

/** Health of one upstream connector, as /healthz and the wall show it. */
export interface SourceHealth {
  id: string;
  kind: string;
  status: 'connected' | 'connecting' | 'disconnected' | 'disabled' | 'error';
  lastMessageAt: string | null;
  /** Messages rejected or failed since start. */
  errors: number;
  /** Messages accepted since start. */
  accepted: number;
}

/** What a subscriber receives first: the state of its region at `seq`. */
export interface Snapshot {
  regionId: string;
  /** Last event-log seq reflected in this snapshot. */
  seq: number;
  /** Most recent incidents of the region (open ones first), capped. */
  incidents: Incident[];
  kpis: Kpis;
  sources: SourceHealth[];
}

export type SyncResult =
  | { mode: 'delta'; seq: number; changes: IncidentChange[] }
  | { mode: 'snapshot'; snapshot: Snapshot };

export interface Heartbeat {
  /** Server time, ISO-8601. */
  at: string;
  /** Head of the event log. */
  seq: number;
  /**
   * To a socket in a region room: the seq of the last change already pushed to that room. A client that has not
   * applied it lost a push and asks `sync:since`; changes still held in the 50 ms coalescing window or outside
   * its region are not counted, so they cause no resync. Absent for sockets in no region room (compare `seq`).
   */
  pushed?: number;
  /** The server's heartbeat period: a client calls the feed stale after 2.5 of them without one. */
  intervalMs: number;
}

export interface ServerToClientEvents {
  'incident:created': (payload: { seq: number; incident: Incident }) => void;
  'incident:updated': (payload: { seq: number; incident: Incident }) => void;
  /** Several changes for one room within the coalescing window (50 ms), in seq order. */
  'incidents:batch': (payload: { changes: IncidentChange[] }) => void;
  /** The SLA ladder reached a step for a case in the receiver's scope (reminder to assignee, warning to dispatchers,
   *  督办 escalation to leaders); also a history entry and an incident:updated change. */
  'incident:escalated': (payload: { incidentId: string; stage: 'reminded' | 'warned' | 'overdue' | 'urged'; at: string; title: string }) => void;
  'kpis:updated': (payload: { regionId: string; kpis: Kpis }) => void;
  'sources:updated': (payload: { sources: SourceHealth[] }) => void;
  'system:heartbeat': (payload: Heartbeat) => void;
  /** Population data of a subscribed region changed (an import): its new reply, suppressed for the wall. */
  'population:updated': (payload: { regionId: string; reply: PopulationReply }) => void;
  /** Community-life data in `regionId` (a grid or community) changed: a hint without data; clients refetch what they show. */
  'care:changed': (payload: { regionId: string }) => void;
  /** Grid workers' newest fixes (issue 9), to dispatcher and leader sockets only, at most one push per second per room. */
  'workers:positions': (payload: WorkersPositionsPush) => void;
}

export interface ClientToServerEvents {
  'scope:subscribe': (payload: { regionId?: string }, ack: (reply: Ack<Snapshot>) => void) => void;
  /**
   * Changes after `seq` in the subscribed region. After a reconnect the socket is new and subscribed to
   * nothing: passing `regionId` re-subscribes it in the same step, without a full snapshot.
   */
  'sync:since': (payload: { seq: number; regionId?: string }, ack: (reply: Ack<SyncResult>) => void) => void;
}

/** Socket.IO handshake `auth` payload. */
export interface HandshakeAuth {
  token: string;
}

/** The connect_error message for a missing or bad token. */
export const AUTH_UNAUTHORIZED = 'auth/unauthorized';

/**
 * The ack error code of a command refused by the socket's limits: another of its kind is still running, or the
 * socket or its user sent too many. Repeated refusals end in a disconnect.
 */
export const RATE_LIMITED = 'rate/limited';

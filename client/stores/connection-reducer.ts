import type { Heartbeat } from '#common/realtime/events';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'unauthorized';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Last event-log seq applied to the stores. */
  lastSeq: number;
  /** Head of the log as the last heartbeat told it. */
  serverSeq: number;
  /** Client clock (ms) when the last heartbeat or push arrived; null before the first. */
  lastHeartbeatAt: number | null;
  /** Server clock of the last heartbeat, for display. */
  serverTime: string | null;
  /** The server's heartbeat period, as its heartbeats say (the default until the first arrives). */
  heartbeatMs: number;
  /** Completed reconnects since the page loaded. */
  reconnects: number;
  /** True once a snapshot has been applied: reconnects then resync instead of starting over. */
  hasSnapshot: boolean;
  /** Snapshots applied: one per subscribe, plus one for each resync whose gap was too old to replay. */
  snapshots: number;
}

export type Freshness = 'live' | 'stale' | 'offline';

/** Until the first heartbeat says otherwise. */
export const DEFAULT_HEARTBEAT_MS = 2000;

export function initialConnection(): ConnectionState {
  return {
    status: 'idle',
    lastSeq: 0,
    serverSeq: 0,
    lastHeartbeatAt: null,
    serverTime: null,
    heartbeatMs: DEFAULT_HEARTBEAT_MS,
    reconnects: 0,
    hasSnapshot: false,
    snapshots: 0,
  };
}

export function onConnecting(s: ConnectionState): void {
  s.status = s.hasSnapshot ? 'reconnecting' : 'connecting';
}

export function onConnected(s: ConnectionState, nowMs: number): void {
  if (s.status === 'reconnecting') s.reconnects += 1;
  s.status = 'connected';
  s.lastHeartbeatAt = nowMs;
}

export function onDisconnected(s: ConnectionState): void {
  if (s.status !== 'unauthorized') s.status = s.hasSnapshot ? 'reconnecting' : 'connecting';
}

export function onUnauthorized(s: ConnectionState): void {
  s.status = 'unauthorized';
}

/**
 * A heartbeat proves the feed alive; returns true when a resync is due: a change already pushed to our room
 * (`pushed`) has not been applied, so it was lost. Changes the server still holds in its coalescing window, or
 * outside our region, raise the head but not `pushed`: no resync for those. Servers that do not send `pushed`
 * are compared by head.
 */
export function onHeartbeat(s: ConnectionState, hb: Heartbeat, nowMs: number): boolean {
  s.lastHeartbeatAt = nowMs;
  s.serverTime = hb.at;
  if (hb.intervalMs > 0) s.heartbeatMs = hb.intervalMs;
  s.serverSeq = Math.max(s.serverSeq, hb.seq);
  return s.hasSnapshot && (hb.pushed ?? hb.seq) > s.lastSeq;
}

/** Record that the stores now reflect the log up to `seq` (never moves backwards, except on a snapshot). */
export function onApplied(s: ConnectionState, seq: number, snapshot: boolean): void {
  if (snapshot) {
    s.lastSeq = seq;
    s.hasSnapshot = true;
    s.snapshots += 1;
  } else if (seq > s.lastSeq) {
    s.lastSeq = seq;
  }
}

/** live: heartbeats on time; stale: connected but silent for over 2.5 heartbeats; offline: not connected. */
export function freshness(s: ConnectionState, nowMs: number): Freshness {
  if (s.status !== 'connected') return 'offline';
  if (s.lastHeartbeatAt === null || nowMs - s.lastHeartbeatAt > s.heartbeatMs * 2.5) return 'stale';
  return 'live';
}

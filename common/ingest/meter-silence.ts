/**
 * A water meter that goes silent (智能水表离线): decided from its last message time. A silence period is
 * identified by the time of the last message before it, so it is raised once (the store's claim on
 * (meter, lastSeenMs) decides across nodes) and a meter that speaks again opens a new period.
 * Pure: the store keeps lastSeenMs and the period already raised.
 */

export interface MeterHeartbeat {
  deviceKey: string;
  /** Time (ms) of the meter's newest message. */
  lastSeenMs: number;
  /** lastSeenMs of the silence period already raised, or null. */
  raisedForMs: number | null;
}

export type SilenceDecision =
  | { kind: 'speaking' } // heard within the limit
  | { kind: 'raised' } // silent, and this period was raised already
  | { kind: 'raise'; periodMs: number; silentHours: number };

/** Silent means strictly longer than `hours` since the last message. */
export function decideSilence(hb: MeterHeartbeat, nowMs: number, hours: number): SilenceDecision {
  const silentMs = nowMs - hb.lastSeenMs;
  if (silentMs <= hours * 3_600_000) return { kind: 'speaking' };
  if (hb.raisedForMs === hb.lastSeenMs) return { kind: 'raised' };
  return { kind: 'raise', periodMs: hb.lastSeenMs, silentHours: Math.floor((silentMs / 3_600_000) * 10) / 10 };
}

/** The newest of two message times: a late (out-of-order) message never moves the heartbeat back. */
export const nextLastSeen = (prevMs: number | null, atMs: number): number => (prevMs === null ? atMs : Math.max(prevMs, atMs));

/** External id of a silence period's incident: redelivery or a second node's submit is the same event. */
export const silenceExternalId = (deviceKey: string, periodMs: number): string => `${deviceKey}:silent:${periodMs}`.slice(0, 128);

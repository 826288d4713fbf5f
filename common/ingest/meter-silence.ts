/**
 * A water meter that goes silent (智能水表离线): decided from its last message time. A silence period is
 * identified by the time of the last message before it, so it is raised once (the store's claim on
 * (meter, lastSeenMs) decides across nodes) and a meter that speaks again opens a new period.
 * A meter of the registry that has never spoken is silent from its registration: its heartbeat starts at
 * the registration time, marked not heard (registeredHeartbeat), and the same rule applies.
 * Pure: the store keeps lastSeenMs and the period already raised.
 */

export interface MeterHeartbeat {
  deviceKey: string;
  /** Time (ms) of the meter's newest message. */
  lastSeenMs: number;
  /** lastSeenMs of the silence period already raised, or null. */
  raisedForMs: number | null;
  /** False while the meter has never sent a message: lastSeenMs is then its registration time. */
  heard: boolean;
}

export type SilenceDecision =
  | { kind: 'speaking' } // heard within the limit
  | { kind: 'raised' } // silent, and this period was raised already
  | { kind: 'raise'; periodMs: number; silentHours: number; neverHeard: boolean };

/** Silent means strictly longer than `hours` since the last message. */
export function decideSilence(hb: MeterHeartbeat, nowMs: number, hours: number): SilenceDecision {
  const silentMs = nowMs - hb.lastSeenMs;
  if (silentMs <= hours * 3_600_000) return { kind: 'speaking' };
  if (hb.raisedForMs === hb.lastSeenMs) return { kind: 'raised' };
  return { kind: 'raise', periodMs: hb.lastSeenMs, silentHours: Math.floor((silentMs / 3_600_000) * 10) / 10, neverHeard: !hb.heard };
}

/** The newest of two message times: a late (out-of-order) message never moves the heartbeat back. */
export const nextLastSeen = (prevMs: number | null, atMs: number): number => (prevMs === null ? atMs : Math.max(prevMs, atMs));

/** External id of a silence period's incident: redelivery or a second node's submit is the same event. */
export const silenceExternalId = (deviceKey: string, periodMs: number): string => `${deviceKey}:silent:${periodMs}`.slice(0, 128);

/**
 * When a registered meter's silence starts if it never speaks: the registry's `registeredAt` when it gives one
 * (a meter fitted before GridOps knew it), else the time this deployment first saw it in the registry. Never in
 * the future (a mistyped date must not hide a meter) and never unparsable (then the first sighting).
 */
export function registrationMs(registeredAt: string | null | undefined, firstSeenMs: number): number {
  const at = registeredAt ? Date.parse(registeredAt) : Number.NaN;
  return Number.isNaN(at) ? firstSeenMs : Math.min(at, firstSeenMs);
}

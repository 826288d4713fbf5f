import type { Incident } from './types.ts';
import { TERMINAL_STATUSES } from './types.ts';

/** A new critical or high incident alerts the people on duty; unacknowledged this long, it repeats and the wall flags it. */
export const ALERT_ACK_WINDOW_MS = 60_000;

export const ALERTING_SEVERITIES: readonly Incident['severity'][] = ['critical', 'high'];

/**
 * True when nobody on duty has acknowledged this incident's alert within the window. Acknowledging (the
 * `acknowledge` action) stamps `acknowledgedAt`, and so does any desk step taken on the case: someone has
 * evidently seen it. Counted from `reportedAt` (upstreams send the time of the happening).
 */
export function isUnacknowledgedAlert(
  i: Pick<Incident, 'severity' | 'status' | 'reportedAt' | 'acknowledgedAt'>,
  now: number,
  windowMs = ALERT_ACK_WINDOW_MS,
): boolean {
  if (!ALERTING_SEVERITIES.includes(i.severity) || TERMINAL_STATUSES.includes(i.status) || i.acknowledgedAt) return false;
  return now - Date.parse(i.reportedAt) >= windowMs;
}

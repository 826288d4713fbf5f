import type { Incident } from '#common/incidents/types';

/**
 * Which incidents raise the on-duty alert and when an unacknowledged one repeats. Pure: the console store
 * calls it with the clock and plays the sound.
 */
export const ALERT_REPEAT_MS = 60_000;

/** An alert is raised for a new (live, not snapshot) open critical or high incident still awaiting intake. */
export function shouldAlert(i: Incident, opts: { live: boolean; known: boolean }): boolean {
  if (!opts.live || opts.known) return false;
  if (i.severity !== 'critical' && i.severity !== 'high') return false;
  return i.status === 'reported' || i.status === 'verifying';
}

/** Whether the alert makes sound: critical always (no mute), high unless muted. */
export function audible(i: Pick<Incident, 'severity'>, muteHigh: boolean): boolean {
  return i.severity === 'critical' || (i.severity === 'high' && !muteHigh);
}

export interface PendingAlert {
  id: string;
  /** The server's Chinese title: what the speech synthesis reads. */
  title: string;
  /** For the toast's heading in the screen's language. */
  category?: string;
  gridId?: string | null;
  severity: Incident['severity'];
  /** When the alert last sounded (ms). */
  soundedAt: number;
}

/** Alerts due to sound again: unacknowledged for a full repeat interval. */
export function dueRepeats(alerts: readonly PendingAlert[], now: number, everyMs = ALERT_REPEAT_MS): PendingAlert[] {
  return alerts.filter((a) => now - a.soundedAt >= everyMs);
}

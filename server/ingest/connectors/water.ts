/**
 * Welfare check from a water meter (独居老人用水异常): an elderly person living alone who uses almost no water for a
 * long time may have fallen or be ill. From cumulative meter readings: when the use over the last `hours`
 * (measured from the newest reading at or before now − hours) is under `litres`, an anomaly episode starts; it
 * ends when the use over the window is back at or above the threshold. One incident per episode.
 * Pure: the caller keeps the state (and persists it).
 */

export interface WaterState {
  /** [time ms, cumulative litres], oldest first; bounded (see MAX_READINGS / spacing). */
  readings: [number, number][];
  /** Start (reading time, ms) of the open anomaly episode, or null. */
  episode: number | null;
}

export interface WaterOptions {
  litres: number;
  hours: number;
}

export type WaterOutcome =
  | { kind: 'stale' } // not newer than the last reading: already seen (redelivery) or out of order
  | { kind: 'warming_up' } // not yet `hours` of history
  | { kind: 'normal'; usedLitres: number }
  | { kind: 'anomaly_started'; episode: number; usedLitres: number; sinceMs: number }
  | { kind: 'anomaly_continues'; episode: number; usedLitres: number };

const MAX_READINGS = 200;

export function emptyWaterState(): WaterState {
  return { readings: [], episode: null };
}

/** Apply one reading; returns the outcome and the next state (the input is not mutated). */
export function applyWaterReading(prev: WaterState, atMs: number, litres: number, opt: WaterOptions): { outcome: WaterOutcome; state: WaterState } {
  const windowMs = opt.hours * 3_600_000;
  const last = prev.readings[prev.readings.length - 1];
  if (last && atMs <= last[0]) return { outcome: { kind: 'stale' }, state: prev };
  let readings = prev.readings.slice();
  // A replaced or reset meter (the cumulative count went down): start its history again.
  if (last && litres < last[1]) readings = [];
  // Keep at most ~100 readings per window: a reading closer than window/100 to the one before the last replaces the last.
  const minSpacing = windowMs / 100;
  const beforeLast = readings[readings.length - 2];
  if (beforeLast && readings.length >= 2 && atMs - beforeLast[0] < minSpacing) readings.pop();
  readings.push([atMs, litres]);
  // Drop readings older than the newest one at or before the window start (it is the anchor).
  const start = atMs - windowMs;
  let anchorIdx = -1;
  for (let i = readings.length - 1; i >= 0; i--) {
    if (readings[i]![0] <= start) {
      anchorIdx = i;
      break;
    }
  }
  if (anchorIdx > 0) readings = readings.slice(anchorIdx);
  if (readings.length > MAX_READINGS) readings = readings.slice(readings.length - MAX_READINGS);
  const anchor = anchorIdx >= 0 ? readings[0]! : null;
  if (!anchor || anchor[0] > start) return { outcome: { kind: 'warming_up' }, state: { readings, episode: prev.episode } };
  const usedLitres = litres - anchor[1];
  if (usedLitres >= opt.litres) return { outcome: { kind: 'normal', usedLitres }, state: { readings, episode: null } };
  if (prev.episode !== null) return { outcome: { kind: 'anomaly_continues', episode: prev.episode, usedLitres }, state: { readings, episode: prev.episode } };
  return {
    outcome: { kind: 'anomaly_started', episode: atMs, usedLitres, sinceMs: anchor[0] },
    state: { readings, episode: atMs },
  };
}

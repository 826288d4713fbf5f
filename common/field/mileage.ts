import { CST_OFFSET_MS } from '../time.ts';
import { MIN_KEEP_DISTANCE_M, MIN_KEEP_INTERVAL_MS, type Patrol, type PositionFix } from './types.ts';

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres. */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

type Fix = Pick<PositionFix, 'lng' | 'lat' | 'at'> & { accuracy?: number | null; patrolId?: string | null };

/** Keep a fix unless it is both within 20 m and within 10 s of the last kept one (and not older than it). */
export function keepFix(last: Fix | null, next: Fix): boolean {
  if (!last) return true;
  const dt = Date.parse(next.at) - Date.parse(last.at);
  if (dt <= 0) return false;
  return dt >= MIN_KEEP_INTERVAL_MS || distanceM(last, next) >= MIN_KEEP_DISTANCE_M;
}

/** A step faster than this is a GPS jump (a fix snapping to a far tower), not walking or an e-bike. */
export const MAX_SPEED_M_S = 15;
/** Fixes vaguer than this (metres) do not count towards mileage. */
export const MAX_ACCURACY_M = 100;

export interface PatrolDay {
  /** Metres walked on patrol inside the day. */
  distanceM: number;
  /** Time on patrol inside the day (a patrol under way counts up to `now`). */
  durationMs: number;
  patrols: number;
}

/**
 * A worker's patrol mileage and time in [fromMs, toMs): the time is the patrols' overlap with the range; the
 * distance sums consecutive fixes that both lie inside one patrol and the range, skipping vague fixes and jumps.
 */
export function patrolDay(fixes: readonly Fix[], patrols: readonly (Pick<Patrol, 'startedAt' | 'endedAt'> & { id?: string })[], fromMs: number, toMs: number, nowMs: number): PatrolDay {
  const windows = patrols
    .map((p) => [Math.max(fromMs, Date.parse(p.startedAt)), Math.min(toMs, p.endedAt ? Date.parse(p.endedAt) : nowMs)] as const)
    .filter(([a, b]) => b > a);
  const durationMs = windows.reduce((sum, [a, b]) => sum + (b - a), 0);
  const timeWindowOf = (ms: number) => windows.findIndex(([a, b]) => ms >= a && ms <= b);
  // A fix the server tagged with a patrol belongs to it (a queued fix may be dated a little ahead of the clock).
  const ids = patrols.map((p) => p.id);
  const windowOf = (f: Fix) => {
    const t = Date.parse(f.at);
    if (t < fromMs || t >= toMs) return -1;
    const tagged = f.patrolId ? ids.indexOf(f.patrolId) : -1;
    return tagged >= 0 ? tagged + 0.5 : timeWindowOf(t);
  };
  const good = fixes.filter((f) => (f.accuracy ?? 0) <= MAX_ACCURACY_M).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  let distance = 0;
  let prev: Fix | null = null;
  for (const f of good) {
    const t = Date.parse(f.at);
    const w = windowOf(f);
    if (w < 0) {
      prev = null;
      continue;
    }
    if (prev && windowOf(prev) === w) {
      const d = distanceM(prev, f);
      const dt = (t - Date.parse(prev.at)) / 1000;
      // A jump is skipped, and the walk resumes from the jumped-to fix only if the next step is plausible.
      if (dt > 0 && d / dt > MAX_SPEED_M_S) continue;
      distance += d;
    }
    prev = f;
  }
  return { distanceM: Math.round(distance), durationMs, patrols: windows.length };
}

/** [from, to) in epoch ms of a calendar day in China Standard Time (`YYYY-MM-DD`), or null for a bad date. */
export function cstDay(date: string): [number, number] | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(midnightUtc) || new Date(midnightUtc).toISOString().slice(0, 10) !== date) return null;
  const from = midnightUtc - CST_OFFSET_MS;
  return [from, from + 86_400_000];
}

/** The China Standard Time calendar day of an instant, `YYYY-MM-DD`. */
export function cstDate(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);
}

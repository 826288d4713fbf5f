import { distanceM } from '../geo/crs.ts';
import type { Incident } from './types.ts';
import { TERMINAL_STATUSES } from './types.ts';

/**
 * When a new report is the same thing as an open incident: a smoke alarm and a hotline call about the
 * same building within minutes are one fire, with two reports. Pure rules; the store finds candidates.
 */
export const MERGE_RADIUS_M = 150;
export const MERGE_WINDOW_MS = 30 * 60_000;

/** Categories that different upstreams report for one happening (a sensor says "elevator fault", a caller "trapped"). */
const FAMILIES: readonly (readonly string[])[] = [
  ['fire', 'gas_leak'],
  ['elevator', 'elevator_fault'],
  ['garbage_exposed', 'garbage_accumulated', 'road_cleaning'],
  ['street_vending', 'unlicensed_vendor'],
  ['construction_noise', 'noise'],
  ['waterlogging', 'pipe_burst'],
];
const familyOf = new Map<string, number>();
FAMILIES.forEach((codes, i) => codes.forEach((c) => familyOf.set(c, i)));

/** A key equal for exactly the categories `sameFamily` joins: the family's number, or the code itself. */
export function mergeFamily(category: string): string {
  const f = familyOf.get(category);
  return f === undefined ? category : `#${f}`;
}

export function sameFamily(a: string, b: string): boolean {
  if (a === b) return true;
  const fa = familyOf.get(a);
  return fa !== undefined && fa === familyOf.get(b);
}

export type MergeCandidate = Pick<Incident, 'category' | 'location' | 'reportedAt' | 'status'>;
export type MergeReport = Pick<Incident, 'category' | 'location' | 'reportedAt'>;

/** True when `report` describes the same happening as the open incident `existing`. */
export function canMerge(existing: MergeCandidate, report: MergeReport): boolean {
  if (TERMINAL_STATUSES.includes(existing.status)) return false;
  if (!sameFamily(existing.category, report.category)) return false;
  if (Math.abs(Date.parse(report.reportedAt) - Date.parse(existing.reportedAt)) > MERGE_WINDOW_MS) return false;
  return distanceM(existing.location, report.location) <= MERGE_RADIUS_M;
}

/** Among candidates, the one to merge into: the nearest, then the earliest reported. */
export function pickMergeTarget<T extends MergeCandidate>(candidates: readonly T[], report: MergeReport): T | null {
  let best: T | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    if (!canMerge(c, report)) continue;
    const d = distanceM(c.location, report.location);
    if (d < bestD || (d === bestD && best !== null && c.reportedAt < best.reportedAt)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Degrees of latitude / longitude that cover MERGE_RADIUS_M around `lat`, for a bounding-box prefilter. */
export function mergeBox(lat: number): { dLat: number; dLng: number } {
  const dLat = MERGE_RADIUS_M / 111_320;
  return { dLat, dLng: dLat / Math.max(Math.cos((lat * Math.PI) / 180), 0.01) };
}

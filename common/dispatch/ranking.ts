/**
 * Ranking of who should take an incident: a pure function of the incident and the candidates' facts.
 *
 * A worker's score adds (weights are the named constants below):
 *   distance     W_DISTANCE · e^(−d / DISTANCE_SCALE_M), d = haversine metres from its live position when
 *                fresh (rankingPosition: < 2 min), else its home grid's centre (40 at the spot, ≈15 at 1 km, ≈2 at 3 km);
 *   home grid    W_HOME_GRID when the incident lies in the worker's own grid;
 *   on duty      W_ON_DUTY when on shift now per the roster (shifts.ts): an off-duty worker is demoted, not hidden;
 *   load         W_LOAD / (1 + open / LOAD_HALF_CASES): 15 with no open case, half that with 3 (overloaded demoted);
 *   on-time      W_ON_TIME · rate of cases closed on time over 30 days (NEUTRAL_ON_TIME_RATE when it closed none);
 *   category     W_CATEGORY when it handles the incident's category (grid workers are generalists).
 * A party (department, property company, social organisation, volunteer team) must handle the category and
 * cover the incident's region, or it is left out; it scores W_CATEGORY, coverage by how close its region is
 * (W_COVERAGE by level: its own grid … the whole district), load and on-time as above. A nearby worker on duty
 * therefore outranks parties, which outrank far or off-duty workers: parties are mostly the assisting side.
 * Best first; equal scores keep the order the candidates were given in (the sort is stable). Of `limit` places,
 * up to PARTY_SHARE are kept for the best eligible parties even when more workers score higher, so the list
 * always shows whom to ask to assist (co-dispatch).
 */
import type { LngLat, RegionLevel } from '../geo/types.ts';
import { regionLevelOf } from '../geo/types.ts';
import type { Candidate, CandidateReason } from './types.ts';

export const W_DISTANCE = 40;
export const DISTANCE_SCALE_M = 1000;
export const W_HOME_GRID = 10;
export const W_ON_DUTY = 25;
export const W_LOAD = 15;
export const LOAD_HALF_CASES = 3;
export const W_ON_TIME = 10;
export const NEUTRAL_ON_TIME_RATE = 0.8;
export const W_CATEGORY = 20;
export const PARTY_SHARE = 0.3;
export const W_COVERAGE: Readonly<Record<RegionLevel, number>> = { grid: 20, community: 15, street: 10, district: 5 };

export interface RankTarget {
  location: LngLat;
  /** The incident's grid; null outside every grid. */
  gridId: string | null;
  /** Region the incident belongs to for coverage: its grid, or the root region outside every grid. */
  regionId: string;
  category: string;
}

export interface WorkerFacts {
  id: string;
  name: string;
  gridId: string;
  /** Last known position, else the home grid's centre; null when neither is known. */
  position: LngLat | null;
  onDuty: boolean;
  openCases: number;
  /** 0..1 over 30 days; null when it closed no case. */
  onTimeRate: number | null;
  /** Default true: grid workers take every category. */
  handlesCategory?: boolean;
  /** True when `position` is a fresh live fix (reason `live_position`). */
  livePosition?: boolean;
}

export interface PartyFacts {
  id: string;
  name: string;
  categories: readonly string[];
  regionIds: readonly string[];
  openCases: number;
  onTimeRate: number | null;
}

const EARTH_RADIUS_M = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversineM(a: LngLat, b: LngLat): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A live fix older than this is not where the worker is now: the home grid's centre is used instead (issue 9). */
export const LIVE_POSITION_MAX_AGE_MS = 2 * 60_000;

/** Where to measure a worker's distance from: the live fix when fresh (< 2 min), else the home grid's centre. */
export function rankingPosition(
  live: (LngLat & { at: string }) | null,
  home: LngLat | null,
  nowMs: number,
): { position: LngLat | null; live: boolean } {
  if (live && nowMs - Date.parse(live.at) < LIVE_POSITION_MAX_AGE_MS) return { position: { lng: live.lng, lat: live.lat }, live: true };
  return { position: home, live: false };
}

const loadPoints = (open: number) => W_LOAD / (1 + Math.max(0, open) / LOAD_HALF_CASES);
const onTimePoints = (rate: number | null) => W_ON_TIME * (rate ?? NEUTRAL_ON_TIME_RATE);
const round1 = (x: number) => Math.round(x * 10) / 10;

export function scoreWorker(t: RankTarget, w: WorkerFacts): Candidate {
  const distance = w.position ? haversineM(w.position, t.location) : null;
  const homeGrid = t.gridId !== null && t.gridId === w.gridId;
  const handles = w.handlesCategory ?? true;
  const score =
    (distance === null ? 0 : W_DISTANCE * Math.exp(-distance / DISTANCE_SCALE_M)) +
    (homeGrid ? W_HOME_GRID : 0) +
    (w.onDuty ? W_ON_DUTY : 0) +
    loadPoints(w.openCases) +
    onTimePoints(w.onTimeRate) +
    (handles ? W_CATEGORY : 0);
  const reasons: CandidateReason[] = [
    { code: 'distance_m', value: distance === null ? null : Math.round(distance) },
    ...(w.livePosition ? [{ code: 'live_position' as const, value: true }] : []),
    { code: 'home_grid', value: homeGrid },
    { code: 'on_duty', value: w.onDuty },
    { code: 'open_cases', value: w.openCases },
    { code: 'handles_category', value: handles },
    { code: 'on_time_rate', value: w.onTimeRate },
  ];
  return { kind: 'worker', id: w.id, name: w.name, score: round1(score), reasons };
}

/** Null when the party does not handle the category or does not cover the incident's region. */
export function scoreParty(t: RankTarget, p: PartyFacts): Candidate | null {
  if (!p.categories.includes(t.category)) return null;
  const covering = p.regionIds.filter((r) => t.regionId.startsWith(r));
  if (!covering.length) return null;
  const closest = covering.reduce((a, b) => (b.length > a.length ? b : a));
  const level = regionLevelOf(closest) ?? 'district';
  const score = W_CATEGORY + W_COVERAGE[level] + loadPoints(p.openCases) + onTimePoints(p.onTimeRate);
  const reasons: CandidateReason[] = [
    { code: 'handles_category', value: true },
    { code: 'open_cases', value: p.openCases },
    { code: 'on_time_rate', value: p.onTimeRate },
  ];
  return { kind: 'party', id: p.id, name: p.name, score: round1(score), reasons };
}

/** Workers and eligible parties, best first, at most `limit`. */
export function rankCandidates(t: RankTarget, workers: readonly WorkerFacts[], parties: readonly PartyFacts[], limit = 10): Candidate[] {
  const scored: Candidate[] = workers.map((w) => scoreWorker(t, w));
  for (const p of parties) {
    const c = scoreParty(t, p);
    if (c) scored.push(c);
  }
  // Array.prototype.sort is stable: equal scores keep the given order.
  scored.sort((a, b) => b.score - a.score);
  const n = Math.max(0, limit);
  const kept = new Set(scored.filter((c) => c.kind === 'party').slice(0, Math.ceil(n * PARTY_SHARE)));
  for (const c of scored) {
    if (kept.size >= n) break;
    kept.add(c);
  }
  return scored.filter((c) => kept.has(c));
}

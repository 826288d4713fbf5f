/**
 * Community-life indicators (issue 11), pure and aggregated up the region tree by code prefix:
 * - activities and attendances per 1,000 residents (last 30 days);
 * - share of attendees aged 60+ (of attendees whose age is known);
 * - reached-alone rate: share of elderly living alone who attended an activity or received a visit in the last
 *   30 days; its complement is the isolation rate (the map colours isolation: higher is worse);
 * - visit coverage per tier: residents visited within their tier's interval / residents due (registered at
 *   least one interval ago, or visited);
 * - overdue visits: residents whose next visit is past due.
 * Inputs are counts per region key (a grid, or the community an activity belongs to); a region's figures are the
 * sum over every key within it. The wall gets `suppressCare`: counts 1..4 as '<5', rates of groups under 5 null.
 */
import { isWithinScope } from '../geo/types.ts';
import { complementCells } from '../population/privacy.ts';
import { SUPPRESSED, type SuppressedCount } from '../population/types.ts';
import { addInterval, visitStatus, type TierRule } from './tiers.ts';
import { VISIT_TIERS, type CareResident, type VisitTier } from './types.ts';

export const WINDOW_DAYS = 30;
const WINDOW_MS = WINDOW_DAYS * 86_400_000;

export interface CareCounts {
  population: number;
  residents: number;
  alone: number;
  aloneReached: number;
  tierDue: Record<VisitTier, number>;
  tierCovered: Record<VisitTier, number>;
  overdue: number;
  visits30d: number;
  needsHelp30d: number;
  activities30d: number;
  attendances30d: number;
  attendeesAged: number;
  attendees60Plus: number;
}

export const tierRecord = (v = 0): Record<VisitTier, number> => ({ weekly: v, monthly: v, quarterly: v });

export function emptyCounts(): CareCounts {
  return { population: 0, residents: 0, alone: 0, aloneReached: 0, tierDue: tierRecord(), tierCovered: tierRecord(), overdue: 0, visits30d: 0, needsHelp30d: 0, activities30d: 0, attendances30d: 0, attendeesAged: 0, attendees60Plus: 0 };
}

export interface CareInput {
  now: Date;
  residents: readonly Pick<CareResident, 'id' | 'gridId' | 'birthDate' | 'livingAlone' | 'emptyNest' | 'conditions' | 'registeredAt'>[];
  /** Newest visit per resident id (ISO). */
  lastVisit: ReadonlyMap<string, string>;
  /** Visits of the last 30 days (for counts and reach). */
  visits: readonly { residentId: string; gridId: string; visitedAt: string; outcome: string }[];
  /** Occurrences held in the last 30 days, by the activity's region. */
  occurrences: readonly { regionId: string; start: string }[];
  /** Attended registrations of the last 30 days, by the activity's region. */
  attended: readonly { regionId: string; occurrence: string; age: number | null; residentId: string | null }[];
  /** Residents per grid (the population registry's latest month). */
  population: ReadonlyMap<string, number>;
  rules?: readonly TierRule[];
}

/** Raw counts per region key (grid ids for residents and visits; the activity's region for activities). */
export function careCounts(input: CareInput): Map<string, CareCounts> {
  const { now } = input;
  const since = now.getTime() - WINDOW_MS;
  const inWindow = (iso: string) => {
    const t = Date.parse(iso);
    return t >= since && t <= now.getTime();
  };
  const out = new Map<string, CareCounts>();
  const at = (key: string) => out.get(key) ?? out.set(key, emptyCounts()).get(key)!;
  for (const [gridId, n] of input.population) at(gridId).population += n;

  const reached = new Set<string>();
  for (const v of input.visits) {
    if (!inWindow(v.visitedAt)) continue;
    reached.add(v.residentId);
    const c = at(v.gridId);
    c.visits30d++;
    if (v.outcome === 'needs_help') c.needsHelp30d++;
  }
  for (const o of input.occurrences) if (inWindow(o.start)) at(o.regionId).activities30d++;
  for (const a of input.attended) {
    if (!inWindow(a.occurrence)) continue;
    const c = at(a.regionId);
    c.attendances30d++;
    if (a.age !== null) {
      c.attendeesAged++;
      if (a.age >= 60) c.attendees60Plus++;
    }
    if (a.residentId) reached.add(a.residentId);
  }
  for (const r of input.residents) {
    const c = at(r.gridId);
    c.residents++;
    const last = input.lastVisit.get(r.id) ?? null;
    if (r.livingAlone) {
      c.alone++;
      // The last visit also counts when logged in the grid the resident lived in before a move.
      if (reached.has(r.id) || (last !== null && inWindow(last))) c.aloneReached++;
    }
    const s = visitStatus(r, last, now, input.rules);
    if (s.overdue) c.overdue++;
    const everDue = last !== null || addInterval(new Date(r.registeredAt), s.tier, input.rules).getTime() <= now.getTime();
    if (everDue) {
      c.tierDue[s.tier]++;
      if (!s.overdue && last !== null) c.tierCovered[s.tier]++;
    }
  }
  return out;
}

export function addCounts(t: CareCounts, s: CareCounts): CareCounts {
  for (const k of Object.keys(t) as (keyof CareCounts)[]) {
    if (k === 'tierDue' || k === 'tierCovered') for (const tier of VISIT_TIERS) t[k][tier] += s[k][tier];
    else t[k] += s[k];
  }
  return t;
}

/** The sum of every key within `regionId`. */
export function rollup(counts: ReadonlyMap<string, CareCounts>, regionId: string): CareCounts {
  const sum = emptyCounts();
  for (const [key, c] of counts) if (isWithinScope(key, regionId)) addCounts(sum, c);
  return sum;
}

export interface CareIndicatorsOf<N> {
  regionId: string;
  residents: N;
  livingAlone: N;
  /** Share of elderly living alone NOT reached (no activity, no visit) in 30 days; null without any. */
  isolationRate: number | null;
  /** The complement: share of elderly living alone reached in 30 days. */
  reachedAloneRate: number | null;
  visitCoverage: Record<VisitTier, number | null>;
  overdueVisits: N;
  visits30d: N;
  needsHelp30d: N;
  activities30d: N;
  attendances30d: N;
  activitiesPer1000: number | null;
  attendancePer1000: number | null;
  share60Plus: number | null;
}
export type CareIndicators = CareIndicatorsOf<number>;
export type WallCareIndicators = CareIndicatorsOf<SuppressedCount>;

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
const per1000 = (n: number, pop: number) => (pop > 0 ? (n * 1000) / pop : null);

export function careIndicators(regionId: string, c: CareCounts): CareIndicators {
  const reachedAloneRate = rate(c.aloneReached, c.alone);
  return {
    regionId,
    residents: c.residents,
    livingAlone: c.alone,
    isolationRate: reachedAloneRate === null ? null : 1 - reachedAloneRate,
    reachedAloneRate,
    visitCoverage: { weekly: rate(c.tierCovered.weekly, c.tierDue.weekly), monthly: rate(c.tierCovered.monthly, c.tierDue.monthly), quarterly: rate(c.tierCovered.quarterly, c.tierDue.quarterly) },
    overdueVisits: c.overdue,
    visits30d: c.visits30d,
    needsHelp30d: c.needsHelp30d,
    activities30d: c.activities30d,
    attendances30d: c.attendances30d,
    activitiesPer1000: per1000(c.activities30d, c.population),
    attendancePer1000: per1000(c.attendances30d, c.population),
    share60Plus: rate(c.attendees60Plus, c.attendeesAged),
  };
}

const small = (n: number) => n >= 1 && n <= 4;
const mark = (n: number): SuppressedCount => (small(n) ? SUPPRESSED : n);

/**
 * The wall's copy: every count 1..4 as '<5', and a rate null when the group it is taken of is under 5 people
 * (a share of three residents tells who was not visited). `c` gives the rates' denominators.
 */
export function suppressCare(i: CareIndicators, c: CareCounts): WallCareIndicators {
  // A share of n people is shown only when neither the people it counts nor the rest are 1..4 (20 % of 10 is 2).
  const shareOk = (part: number, whole: number) => whole >= 5 && !small(part) && !small(whole - part);
  return {
    ...i,
    residents: mark(i.residents),
    livingAlone: mark(i.livingAlone),
    isolationRate: shareOk(c.aloneReached, c.alone) ? i.isolationRate : null,
    reachedAloneRate: shareOk(c.aloneReached, c.alone) ? i.reachedAloneRate : null,
    visitCoverage: {
      weekly: shareOk(c.tierCovered.weekly, c.tierDue.weekly) ? i.visitCoverage.weekly : null,
      monthly: shareOk(c.tierCovered.monthly, c.tierDue.monthly) ? i.visitCoverage.monthly : null,
      quarterly: shareOk(c.tierCovered.quarterly, c.tierDue.quarterly) ? i.visitCoverage.quarterly : null,
    },
    // Per 1,000 residents of a hidden count: two such rates side by side give it back (their ratio × the other count).
    activitiesPer1000: small(c.activities30d) ? null : i.activitiesPer1000,
    attendancePer1000: small(c.attendances30d) ? null : i.attendancePer1000,
    overdueVisits: mark(i.overdueVisits),
    visits30d: mark(i.visits30d),
    needsHelp30d: mark(i.needsHelp30d),
    activities30d: mark(i.activities30d),
    attendances30d: mark(i.attendances30d),
    share60Plus: shareOk(c.attendees60Plus, c.attendeesAged) ? i.share60Plus : null,
  };
}

/** The API reply of GET /api/care/indicators: the region and its children (the choropleth's cells). */
export interface CareIndicatorsReply<N = number> {
  region: CareIndicatorsOf<N>;
  children: CareIndicatorsOf<N>[];
  /** Attended per ISO week (Monday start, CST), oldest first: the wall's attendance trend. */
  attendanceTrend: { weekStart: string; attended: N }[];
  synthetic: boolean;
}

export type WallCareReply = CareIndicatorsReply<SuppressedCount>;

/** Wall counts and the rates that would give each back when the count is hidden as a complement. */
const WALL_COUNTS = {
  residents: [],
  livingAlone: ['isolationRate', 'reachedAloneRate'],
  overdueVisits: [],
  visits30d: [],
  needsHelp30d: [],
  activities30d: ['activitiesPer1000'],
  attendances30d: ['attendancePer1000', 'share60Plus'],
} as const satisfies Record<string, readonly (keyof WallCareIndicators)[]>;

/**
 * Complementary suppression of a wall reply's cells (the region first, then its communities and grids): the
 * region's and each community's totals are published beside their parts, so no count keeps exactly one hidden
 * part (common/population/privacy.ts). `exact` are the same cells unsuppressed.
 */
export function complementCare(wall: WallCareIndicators[], exact: readonly CareIndicators[]): void {
  const [region, ...children] = wall;
  if (!region) return;
  const communities = new Set(children.filter((c) => c.regionId.length === 12).map((c) => c.regionId));
  complementCells(
    children.map((w, k) => ({
      key: w.regionId,
      // The region's total against its communities, and against its grids; each community's against its grids.
      groups: [`${region.regionId}|${w.regionId.length}`, ...(w.regionId.length > 12 && communities.has(w.regionId.slice(0, 12)) ? [w.regionId.slice(0, 12)] : [])],
      count: (m) => exact[k + 1]![m as keyof typeof WALL_COUNTS],
      hidden: (m) => w[m as keyof typeof WALL_COUNTS] === SUPPRESSED,
      hide: (m) => {
        const key = m as keyof typeof WALL_COUNTS;
        const out = w as unknown as Record<string, unknown>;
        out[key] = SUPPRESSED;
        for (const r of WALL_COUNTS[key]) out[r] = null;
      },
    })),
    Object.keys(WALL_COUNTS),
  );
}

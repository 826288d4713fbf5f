/**
 * Privacy for population data on wall displays (DESIGN.md: "wall displays get aggregates
 * only, with counts under 5 suppressed").
 *
 * Representation: a suppressed count is `number | '<5'` (`SuppressedCount`). The marker is a
 * string so it can never be summed or charted by accident; consumers must branch on it.
 *
 * Zero stays 0. A zero singles nobody out (there is no one to identify), most special-group
 * cells of a grid are 0, and hiding them would blank the display without protecting anyone.
 * The threshold applies to 1..4.
 *
 * Primary suppression alone leaks by subtraction when a total is published next to a single
 * hidden cell (the reply publishes residents, and the 60+/65+/80+/15–64 totals through the
 * shares). So `suppressSmallCounts` also applies complementary suppression: in every additive
 * set whose total is derivable (each sex's row of age bands; each age segment between the
 * indicator cut points 15/60/65/80, both sexes; {registered, floating}) it never leaves exactly
 * one hidden cell, hiding the smallest other cell as well (which may be a 0 or a count ≥ 5;
 * so on a wall '<5' reads "hidden, small or a complement"). Households and special groups are
 * not additive and get primary suppression only.
 */
import {
  AGE_BANDS,
  SEXES,
  SPECIAL_GROUPS,
  SUPPRESSED,
  type AgeBand,
  type ExactPopulationReply,
  type IndicatorChange,
  type PopulationAggregate,
  type PopulationIndicators,
  type SuppressedAggregate,
  type SuppressedCount,
  type SuppressedIndicators,
  type SuppressedPopulationReply,
} from './types.ts';

/** True for 1..4: a count that could single out a person. */
export function isSmallCount(n: number): boolean {
  return n >= 1 && n <= 4;
}

const mark = (n: number): SuppressedCount => (isSmallCount(n) ? SUPPRESSED : n);

/** Band-index segments whose sums (both sexes) the indicators reveal: 0–14, 15–59, 60–64, 65–79, 80+. */
const SEGMENTS: readonly (readonly number[])[] = [
  [0, 1, 2],
  [3, 4, 5, 6, 7, 8, 9, 10, 11],
  [12],
  [13, 14, 15],
  [16, 17, 18, 19, 20],
];

type Cell = readonly [sexIdx: number, bandIdx: number];

/** Hidden cells of the sex × band table after primary and complementary suppression. */
function hiddenCells(a: PopulationAggregate): boolean[][] {
  const value = ([s, b]: Cell) => a.residents[SEXES[s] as 'male'][AGE_BANDS[b] as AgeBand];
  const hidden = SEXES.map((_, s) => AGE_BANDS.map((_b, b) => isSmallCount(value([s, b]))));
  const isHidden = ([s, b]: Cell) => hidden[s]?.[b] === true;
  // Hide one more cell in any set that has exactly one hidden; repeat until stable.
  const fix = (set: readonly Cell[]): boolean => {
    if (set.filter(isHidden).length !== 1) return false;
    let best: Cell | undefined;
    for (const c of set) if (!isHidden(c) && (!best || value(c) < value(best))) best = c;
    if (!best) return false;
    const row = hidden[best[0]];
    if (row) row[best[1]] = true;
    return true;
  };
  const rows: Cell[][] = SEXES.map((_, s) => AGE_BANDS.map((_b, b): Cell => [s, b]));
  const segs: Cell[][] = SEGMENTS.map((seg) => seg.flatMap((b): Cell[] => [[0, b], [1, b]]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const set of [...rows, ...segs]) changed = fix(set) || changed;
  }
  return hidden;
}

/** Wall-safe copy of an aggregate: counts 1..4 become `'<5'`, plus complementary cells (see above). */
export function suppressSmallCounts(a: PopulationAggregate): SuppressedAggregate {
  const hidden = hiddenCells(a);
  const row = (s: number): Record<AgeBand, SuppressedCount> => {
    const sex = SEXES[s] as 'male';
    return Object.fromEntries(
      AGE_BANDS.map((b, i) => [b, hidden[s]?.[i] ? SUPPRESSED : a.residents[sex][b]]),
    ) as Record<AgeBand, SuppressedCount>;
  };
  const pairHidden = isSmallCount(a.registered) || isSmallCount(a.floating);
  return {
    residents: { male: row(0), female: row(1) },
    households: mark(a.households),
    registered: pairHidden ? SUPPRESSED : a.registered,
    floating: pairHidden ? SUPPRESSED : a.floating,
    groups: Object.fromEntries(SPECIAL_GROUPS.map((g) => [g, mark(a.groups[g])])) as SuppressedAggregate['groups'],
  };
}

/** Indicators safe for a wall: any rate that would give back a count (or complement) of 1..4 becomes null. */
export function suppressIndicators(ind: PopulationIndicators): SuppressedIndicators {
  const n = ind.residents;
  const hideAll = isSmallCount(n);
  const rate = (r: number | null, scale: number): number | null => {
    if (r === null || hideAll) return null;
    const c = Math.round((r * n) / scale);
    return isSmallCount(c) || isSmallCount(n - c) ? null : r;
  };
  const share65Plus = rate(ind.share65Plus, 100);
  let dependency: number | null = null;
  if (share65Plus !== null && ind.oldAgeDependencyRatio !== null && ind.oldAgeDependencyRatio > 0) {
    const working = Math.round(((share65Plus * n) / 100) * (100 / ind.oldAgeDependencyRatio));
    dependency = isSmallCount(working) ? null : ind.oldAgeDependencyRatio;
  }
  return {
    residents: mark(n),
    households: mark(ind.households),
    personsPerHousehold: hideAll || isSmallCount(ind.households) ? null : ind.personsPerHousehold,
    share60Plus: rate(ind.share60Plus, 100),
    share65Plus,
    share80Plus: rate(ind.share80Plus, 100),
    oldAgeDependencyRatio: dependency,
    agingLevel: hideAll ? null : ind.agingLevel,
    livingAlonePer1000: rate(ind.livingAlonePer1000, 1000),
    floatingShare: rate(ind.floatingShare, 100),
  };
}

/** One cell of a published breakdown (a grid of the map layer, a child region of a reply) for `complementCells`. */
export interface ComplementCell {
  key: string;
  /** Keys of the groups whose totals are published (e.g. its community, street and district). */
  groups: readonly string[];
  /** The exact count behind a metric; null where the metric does not apply (nothing to hide or give back). */
  count(metric: string): number | null;
  hidden(metric: string): boolean;
  hide(metric: string): void;
}

/**
 * Complementary suppression across a breakdown: a group's total minus its shown cells gives back its one
 * hidden cell, so within every group no metric keeps exactly one hidden cell: the smallest other (non-zero
 * first, then by key) is hidden as well, until stable.
 */
export function complementCells(cells: readonly ComplementCell[], metrics: readonly string[]): void {
  const groups = new Map<string, ComplementCell[]>();
  for (const c of cells) for (const g of c.groups) (groups.get(g) ?? groups.set(g, []).get(g)!).push(c);
  const rank = (v: number) => (v === 0 ? Infinity : v);
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of metrics) {
      for (const members of groups.values()) {
        if (members.filter((c) => c.count(m) !== null && c.hidden(m)).length !== 1) continue;
        let best: { c: ComplementCell; v: number } | null = null;
        for (const c of members) {
          const v = c.count(m);
          if (v === null || c.hidden(m)) continue;
          if (!best || rank(v) < rank(best.v) || (rank(v) === rank(best.v) && c.key < best.c.key)) best = { c, v };
        }
        if (best) {
          best.c.hide(m);
          changed = true;
        }
      }
    }
  }
}

/** Counts behind a child's indicators, by metric (null: not published for it). */
const CHILD_METRICS: Record<string, (i: PopulationIndicators) => number | null> = {
  residents: (i) => i.residents,
  households: (i) => i.households,
  share60Plus: (i) => (i.share60Plus === null ? null : Math.round((i.share60Plus * i.residents) / 100)),
  share65Plus: (i) => (i.share65Plus === null ? null : Math.round((i.share65Plus * i.residents) / 100)),
  share80Plus: (i) => (i.share80Plus === null ? null : Math.round((i.share80Plus * i.residents) / 100)),
  livingAlonePer1000: (i) => (i.livingAlonePer1000 === null ? null : Math.round((i.livingAlonePer1000 * i.residents) / 1000)),
  floatingShare: (i) => (i.floatingShare === null ? null : Math.round((i.floatingShare * i.residents) / 100)),
};

/** A reply's children on a wall: each suppressed alone, then complemented among themselves (their parent's total is in the reply). */
function suppressChildren(children: ExactPopulationReply['children']): SuppressedPopulationReply['children'] {
  const out = children.map((ch) => ({ ...ch, indicators: suppressIndicators(ch.indicators) }));
  const cells: ComplementCell[] = out.map((ch, k) => ({
    key: ch.regionId,
    groups: ['parent'],
    count: (m) => CHILD_METRICS[m]!(children[k]!.indicators),
    hidden: (m) => {
      const v = ch.indicators[m as keyof SuppressedIndicators];
      return v === null || v === SUPPRESSED;
    },
    // The whole child: its other figures would give the count back (residents = persons per household × households).
    hide: () => {
      ch.indicators = { ...ch.indicators, residents: SUPPRESSED, households: SUPPRESSED, personsPerHousehold: null, share60Plus: null, share65Plus: null, share80Plus: null, oldAgeDependencyRatio: null, livingAlonePer1000: null, floatingShare: null };
    },
  }));
  complementCells(cells, Object.keys(CHILD_METRICS));
  return out;
}

/** The wall variant of a population reply. */
export function suppressReply(reply: ExactPopulationReply): SuppressedPopulationReply {
  const history = reply.history.map((p) => ({ month: p.month, indicators: suppressIndicators(p.indicators) }));
  let change12m: IndicatorChange | null = null;
  const c = reply.change12m;
  const from = c && history.find((p) => p.month === c.fromMonth)?.indicators;
  const to = c && history.find((p) => p.month === c.toMonth)?.indicators;
  if (c && from && to) {
    const keep = (v: number | null, a: number | null, b: number | null) => (a === null || b === null ? null : v);
    change12m = {
      fromMonth: c.fromMonth,
      toMonth: c.toMonth,
      residentsPct: from.residents === SUPPRESSED || to.residents === SUPPRESSED ? null : c.residentsPct,
      share60PlusPp: keep(c.share60PlusPp, from.share60Plus, to.share60Plus),
      share65PlusPp: keep(c.share65PlusPp, from.share65Plus, to.share65Plus),
      share80PlusPp: keep(c.share80PlusPp, from.share80Plus, to.share80Plus),
      oldAgeDependencyRatio: keep(c.oldAgeDependencyRatio, from.oldAgeDependencyRatio, to.oldAgeDependencyRatio),
      livingAlonePer1000: keep(c.livingAlonePer1000, from.livingAlonePer1000, to.livingAlonePer1000),
    };
  }
  return {
    suppressed: true,
    regionId: reply.regionId,
    month: reply.month,
    synthetic: reply.synthetic,
    aggregate: reply.aggregate && suppressSmallCounts(reply.aggregate),
    indicators: reply.indicators && suppressIndicators(reply.indicators),
    change12m,
    history,
    children: suppressChildren(reply.children),
  };
}

function count(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new TypeError(`population: ${path} is not a count`);
  return v;
}

/**
 * Projection to exactly the aggregate fields: a fresh object built from a whitelist, so
 * nothing else riding on the input (a name, an ID number, a household id…) can pass through.
 * Throws TypeError when a count is missing or not a non-negative integer.
 */
export function projectAggregate(x: unknown): PopulationAggregate {
  const o = (x ?? {}) as Record<string, unknown>;
  const res = (o.residents ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const groups = (o.groups ?? {}) as Record<string, unknown>;
  const row = (sex: 'male' | 'female') =>
    Object.fromEntries(AGE_BANDS.map((b) => [b, count(res[sex]?.[b], `residents.${sex}.${b}`)])) as Record<AgeBand, number>;
  return {
    residents: { male: row('male'), female: row('female') },
    households: count(o.households, 'households'),
    registered: count(o.registered, 'registered'),
    floating: count(o.floating, 'floating'),
    groups: Object.fromEntries(SPECIAL_GROUPS.map((g) => [g, count(groups[g], `groups.${g}`)])) as PopulationAggregate['groups'],
  };
}

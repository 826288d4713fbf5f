/**
 * Rollup rows: counters keyed by (level, period, kind, value, depth, region).
 *  - level 'd': period = CST day number (days since 1970-01-01 in UTC+8); level 'm': period = year·12 + month−1.
 *    A range answers from whole months of 'm' rows plus the days at its ends from 'd' rows; at the grid depth,
 *    which has no 'm' rows (hasMonthRows), from 'd' rows only.
 *  - kind 'c': per category; 's': per source; 'a': per lead assignee (worker or party), assigned cases only (no
 *    reader groups the unassigned, value ''). Kind '' (all cases) is a query kind, not stored: every case has
 *    exactly one source, so its rows are the 's' rows summed over their values (STORED_KIND_OF; the stores' sum
 *    and sumRows read them so). Each stored kind costs an upsert per depth and level for every new case.
 *  - depth: a region code length (district 6, street 9, community 12, grid 15); region = the case's grid id cut to
 *    it (a case outside every grid has the root id at every depth). Each case counts once at every depth, so a
 *    query reads the rows of one region (its own depth) or of its children (the next depth) and never sums grids.
 * Each case contributes to the day it was received, filed, dispatched, settled (the earlier of closure and
 * deadline: the day it is due) and closed; rollupDelta(old facts, new facts) is what one event changes.
 */
import { CST_OFFSET_MS } from '../time.ts';
import { REGION_CODE_LENGTH, REGION_LEVELS } from '../geo/types.ts';
import { isSatisfied } from '../incidents/verdict.ts';
import type { Counters } from './counters.ts';
import { addCounters, histBucket, isZero, zeroCounters } from './counters.ts';
import type { CaseFacts } from './facts.ts';

/** 按时签收: the assignee accepts within this time of the dispatch (wall-clock). */
export const ACCEPT_LIMIT_MS = 60 * 60_000;

const DAY_MS = 86_400_000;
export const ROLLUP_KINDS = ['', 'c', 's', 'a'] as const;
export type RollupKind = (typeof ROLLUP_KINDS)[number];
/** The kinds written to the rollups: '' is read from the 's' rows (one source per case). */
export const STORED_KINDS = ['c', 's', 'a'] as const satisfies readonly RollupKind[];
/** The stored kind a query kind's rows are read from, and whether their values are summed into one ('' for kind ''). */
export function storedKindOf(kind: RollupKind): { kind: RollupKind; oneValue: boolean } {
  return kind === '' ? { kind: 's', oneValue: true } : { kind, oneValue: false };
}

/** Region code lengths, root to leaf: the depths of the rollup rows. */
export const ROLLUP_DEPTHS: readonly number[] = REGION_LEVELS.map((l) => REGION_CODE_LENGTH[l]);
export const LEAF_DEPTH = REGION_CODE_LENGTH.grid;

export interface RollupKey {
  level: 'd' | 'm';
  period: number;
  kind: RollupKind;
  value: string;
  depth: number;
  region: string;
}
export interface RollupRow extends RollupKey {
  c: Counters;
}

export function cstDay(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS);
}
/** Month number of a CST day number. */
export function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}
/** First CST day number of a month number. */
export function firstDayOfMonth(month: number): number {
  return Date.UTC(Math.floor(month / 12), month % 12, 1) / DAY_MS;
}
/** 'YYYY-MM-DD' of a CST day number. */
export function dayLabel(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}
/** Epoch ms of the CST midnight starting a day number. */
export function dayStartMs(day: number): number {
  return day * DAY_MS - CST_OFFSET_MS;
}

type Part = [ms: number, c: Counters];

/** The settle part of a case: what it adds to the day it is due. Null when it is never due. */
export function settleContribution(f: CaseFacts): Part | null {
  if (f.merged || f.dueMs === null || f.status === 'rejected') return null;
  const c = zeroCounters();
  const closed = f.closedMs !== null;
  const onTime = closed && (f.feedbackMs ?? f.closedMs!) <= f.dueMs;
  c.due = 1;
  c.closed = closed ? 1 : 0;
  c.closedOnTime = onTime ? 1 : 0;
  c.overdue = onTime ? 0 : 1;
  c.reworked = f.reworks > 0 ? 1 : 0;
  c.extended = f.extended ? 1 : 0;
  c.replied = closed && f.verdict !== null ? 1 : 0;
  c.satisfied = closed && f.verdict !== null && isSatisfied(f.verdict) ? 1 : 0;
  return [closed ? Math.min(f.closedMs!, f.dueMs) : f.dueMs, c];
}

/** Every (time, counters) part of one case. */
export function contributionParts(f: CaseFacts): Part[] {
  if (f.merged) return [];
  const parts: Part[] = [];
  const one = (field: 'received' | 'filed'): Counters => {
    const c = zeroCounters();
    c[field] = 1;
    return c;
  };
  parts.push([f.reportedMs, one('received')]);
  if (f.filedMs !== null) parts.push([f.filedMs, one('filed')]);
  if (f.dispatchedMs !== null && f.status !== 'rejected') {
    const c = zeroCounters();
    c.dispatched = 1;
    c.acceptedOnTime = f.acceptedMs !== null && f.acceptedMs - f.dispatchedMs <= ACCEPT_LIMIT_MS ? 1 : 0;
    parts.push([f.dispatchedMs, c]);
  }
  const settle = settleContribution(f);
  if (settle) parts.push(settle);
  if (f.closedMs !== null) {
    const c = zeroCounters();
    const minutes = Math.max(0, Math.round((f.closedMs - f.reportedMs) / 60_000));
    c.durN = 1;
    c.durSumMin = minutes;
    c.hist[histBucket(minutes)] = 1;
    parts.push([f.closedMs, c]);
  }
  return parts;
}

const VALUE: Record<(typeof STORED_KINDS)[number], (f: CaseFacts) => string> = {
  c: (f) => f.category,
  s: (f) => f.source,
  a: (f) => f.assignee,
};

/** The map key of a row (rowAt builds the same string). */
export function keyString(k: RollupKey): string {
  return `${k.level}|${k.period}|${k.kind}|${k.value}|${k.depth}|${k.region}`;
}

function rowAt(acc: Map<string, RollupRow>, level: 'd' | 'm', period: number, kind: RollupKind, value: string, depth: number, region: string): RollupRow {
  const ks = `${level}|${period}|${kind}|${value}|${depth}|${region}`;
  let row = acc.get(ks);
  if (!row) acc.set(ks, (row = { level, period, kind, value, depth, region, c: zeroCounters() }));
  return row;
}

/** Add sign × the case's day rows at the leaf depth (one per part and kind) to `acc`. */
export function accumulateLeaves(acc: Map<string, RollupRow>, f: CaseFacts, sign: 1 | -1): void {
  for (const [ms, c] of contributionParts(f)) {
    const day = cstDay(ms);
    for (const kind of STORED_KINDS) {
      const value = VALUE[kind](f);
      if (kind === 'a' && value === '') continue;
      addCounters(rowAt(acc, 'd', day, kind, value, LEAF_DEPTH, f.grid).c, c, sign);
    }
  }
}

/**
 * Whether a depth has month rows. The grid depth has none: a grid's day rows are few (a grid of the district gets
 * a few cases a day), so its ranges are read from day rows, and a new case writes 2 rows per kind there, not 4.
 */
export function hasMonthRows(depth: number): boolean {
  return depth !== LEAF_DEPTH;
}

/** Add a leaf-depth day row to the rows it rolls up to: its day at every depth, its month above the grids. */
export function rollUp(acc: Map<string, RollupRow>, leaf: RollupRow): void {
  const month = monthOfDay(leaf.period);
  for (const depth of ROLLUP_DEPTHS) {
    const region = leaf.region.slice(0, depth);
    addCounters(rowAt(acc, 'd', leaf.period, leaf.kind, leaf.value, depth, region).c, leaf.c);
    if (hasMonthRows(depth)) addCounters(rowAt(acc, 'm', month, leaf.kind, leaf.value, depth, region).c, leaf.c);
  }
}

/** Add sign × the case's rows to `acc` (keyed by keyString). */
export function accumulate(acc: Map<string, RollupRow>, f: CaseFacts, sign: 1 | -1): void {
  const leaves = new Map<string, RollupRow>();
  accumulateLeaves(leaves, f, sign);
  for (const leaf of leaves.values()) rollUp(acc, leaf);
}

/** What replacing `before` by `after` changes, non-zero rows only. */
export function rollupDelta(before: CaseFacts | null, after: CaseFacts | null, acc = new Map<string, RollupRow>()): Map<string, RollupRow> {
  if (before) accumulate(acc, before, -1);
  if (after) accumulate(acc, after, 1);
  dropZeroRows(acc);
  return acc;
}

/** Drop the rows whose counters came to zero (once per fold of many events: not after each). */
export function dropZeroRows(acc: Map<string, RollupRow>): void {
  for (const [k, r] of acc) if (isZero(r.c)) acc.delete(k);
}

/**
 * Indicators of governance from summed rollup counters (definitions in the README, "Analytics").
 * Rates are fractions 0–1, null when their denominator is 0.
 */
import type { Counters } from './counters.ts';
import { histQuantile } from './counters.ts';

export interface Indicators {
  received: number;
  filed: number;
  dispatched: number;
  due: number;
  closed: number;
  closedOnTime: number;
  reworked: number;
  extended: number;
  /** 超期数: due cases not resolved by their deadline. */
  overdue: number;
  replied: number;
  satisfied: number;
  /** 结案率 closed / due */
  closureRate: number | null;
  /** 按期结案率 closedOnTime / due */
  onTimeRate: number | null;
  /** 按时签收率 acceptedOnTime / dispatched */
  acceptOnTimeRate: number | null;
  /** 返工率 reworked / due */
  reworkRate: number | null;
  /** 延期率 extended / due */
  extensionRate: number | null;
  /** 满意率 satisfied / replied */
  satisfactionRate: number | null;
  /** 回复率 replied / closed */
  replyRate: number | null;
  /** Report → close, minutes, over cases closed in the period. */
  meanCloseMinutes: number | null;
  p90CloseMinutes: number | null;
}

export const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);

export function indicatorsOf(c: Counters): Indicators {
  return {
    received: c.received,
    filed: c.filed,
    dispatched: c.dispatched,
    due: c.due,
    closed: c.closed,
    closedOnTime: c.closedOnTime,
    reworked: c.reworked,
    extended: c.extended,
    overdue: c.overdue,
    replied: c.replied,
    satisfied: c.satisfied,
    closureRate: rate(c.closed, c.due),
    onTimeRate: rate(c.closedOnTime, c.due),
    acceptOnTimeRate: rate(c.acceptedOnTime, c.dispatched),
    reworkRate: rate(c.reworked, c.due),
    extensionRate: rate(c.extended, c.due),
    satisfactionRate: rate(c.satisfied, c.replied),
    replyRate: rate(c.replied, c.closed),
    meanCloseMinutes: c.durN > 0 ? c.durSumMin / c.durN : null,
    p90CloseMinutes: histQuantile(c.hist, 0.9),
  };
}

export type IndicatorName = keyof Indicators;
export const INDICATOR_NAMES = Object.keys(indicatorsOf({ hist: [] } as unknown as Counters)) as IndicatorName[];

/** Change from the previous period: current − previous per indicator (rates in fraction points); null when either is null. */
export function changeOf(cur: Indicators, prev: Indicators): Record<IndicatorName, number | null> {
  const out = {} as Record<IndicatorName, number | null>;
  for (const k of INDICATOR_NAMES) {
    const a = cur[k];
    const b = prev[k];
    out[k] = a === null || b === null ? null : a - b;
  }
  return out;
}

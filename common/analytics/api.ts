/** Wire shape of GET /api/analytics (README "Analytics"). */
import { z } from 'zod';
import type { Indicators, IndicatorName } from './indicators.ts';

export const GROUP_BYS = ['region', 'worker', 'party', 'category', 'source', 'day'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
/** A calendar date that exists: 2026-02-30 or 2026-13-01 match the pattern but are no day (they used to answer 200, all zeros). */
export const calendarDay = z
  .string()
  .regex(DAY_RE)
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, { message: 'not a calendar date (YYYY-MM-DD)' });
export const analyticsQuerySchema = z
  .object({
    regionId: z.string().regex(/^\d{6,15}$/).optional(),
    /** Local (CST) dates, `to` inclusive: from=2026-11-01&to=2026-11-30 is November. */
    from: calendarDay,
    to: calendarDay,
    groupBy: z.enum(GROUP_BYS).default('region'),
    /** Also answer the previous period of the same length (or the previous whole months) as `previous`. */
    compare: z.enum(['0', '1']).default('0'),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  // Written as "not more than" so a date that is no day (NaN) is reported once, by its own field, not as a long range.
  .refine((q) => !(Date.parse(q.to) - Date.parse(q.from) > 3 * 366 * 86_400_000), { message: 'at most three years', path: ['to'] });
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

export interface AnalyticsItem extends Indicators {
  /** Region id, worker/party id, category code, source kind or 'YYYY-MM-DD'. */
  key: string;
  name: string;
}

export interface AnalyticsTotal extends Indicators {
  /** Change from the previous period (current − previous; rates in fraction points), when `compare=1`. */
  change?: Record<IndicatorName, number | null>;
}

export interface AnalyticsResponse {
  regionId: string;
  from: string;
  to: string;
  groupBy: GroupBy;
  items: AnalyticsItem[];
  total: AnalyticsTotal;
  previous?: { from: string; to: string; total: Indicators };
}

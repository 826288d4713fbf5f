/** GET /api/analytics and /api/replay/day take real calendar dates only (common/analytics/api.ts, common/replay/schema.ts). */
import { describe, expect, it } from 'vitest';
import { analyticsQuerySchema } from '#common/analytics/api';
import { replayDayQuery } from '#common/replay/schema';

const issues = (q: Record<string, string>) => {
  const r = analyticsQuerySchema.safeParse(q);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('analytics query dates', () => {
  it('refuses days that match YYYY-MM-DD but do not exist, each reported once by its own field', () => {
    expect(issues({ from: '2026-02-30', to: '2026-03-01' })).toEqual(['from: not a calendar date (YYYY-MM-DD)']);
    expect(issues({ from: '2026-02-01', to: '2026-02-29' })).toEqual(['to: not a calendar date (YYYY-MM-DD)']);
    expect(issues({ from: '2026-13-01', to: '2026-13-05' })).toEqual(['from: not a calendar date (YYYY-MM-DD)', 'to: not a calendar date (YYYY-MM-DD)']);
    expect(issues({ from: '2026-00-10', to: '2026-01-10' })).toHaveLength(1);
  });

  it('takes leap days, one-day ranges, ranges across a year end; refuses from > to and more than three years', () => {
    expect(issues({ from: '2024-02-29', to: '2024-02-29' })).toEqual([]);
    expect(issues({ from: '2025-12-25', to: '2026-01-05' })).toEqual([]);
    expect(issues({ from: '2026-11-05', to: '2026-11-01' })).toEqual(['from: from must not be after to']);
    expect(issues({ from: '2020-01-01', to: '2026-11-29' })).toEqual(['to: at most three years']);
  });

  it('the replay day takes the same dates', () => {
    expect(replayDayQuery.safeParse({ day: '2026-02-30' }).success).toBe(false);
    expect(replayDayQuery.safeParse({ day: '2026-02-28' }).success).toBe(true);
  });
});

/** Rates shown to leaders never round to 100 % or 0 % unless they are (common/analytics/format.ts). */
import { describe, expect, it } from 'vitest';
import { percentText } from '#common/analytics/format';
import { defaultCustom, pct } from '../../client/stores/analytics-reducer';
import { monthlySummaryZh } from '#common/reports/monthly';
import type { AnalyticsTotal } from '#common/analytics/api';

describe('percentText', () => {
  it('rounds, but keeps 100 % and 0 % for the exact ends', () => {
    expect(percentText(2499 / 2500)).toBe('99.9%');
    expect(percentText(1)).toBe('100.0%');
    expect(percentText(1 / 5000)).toBe('0.1%');
    expect(percentText(0)).toBe('0.0%');
    expect(percentText(0.925)).toBe('92.5%');
    expect(percentText(2 / 3)).toBe('66.7%');
    expect(percentText(0.996, 0)).toBe('99%');
    expect(percentText(0.004, 0)).toBe('1%');
    expect(percentText(null)).toBe('—');
    expect(percentText(Number.NaN)).toBe('—');
    expect(pct(2499 / 2500)).toBe('99.9%');
  });

  it('the monthly summary does not claim every case closed when one is not', () => {
    const total = { received: 2500, due: 2500, closed: 2499, closureRate: 2499 / 2500, onTimeRate: null, overdue: 1, satisfactionRate: null, replyRate: null } as AnalyticsTotal;
    expect(monthlySummaryZh({ month: '2026-11', regionName: '成华区', total, regions: [] })).toContain('结案率 99.9%');
  });
});

describe('the leader view\'s first custom range', () => {
  it('ends today in Chengdu, also in the hours when UTC is still on yesterday', () => {
    // 2026-11-30 07:30 in Chengdu is 2026-11-29 23:30 UTC.
    expect(defaultCustom(Date.parse('2026-11-29T23:30:00Z'))).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(defaultCustom(Date.parse('2026-11-29T12:00:00Z'))).toEqual({ from: '2026-10-31', to: '2026-11-29' });
  });
});

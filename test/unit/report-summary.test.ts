import { describe, expect, it } from 'vitest';
import type { AnalyticsItem, AnalyticsTotal } from '#common/analytics/api';
import { monthDays, monthlySummaryZh } from '#common/reports/monthly';

const total = (over: Partial<AnalyticsTotal>): AnalyticsTotal => ({
  received: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, reworked: 0, extended: 0, overdue: 0, replied: 0, satisfied: 0,
  closureRate: null, onTimeRate: null, acceptOnTimeRate: null, reworkRate: null, extensionRate: null, satisfactionRate: null, replyRate: null,
  meanCloseMinutes: null, p90CloseMinutes: null, ...over,
});
const region = (key: string, name: string, closureRate: number | null) => ({ ...total({ closureRate }), key, name }) as AnalyticsItem;

describe('monthly report summary (zh)', () => {
  it('states cases, closure rates with the change from last month, overdue and satisfaction', () => {
    const text = monthlySummaryZh({
      month: '2026-11', regionName: '成华区',
      total: total({
        received: 1234, due: 1000, closed: 925, closureRate: 0.925, onTimeRate: 0.87, overdue: 12, satisfactionRate: 0.9612, replyRate: 0.5,
        change: { closureRate: 0.031, onTimeRate: -0.004 } as AnalyticsTotal['change'],
      }),
      regions: [region('510108003', '猛追湾街道', 0.95), region('510108004', '双桥子街道', 0.81)],
    });
    expect(text).toBe(
      '2026年11月，成华区共受理事件 1234 件，结案率 92.5%，较上月上升 3.1 个百分点，按期结案率 87.0%，较上月下降 0.4 个百分点，超期 12 件，群众满意率 96.1%（回复率 50.0%）。'
      + '猛追湾街道结案率最高（95.0%），双桥子街道最低（81.0%），需重点督办。',
    );
  });

  it('says so when nothing fell due, nothing is overdue and there was no earlier month', () => {
    expect(monthlySummaryZh({ month: '2026-02', regionName: '志强社区', total: total({ received: 3 }), regions: [] })).toBe(
      '2026年2月，志强社区共受理事件 3 件，本月无到期事件，无超期事件。',
    );
    expect(monthlySummaryZh({ month: '2026-03', regionName: 'X', total: total({ closureRate: 0.5, change: { closureRate: 0 } as AnalyticsTotal['change'] }), regions: [] }))
      .toContain('结案率 50.0%，与上月持平');
  });

  it('knows the days of a month', () => {
    expect(monthDays('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthDays('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthDays('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});

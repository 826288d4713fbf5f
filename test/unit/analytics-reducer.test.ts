import { describe, expect, it } from 'vitest';
import type { AnalyticsItem } from '#common/analytics/api';
import { indicatorsOf } from '#common/analytics/indicators';
import { zeroCounters } from '#common/analytics/counters';
import { calendarSeries, consoleQuery, delta, drillBack, drillTo, groupOfStep, pct, rangeOf, rankBy } from '../../client/stores/analytics-reducer';
import { filtersFromQuery } from '../../client/stores/queue-filter';

const item = (key: string, over: Partial<AnalyticsItem> = {}): AnalyticsItem => ({ key, name: key, ...indicatorsOf(zeroCounters()), ...over });
const now = Date.parse('2026-05-14T10:00:00+08:00');

describe('leader view reducers', () => {
  it('turns periods into CST dates, custom ranges in order', () => {
    const custom = { from: '2026-05-10', to: '2026-05-01' };
    expect(rangeOf('today', now, custom)).toEqual({ from: '2026-05-14', to: '2026-05-14' });
    expect(rangeOf('week', now, custom)).toEqual({ from: '2026-05-11', to: '2026-05-17' });
    expect(rangeOf('quarter', now, custom)).toEqual({ from: '2026-04-01', to: '2026-06-30' });
    expect(rangeOf('year', now, custom)).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(rangeOf('custom', now, custom)).toEqual({ from: '2026-05-01', to: '2026-05-10' });
  });

  it('drills street → community → grid → worker and back', () => {
    let path = [{ regionId: '510108', name: '成华区' }];
    path = drillTo(path, { regionId: '510108001', name: '街道' });
    path = drillTo(path, { regionId: '510108001001', name: '社区' });
    expect(groupOfStep(path.at(-1)!.regionId)).toBe('region');
    path = drillTo(path, { regionId: '510108001001001', name: '网格' });
    expect(groupOfStep(path.at(-1)!.regionId)).toBe('worker');
    expect(drillBack(path, 1).map((s) => s.regionId)).toEqual(['510108', '510108001']);
    expect(drillBack(path, -5)).toHaveLength(1);
    expect(drillTo(path, { regionId: '510108001', name: '街道' })).toHaveLength(2);
  });

  it('ranks best first, lower-is-better indicators ascending, nulls last', () => {
    const items = [item('a', { closureRate: 0.5, overdue: 3 }), item('b', { closureRate: null, overdue: 0 }), item('c', { closureRate: 0.9, overdue: 1 })];
    expect(rankBy(items, 'closureRate').map((i) => i.key)).toEqual(['c', 'a', 'b']);
    expect(rankBy(items, 'overdue').map((i) => i.key)).toEqual(['b', 'c', 'a']);
  });

  it('links numbers to the console queue, and the console reads them back', () => {
    const q = consoleQuery({ regionId: '510108001', assigneeId: undefined, tab: 'overdue' });
    expect(q).toEqual({ regionId: '510108001', tab: 'overdue' });
    const read = filtersFromQuery({ ...q, category: 'graffiti', source: 'patrol', assigneeId: 'gw-1' })!;
    expect(read.tab).toBe('overdue');
    expect(read.filters).toMatchObject({ regionId: '510108001', category: ['graffiti'], source: ['patrol'], assigneeId: 'gw-1' });
    expect(filtersFromQuery({})).toBeNull();
    expect(filtersFromQuery({ regionId: 'x; drop', source: 'mars', tab: 'nope' })).toMatchObject({ tab: null, filters: { regionId: null, source: [] } });
  });

  it('formats rates, deltas and the calendar series', () => {
    expect(pct(null)).toBe('—');
    expect(pct(0.8766)).toBe('87.7%');
    expect(delta(0.031, true)).toBe('+3.1pp');
    expect(delta(-2, false)).toBe('-2');
    expect(delta(null, true)).toBe('');
    expect(calendarSeries([item('2026-05-01', { overdue: 2 })], 'overdue')).toEqual([['2026-05-01', 2]]);
  });
});

import { describe, expect, it } from 'vitest';
import { estateTypeForGrid, generateSyntheticPopulation, gridsFromRegions } from '../../server/population/synthetic.ts';
import { computeIndicators, residentsAged, sumAggregates, totalResidents } from '#common/population/indicators';
import type { GridMonthPopulation } from '#common/population/types';

const grids = Array.from({ length: 300 }, (_, i) => ({ id: `510108${String(1001001 + i * 7).padStart(9, '0')}` }));
const rows = generateSyntheticPopulation(grids, { endMonth: '2025-12' });
const month = (m: string, list: GridMonthPopulation[] = rows) => list.filter((r) => r.month === m);

describe('synthetic population (census-shaped, deterministic)', () => {
  it('is deterministic and marked synthetic', () => {
    const again = generateSyntheticPopulation(grids.slice(0, 20), { endMonth: '2025-12' });
    expect(again).toEqual(rows.filter((r) => grids.slice(0, 20).some((g) => g.id === r.gridId)));
    expect(generateSyntheticPopulation(grids.slice(0, 5), { endMonth: '2025-12', seed: 1 })).not.toEqual(
      generateSyntheticPopulation(grids.slice(0, 5), { endMonth: '2025-12', seed: 2 }),
    );
    expect(rows.every((r) => r.synthetic)).toBe(true);
  });

  it('covers 24 months ending at the given month, with consistent counts', () => {
    expect(rows).toHaveLength(300 * 24);
    expect(new Set(rows.map((r) => r.month)).size).toBe(24);
    expect(rows[0]?.month).toBe('2024-01');
    for (const r of rows.slice(0, 500)) {
      const a = r.aggregate;
      expect(a.registered + a.floating).toBe(totalResidents(a));
      expect(a.groups.oldestOld).toBe(residentsAged(a, 80));
      expect(a.groups.livingAlone).toBeLessThanOrEqual(residentsAged(a, 65));
    }
  });

  it('matches the Chengdu 7th-census shape within tolerance (middle of the series)', () => {
    const ind = computeIndicators(sumAggregates(month('2024-12').map((r) => r.aggregate)));
    expect(ind.share60Plus).toBeGreaterThan(16.5);
    expect(ind.share60Plus).toBeLessThan(19.5); // target ≈ 18
    expect(ind.share65Plus).toBeGreaterThan(12.6);
    expect(ind.share65Plus).toBeLessThan(14.6); // target ≈ 13.6
    expect(ind.personsPerHousehold).toBeGreaterThan(2.39);
    expect(ind.personsPerHousehold).toBeLessThan(2.59); // target 2.49
    const agg = sumAggregates(month('2024-12').map((r) => r.aggregate));
    const livingAloneOf65 = agg.groups.livingAlone / residentsAged(agg, 65);
    expect(livingAloneOf65).toBeGreaterThan(0.08);
    expect(livingAloneOf65).toBeLessThan(0.12);
  });

  it('ages slowly over the 24 months', () => {
    const first = computeIndicators(sumAggregates(month('2024-01').map((r) => r.aggregate))).share65Plus ?? 0;
    const last = computeIndicators(sumAggregates(month('2025-12').map((r) => r.aggregate))).share65Plus ?? 0;
    expect(last - first).toBeGreaterThan(0.4);
    expect(last - first).toBeLessThan(1.5);
  });

  it('makes factory estates older than resettlement estates, with their special groups', () => {
    const byType = (t: string) =>
      sumAggregates(month('2025-12').filter((r) => estateTypeForGrid(r.gridId) === t).map((r) => r.aggregate));
    const factory = byType('factory');
    const resettle = byType('resettlement');
    const f65 = computeIndicators(factory).share65Plus ?? 0;
    const r65 = computeIndicators(resettle).share65Plus ?? 0;
    expect(f65).toBeGreaterThan(19);
    expect(r65).toBeLessThan(12);
    expect(factory.groups.soeRetirees / totalResidents(factory)).toBeGreaterThan(resettle.groups.soeRetirees / totalResidents(resettle) * 5);
    expect(resettle.groups.landLostFarmers / totalResidents(resettle)).toBeGreaterThan(factory.groups.landLostFarmers / totalResidents(factory) * 10);
  });

  it('honours explicit estate types and households from region features', () => {
    const input = gridsFromRegions({
      features: [
        { properties: { id: '510108001001001', level: 'grid', households: 400, estateType: 'factory' } },
        { properties: { id: '510108001001', level: 'community' } },
        { properties: { id: '510108001001002', level: 'grid', estateType: 'unknown' } },
      ],
    });
    expect(input).toEqual([{ id: '510108001001001', households: 400, estateType: 'factory' }, { id: '510108001001002' }]);
    const [first] = generateSyntheticPopulation(input, { endMonth: '2025-12', months: 1 });
    expect(first?.aggregate.households).toBeGreaterThan(390);
    expect(first?.aggregate.households).toBeLessThan(410);
  });
});

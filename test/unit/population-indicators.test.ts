import { describe, expect, it } from 'vitest';
import {
  addMonths,
  ageBandOf,
  aggregateRegion,
  agingLevelOf,
  change12Months,
  computeIndicators,
  emptyAggregate,
  monthRange,
  projectAggregate,
  rollUpRegions,
  suppressIndicators,
  suppressSmallCounts,
  sumAggregates,
} from '#common/population/indicators';
import { AGE_BANDS, AGE_BAND_LABELS, SPECIAL_GROUP_LABELS, SUPPRESSED, type PopulationAggregate } from '#common/population/types';

/**
 * 200 residents:
 *   male   0-4: 20, 20-24: 40, 60-64: 10, 65-69: 20, 80-84: 10   (= 100)
 *   female 15-19: 10, 30-34: 50, 60-64: 10, 70-74: 20, 100+: 10  (= 100)
 * households 80, registered 150, floating 50, livingAlone 3.
 */
function sample(): PopulationAggregate {
  const a = emptyAggregate();
  Object.assign(a.residents.male, { '0-4': 20, '20-24': 40, '60-64': 10, '65-69': 20, '80-84': 10 });
  Object.assign(a.residents.female, { '15-19': 10, '30-34': 50, '60-64': 10, '70-74': 20, '100+': 10 });
  a.households = 80;
  a.registered = 150;
  a.floating = 50;
  a.groups.livingAlone = 3;
  a.groups.emptyNest = 12;
  return a;
}

describe('population indicators (hand-computed)', () => {
  it('computes shares, dependency ratio, level and rates', () => {
    const ind = computeIndicators(sample());
    expect(ind.residents).toBe(200);
    // 60+: male 10+20+10 = 40, female 10+20+10 = 40 → 80 / 200 = 40 %
    expect(ind.share60Plus).toBeCloseTo(40, 10);
    // 65+: male 20+10 = 30, female 20+10 = 30 → 60 / 200 = 30 %
    expect(ind.share65Plus).toBeCloseTo(30, 10);
    // 80+: male 10 + female 10 (100+) = 20 → 10 %
    expect(ind.share80Plus).toBeCloseTo(10, 10);
    // 15–64: male 40 (20-24) + 10 (60-64) = 50; female 10 + 50 + 10 = 70 → 120; 60 / 120 × 100 = 50
    expect(ind.oldAgeDependencyRatio).toBeCloseTo(50, 10);
    // 30 % ≥ 20 → super_aged
    expect(ind.agingLevel).toBe('super_aged');
    // 3 living alone / 200 × 1000 = 15
    expect(ind.livingAlonePer1000).toBeCloseTo(15, 10);
    // 200 / 80 = 2.5; 50 / 200 = 25 %
    expect(ind.personsPerHousehold).toBeCloseTo(2.5, 10);
    expect(ind.floatingShare).toBeCloseTo(25, 10);
  });

  it('gives null ratios for an empty area', () => {
    const ind = computeIndicators(emptyAggregate());
    expect(ind).toMatchObject({ residents: 0, share60Plus: null, oldAgeDependencyRatio: null, agingLevel: null });
  });

  it('classifies aging levels at the thresholds 7 / 14 / 20', () => {
    expect(agingLevelOf(6.99)).toBe('none');
    expect(agingLevelOf(7)).toBe('aging');
    expect(agingLevelOf(13.99)).toBe('aging');
    expect(agingLevelOf(14)).toBe('aged');
    expect(agingLevelOf(19.99)).toBe('aged');
    expect(agingLevelOf(20)).toBe('super_aged');
    expect(agingLevelOf(null)).toBeNull();
  });

  it('maps ages to 21 five-year bands', () => {
    expect(AGE_BANDS).toHaveLength(21);
    expect([ageBandOf(0), ageBandOf(4), ageBandOf(5), ageBandOf(64), ageBandOf(99), ageBandOf(100), ageBandOf(117)]).toEqual([
      '0-4', '0-4', '5-9', '60-64', '95-99', '100+', '100+',
    ]);
    expect(AGE_BAND_LABELS['100+'].zh).toBe('100岁及以上');
    expect(SPECIAL_GROUP_LABELS.livingAlone).toEqual({ zh: '独居老人', en: 'Elderly living alone' });
  });

  it('computes the change over 12 months in percentage points', () => {
    // a year ago: 1000 residents, 125 aged 65+ (12.5 %); now 1050 residents, 147 aged 65+ (14 %)
    const then = emptyAggregate();
    then.residents.male['20-24'] = 875;
    then.residents.male['65-69'] = 125;
    const now = emptyAggregate();
    now.residents.male['20-24'] = 903;
    now.residents.male['65-69'] = 147;
    const history = [
      { month: '2024-06', indicators: computeIndicators(then) },
      { month: '2025-01', indicators: computeIndicators(now) },
      { month: '2025-06', indicators: computeIndicators(now) },
    ];
    const c = change12Months(history);
    expect(c?.fromMonth).toBe('2024-06');
    // 14 − 12.5 = +1.5 pp; (1050 − 1000) / 1000 = +5 %
    expect(c?.share65PlusPp).toBeCloseTo(1.5, 10);
    expect(c?.residentsPct).toBeCloseTo(5, 10);
    // dependency: 125/875×100 = 14.2857…, 147/903×100 = 16.2790… → +1.9933…
    expect(c?.oldAgeDependencyRatio).toBeCloseTo(147 / 9.03 - 125 / 8.75, 10);
    expect(change12Months(history, '2025-01')).toBeNull(); // 2024-01 missing
  });

  it('does month arithmetic', () => {
    expect(addMonths('2025-03', -12)).toBe('2024-03');
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2024-12', 1)).toBe('2025-01');
    expect(monthRange('2025-02', 3)).toEqual(['2024-12', '2025-01', '2025-02']);
    expect(monthRange('2025-06', 24)[0]).toBe('2023-07');
  });

  it('sums grids up the region tree by code prefix', () => {
    const hh = (n: number) => Object.assign(emptyAggregate(), { households: n });
    const rows = [
      { gridId: '510108001001001', month: '2025-06', aggregate: hh(10) },
      { gridId: '510108001001002', month: '2025-06', aggregate: hh(20) },
      { gridId: '510108001002001', month: '2025-06', aggregate: hh(40) },
      { gridId: '510108001001001', month: '2025-05', aggregate: hh(1000) },
    ];
    // community 510108001001 = 10 + 20; street 510108001 = 10 + 20 + 40; other month ignored
    expect(aggregateRegion('510108001001', '2025-06', rows).households).toBe(30);
    expect(aggregateRegion('510108001', '2025-06', rows).households).toBe(70);
    const tree = rollUpRegions(rows).get('2025-06');
    expect(tree?.get('510108')?.households).toBe(70);
    expect(tree?.get('510108001002')?.households).toBe(40);
    expect(tree?.get('510108001001002')?.households).toBe(20);
    expect(rollUpRegions(rows).get('2025-05')?.get('510108')?.households).toBe(1000);
    expect(sumAggregates([sample(), sample()]).residents.female['30-34']).toBe(100);
  });
});

describe('population privacy', () => {
  it('suppresses 1..4, keeps 0 and ≥5, and adds complementary cells', () => {
    const a = sample();
    a.residents.male['0-4'] = 3;
    a.registered = 196;
    a.floating = 4;
    const s = suppressSmallCounts(a);
    expect(s.residents.male['0-4']).toBe(SUPPRESSED);
    // the only hidden cell of the male row: the smallest other male cell (5-9, a 0) is hidden too
    expect(s.residents.male['5-9']).toBe(SUPPRESSED);
    expect(s.residents.male['20-24']).toBe(40);
    expect(s.residents.female['0-4']).toBe(0);
    expect(s.groups.livingAlone).toBe('<5');
    expect(s.groups.emptyNest).toBe(12);
    expect(s.groups.dementia).toBe(0);
    expect(s.households).toBe(80);
    // floating 4 would be 200 − registered: both hidden
    expect([s.registered, s.floating]).toEqual(['<5', '<5']);
  });

  it('never leaves exactly one hidden cell in a sex row or an age segment', () => {
    const segments = [[0, 1, 2], [3, 4, 5, 6, 7, 8, 9, 10, 11], [12], [13, 14, 15], [16, 17, 18, 19, 20]];
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let t = 0; t < 200; t++) {
      const a = emptyAggregate();
      for (const b of AGE_BANDS) {
        a.residents.male[b] = Math.floor(rnd() * (rnd() < 0.3 ? 5 : 60));
        a.residents.female[b] = Math.floor(rnd() * (rnd() < 0.3 ? 5 : 60));
      }
      const s = suppressSmallCounts(a);
      const hidden = (sex: 'male' | 'female', i: number) => s.residents[sex][AGE_BANDS[i] ?? '0-4'] === SUPPRESSED;
      for (const sex of ['male', 'female'] as const) {
        AGE_BANDS.forEach((b, i) => {
          const v = a.residents[sex][b];
          if (v >= 1 && v <= 4) expect(s.residents[sex][b]).toBe(SUPPRESSED);
          else if (!hidden(sex, i)) expect(s.residents[sex][b]).toBe(v);
        });
        expect(AGE_BANDS.filter((_, i) => hidden(sex, i)).length).not.toBe(1);
      }
      for (const seg of segments) {
        expect(seg.flatMap((i) => [hidden('male', i), hidden('female', i)]).filter(Boolean).length).not.toBe(1);
      }
    }
  });

  it('drops rates that would reveal a count of 1..4', () => {
    const ind = suppressIndicators(computeIndicators(sample()));
    // 15 per 1000 × 200 = 3 persons → hidden; 30 % × 200 = 60 → kept
    expect(ind.livingAlonePer1000).toBeNull();
    expect(ind.share65Plus).toBeCloseTo(30, 10);
    expect(ind.residents).toBe(200);
    const tiny = emptyAggregate();
    tiny.residents.female['70-74'] = 3;
    expect(suppressIndicators(computeIndicators(tiny))).toMatchObject({ residents: '<5', share65Plus: null, agingLevel: null });
  });

  it('projects to aggregate fields only', () => {
    const leaky = { ...sample(), name: '张三', idNumber: '51010819400315123X', persons: [{ name: '李四' }] };
    const p = projectAggregate(leaky);
    expect(Object.keys(p).sort()).toEqual(['floating', 'groups', 'households', 'registered', 'residents']);
    expect(JSON.stringify(p)).not.toMatch(/张三|李四|5101081940/);
    expect(p).toEqual(sample());
    expect(() => projectAggregate({ ...sample(), households: -1 })).toThrow(TypeError);
  });
});

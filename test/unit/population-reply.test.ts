import { describe, expect, it } from 'vitest';
import { emptyAggregate, suppressReply } from '#common/population/indicators';
import { buildGridLayer, suppressGridLayer } from '#common/population/grids';
import type { GridMonthPopulation } from '#common/population/types';
import { buildReply } from '#server/population/reply';
import { generateSyntheticPopulation } from '#server/population/synthetic';
import { cstMonth } from '#server/population/seed';

const G1 = '510108003002001';
const G2 = '510108003002002';
const G3 = '510108003003001';

function row(gridId: string, month: string, n: number, synthetic = false, alone = 0): GridMonthPopulation {
  const a = emptyAggregate();
  a.residents.male['30-34'] = n;
  a.residents.female['65-69'] = n;
  a.registered = 2 * n;
  a.households = n;
  a.groups.livingAlone = alone;
  return { gridId, month, synthetic, aggregate: a };
}

describe('buildReply', () => {
  const rows = [row(G1, '2025-05', 10), row(G1, '2025-06', 20, true), row(G2, '2025-06', 30), row(G3, '2025-06', 1000)];

  it('sums the subtree for the newest month, with history and children', () => {
    const r = buildReply('510108003002', rows, [{ id: G1, name: '一', nameEn: 'One' }, { id: G2, name: '二', nameEn: 'Two' }]);
    expect(r.month).toBe('2025-06');
    expect(r.indicators!.residents).toBe(100);
    expect(r.indicators!.share65Plus).toBe(50);
    expect(r.synthetic).toBe(true);
    expect(r.history.map((p) => [p.month, p.indicators.residents])).toEqual([['2025-05', 20], ['2025-06', 100]]);
    expect(r.children.map((c) => [c.regionId, c.indicators.residents])).toEqual([[G1, 40], [G2, 60]]);
    expect(r.change12m).toBeNull();
  });

  it('answers an empty reply for a region without data', () => {
    const r = buildReply('510108009', rows, []);
    expect(r).toMatchObject({ month: null, aggregate: null, indicators: null, history: [], children: [] });
  });

  it('keeps 24 months of a synthetic series and computes the 12-month change', () => {
    const synth = generateSyntheticPopulation([{ id: G1 }], { endMonth: '2026-11', months: 30 });
    const r = buildReply(G1, synth, []);
    expect(r.history).toHaveLength(24);
    expect(r.history[0]!.month).toBe('2024-12');
    expect(r.change12m!.share65PlusPp).toBeGreaterThan(0);
    // The wall variant of it has no count of 1..4 anywhere in the aggregate.
    const wall = suppressReply(r);
    for (const v of Object.values(wall.aggregate!.groups)) expect(v === '<5' || v === 0 || (typeof v === 'number' && v >= 5)).toBe(true);
  });
});

describe('grid layer', () => {
  it('takes each grid of the newest month, and hides small counts for the wall', () => {
    const layer = buildGridLayer('510108003002', [row(G1, '2025-05', 9), row(G1, '2025-06', 10, false, 3), row(G2, '2025-06', 30, false, 7)]);
    expect(layer.month).toBe('2025-06');
    expect(layer.grids.map((g) => [g.gridId, g.residents, g.livingAlone, g.share65Plus])).toEqual([[G1, 20, 3, 50], [G2, 60, 7, 50]]);
    const wall = suppressGridLayer(layer);
    expect(wall.suppressed).toBe(true);
    // 3 hidden beside 7 shown would give 3 back from the community's total: the 7 is hidden too.
    expect(wall.grids.map((g) => g.livingAlone)).toEqual(['<5', '<5']);
  });

  it('never leaves one hidden count that a published total gives back by subtraction', () => {
    const G4 = '510108003002003';
    const rows = [row(G1, '2025-06', 100, false, 2), row(G2, '2025-06', 100, false, 12), row(G4, '2025-06', 100, false, 10), row(G3, '2025-06', 100, false, 30)];
    const children = [G1, G2, G4].map((id) => ({ id, name: id, nameEn: id }));
    // The wall reads the community's reply (its total, its grids as children) and the map layer of the street.
    const reply = suppressReply(buildReply('510108003002', rows, children));
    const total = Math.round((reply.indicators!.livingAlonePer1000! * (reply.indicators!.residents as number)) / 1000);
    expect(total).toBe(24);
    const layer = suppressGridLayer(buildGridLayer('510108003', rows));
    const inCommunity = layer.grids.filter((g) => g.gridId.startsWith('510108003002'));
    const shown = inCommunity.filter((g) => g.livingAlone !== '<5');
    expect(inCommunity.length - shown.length).toBe(2); // G1 (2) and the smallest other, G4 (10)
    expect(shown.map((g) => g.gridId)).toEqual([G2]);
    expect(layer.grids.find((g) => g.gridId === G3)?.livingAlone).toBe(30); // another community: untouched
    // The reply's children follow the same rule.
    const hiddenChildren = reply.children.filter((c) => c.indicators.livingAlonePer1000 === null).map((c) => c.regionId);
    expect(hiddenChildren).toEqual([G1, G4]);
  });
});

describe('cstMonth', () => {
  it('is the month in China time', () => {
    expect(cstMonth(new Date('2025-06-30T16:30:00Z'))).toBe('2025-07');
    expect(cstMonth(new Date('2025-06-30T15:30:00Z'))).toBe('2025-06');
  });
});

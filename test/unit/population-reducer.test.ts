import { describe, expect, it } from 'vitest';
import { computeIndicators, emptyAggregate, suppressReply } from '#common/population/indicators';
import type { ExactPopulationReply } from '#common/population/types';
import { applyReply, gridStates, siblingGrids, groupsOf, initialPopulation, labelOf, pyramidOf, rankedChildren, trendOf } from '../../client/stores/population-reducer';

function reply(regionId: string, n: number): ExactPopulationReply {
  const a = emptyAggregate();
  a.residents.male['0-4'] = n;
  a.residents.female['0-4'] = 3;
  a.residents.female['70-74'] = 40;
  a.registered = n + 43;
  a.groups.livingAlone = 2;
  a.groups.veterans = 12;
  const ind = computeIndicators(a);
  return {
    suppressed: false,
    regionId,
    month: '2025-06',
    synthetic: true,
    aggregate: a,
    indicators: ind,
    change12m: null,
    history: [{ month: '2025-05', indicators: ind }, { month: '2025-06', indicators: ind }],
    children: [
      { regionId: `${regionId}001`, name: '甲', nameEn: 'A', indicators: { ...ind, share65Plus: 9 } },
      { regionId: `${regionId}002`, name: '乙', nameEn: 'B', indicators: { ...ind, share65Plus: 21 } },
      { regionId: `${regionId}003`, name: '丙', nameEn: 'C', indicators: { ...ind, share65Plus: null } },
    ],
  };
}

describe('population reducer', () => {
  it('takes a reply only for the region followed', () => {
    const s = initialPopulation();
    s.regionId = '510108003002';
    expect(applyReply(s, reply('510108003', 10))).toBe(false);
    expect(s.reply).toBeNull();
    expect(applyReply(s, reply('510108003002', 10))).toBe(true);
    expect(s.reply!.regionId).toBe('510108003002');
  });

  it('draws the pyramid with men to the left and keeps "<5" as a gap with its marker', () => {
    const exact = pyramidOf(reply('510108003002', 10))!;
    expect(exact.male[0]).toBe(-10);
    expect(exact.female[14]).toBe(40);
    expect(exact.max).toBe(40);
    const wall = pyramidOf(suppressReply(reply('510108003002', 10)))!;
    expect(wall.female[0]).toBeNull();
    expect(wall.femaleLabels[0]).toBe('<5');
  });

  it('ranks children by 65+ share and leaves out those without one', () => {
    expect(rankedChildren(reply('510108003', 1).children).map((c) => c.name)).toEqual(['乙', '甲']);
  });

  it('lists the groups with suppressed ones labelled "<5"', () => {
    const g = groupsOf(suppressReply(reply('510108003002', 10)));
    expect(g.find((x) => x.group === 'livingAlone')).toEqual({ group: 'livingAlone', value: null, label: '<5' });
    expect(g.find((x) => x.group === 'veterans')).toEqual({ group: 'veterans', value: 12, label: '12' });
    expect(labelOf(undefined)).toBe('—');
  });

  it('builds the 24-month trend and the grid feature-states', () => {
    expect(trendOf(reply('510108003002', 10).history).months).toEqual(['2025-05', '2025-06']);
    const states = gridStates({
      suppressed: true,
      regionId: '510108',
      month: '2025-06',
      grids: [
        { gridId: 'a', residents: 100, share60Plus: 20, share65Plus: 15.5, agingLevel: 'aged', livingAlone: '<5' },
        { gridId: 'b', residents: 0, share60Plus: null, share65Plus: null, agingLevel: null, livingAlone: 0 },
      ],
    });
    expect(states.get('a')).toEqual({ aging65: 15.5, livingAlone: 1 });
    expect(states.get('b')).toEqual({ aging65: -1, livingAlone: 0 });
  });

  it('ranks a grid among the grids of its community', () => {
    const cell = (gridId: string, share65Plus: number) => ({ gridId, residents: 100, share60Plus: null, share65Plus, agingLevel: null, livingAlone: 0 });
    const layer = { suppressed: false as const, regionId: '510108', month: '2025-06', grids: [cell('510108003002001', 9), cell('510108003002002', 12), cell('510108003003001', 30)] };
    const ranked = rankedChildren(siblingGrids(layer, '510108003002001', (id) => ({ name: `网格${id.slice(-1)}`, nameEn: id })));
    expect(ranked.map((r) => r.name)).toEqual(['网格2', '网格1']);
  });
});

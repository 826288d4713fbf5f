/**
 * The per-grid population layer of the map (aging choropleth, elderly living alone): one cell per grid of a
 * region subtree, for the newest month. Built from aggregates; the wall variant goes through the same
 * small-count rules as the reply (privacy.ts): a count of 1..4 is `'<5'`, a share that would give one back
 * is null.
 */
import { complementCells, computeIndicators, isSmallCount, suppressIndicators } from './indicators.ts';
import { SUPPRESSED, type AgingLevel, type GridMonthPopulation, type Month, type SuppressedCount } from './types.ts';

export interface GridCell<N> {
  gridId: string;
  residents: N;
  share60Plus: number | null;
  share65Plus: number | null;
  agingLevel: AgingLevel | null;
  /** 独居老人 */
  livingAlone: N;
}

export interface GridLayerOf<N, S extends boolean> {
  suppressed: S;
  regionId: string;
  month: Month | null;
  grids: GridCell<N>[];
}
export type GridLayer = GridLayerOf<number, false> | GridLayerOf<SuppressedCount, true>;

/** Cells of the grids in `regionId`'s subtree for their newest month in `rows`. */
export function buildGridLayer(regionId: string, rows: readonly Pick<GridMonthPopulation, 'gridId' | 'month' | 'aggregate'>[]): GridLayerOf<number, false> {
  let month: Month | null = null;
  for (const r of rows) if (r.gridId.startsWith(regionId) && (month === null || r.month > month)) month = r.month;
  const grids: GridCell<number>[] = [];
  for (const r of rows) {
    if (r.month !== month || !r.gridId.startsWith(regionId)) continue;
    const ind = computeIndicators(r.aggregate);
    grids.push({
      gridId: r.gridId,
      residents: ind.residents,
      share60Plus: ind.share60Plus,
      share65Plus: ind.share65Plus,
      agingLevel: ind.agingLevel,
      livingAlone: r.aggregate.groups.livingAlone,
    });
  }
  grids.sort((a, b) => a.gridId.localeCompare(b.gridId));
  return { suppressed: false, regionId, month, grids };
}

/** The wall variant: counts 1..4 as `'<5'`, shares that would reveal one as null. */
export function suppressGridLayer(layer: GridLayerOf<number, false>): GridLayerOf<SuppressedCount, true> {
  const grids = layer.grids.map((g) => {
      const ind = suppressIndicators(cellIndicators(g));
      return {
        gridId: g.gridId,
        residents: ind.residents,
        share60Plus: ind.share60Plus,
        share65Plus: ind.share65Plus,
        agingLevel: ind.agingLevel,
        livingAlone: isSmallCount(g.livingAlone) ? SUPPRESSED : g.livingAlone,
      };
    });
  // Community, street and district totals are published (population replies): complement within each.
  type Metric = 'residents' | 'livingAlone' | 'share60Plus' | 'share65Plus';
  const share = (v: number | null, n: number) => (v === null ? null : Math.round((v * n) / 100));
  complementCells(
    grids.map((out, k) => {
      const g = layer.grids[k]!;
      const exact: Record<Metric, number | null> = { residents: g.residents, livingAlone: g.livingAlone, share60Plus: share(g.share60Plus, g.residents), share65Plus: share(g.share65Plus, g.residents) };
      return {
        key: g.gridId,
        groups: [6, 9, 12].map((n) => g.gridId.slice(0, n)),
        count: (m) => exact[m as Metric],
        hidden: (m) => out[m as Metric] === null || out[m as Metric] === SUPPRESSED,
        hide: (m) => {
          if (m === 'residents' || m === 'livingAlone') out[m] = SUPPRESSED;
          else out[m as 'share60Plus'] = null;
        },
      };
    }),
    ['residents', 'livingAlone', 'share60Plus', 'share65Plus'],
  );
  return { suppressed: true, regionId: layer.regionId, month: layer.month, grids };
}

/** A layer cell as a full indicator record: what the cell carries, and null (or 0 households) for the rest. */
export function cellIndicators<N>(g: GridCell<N>) {
  return {
    residents: g.residents,
    households: 0,
    personsPerHousehold: null,
    share60Plus: g.share60Plus,
    share65Plus: g.share65Plus,
    share80Plus: null,
    oldAgeDependencyRatio: null,
    agingLevel: g.agingLevel,
    livingAlonePer1000: null,
    floatingShare: null,
  };
}

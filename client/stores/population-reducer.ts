/**
 * Pure helpers of the population store: what the charts and the map need from a reply, with the wall's
 * `'<5'` markers kept as markers (a null value, shown as "<5"), never guessed back into numbers.
 */
import { cellIndicators, type GridLayer } from '#common/population/grids';
import {
  AGE_BANDS,
  SPECIAL_GROUPS,
  SUPPRESSED,
  type ChildRegionIndicators,
  type IndicatorPoint,
  type PopulationReply,
  type SpecialGroup,
  type SuppressedCount,
} from '#common/population/types';

/** A count for a chart: the number, or null for a suppressed one. */
export const valueOf = (c: SuppressedCount | null | undefined): number | null => (typeof c === 'number' ? c : null);
/** A count for a label: the number, or '<5'. */
export const labelOf = (c: SuppressedCount | null | undefined, fmt: (n: number) => string = String): string =>
  c === SUPPRESSED ? SUPPRESSED : typeof c === 'number' ? fmt(c) : '—';

export interface PopulationState {
  regionId: string | null;
  reply: PopulationReply | null;
}

export function initialPopulation(): PopulationState {
  return { regionId: null, reply: null };
}

/** A fetched reply or a pushed update: taken only when it is for the region followed. */
export function applyReply(state: PopulationState, reply: PopulationReply): boolean {
  if (reply.regionId !== state.regionId) return false;
  state.reply = reply;
  return true;
}

export interface PyramidData {
  bands: string[];
  /** Negative numbers (drawn left of the axis); null where suppressed. */
  male: (number | null)[];
  female: (number | null)[];
  maleLabels: string[];
  femaleLabels: string[];
  /** Largest band, for a symmetric axis. */
  max: number;
}

export function pyramidOf(reply: PopulationReply | null): PyramidData | null {
  const a = reply?.aggregate;
  if (!a) return null;
  const male = AGE_BANDS.map((b) => valueOf(a.residents.male[b]));
  const female = AGE_BANDS.map((b) => valueOf(a.residents.female[b]));
  const max = Math.max(1, ...male.map((v) => v ?? 0), ...female.map((v) => v ?? 0));
  return {
    bands: [...AGE_BANDS],
    male: male.map((v) => (v === null ? null : -v)),
    female,
    maleLabels: AGE_BANDS.map((b) => labelOf(a.residents.male[b])),
    femaleLabels: AGE_BANDS.map((b) => labelOf(a.residents.female[b])),
    max,
  };
}

export interface TrendData {
  months: string[];
  share60: (number | null)[];
  share65: (number | null)[];
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export function trendOf(history: readonly IndicatorPoint<SuppressedCount>[] | undefined): TrendData {
  const h = history ?? [];
  return {
    months: h.map((p) => p.month),
    share60: h.map((p) => round1(p.indicators.share60Plus)),
    share65: h.map((p) => round1(p.indicators.share65Plus)),
  };
}

/** Children by 65+ share, highest first; those without a share (no data, or suppressed) last. */
export function rankedChildren(children: readonly ChildRegionIndicators<SuppressedCount>[] | undefined, limit = 12): ChildRegionIndicators<SuppressedCount>[] {
  return [...(children ?? [])]
    .filter((c) => c.indicators.share65Plus !== null)
    .sort((x, y) => (y.indicators.share65Plus ?? 0) - (x.indicators.share65Plus ?? 0))
    .slice(0, limit);
}

export function groupsOf(reply: PopulationReply | null): { group: SpecialGroup; value: number | null; label: string }[] {
  const g = reply?.aggregate?.groups;
  if (!g) return [];
  return SPECIAL_GROUPS.map((group) => ({ group, value: valueOf(g[group]), label: labelOf(g[group]) }));
}

export interface GridState {
  /** 65+ share in percent; -1 for no data (drawn as the plain grid colour). */
  aging65: number;
  /** Elderly living alone; 1 stands for '<5' (the "1–5" class), -1 for no data. */
  livingAlone: number;
}

/** Feature-state per grid for the aging and care choropleths. */
export function gridStates(layer: GridLayer | null): Map<string, GridState> {
  const out = new Map<string, GridState>();
  for (const g of layer?.grids ?? []) {
    const alone = g.livingAlone === SUPPRESSED ? 1 : g.livingAlone;
    out.set(g.gridId, { aging65: g.share65Plus ?? -1, livingAlone: alone });
  }
  return out;
}

/** The grids of `gridId`'s community from the layer, as ranking entries (names from `nameOf`). */
export function siblingGrids(
  layer: GridLayer | null,
  gridId: string,
  nameOf: (id: string) => { name: string; nameEn: string } | null,
): ChildRegionIndicators<SuppressedCount>[] {
  const community = gridId.slice(0, 12);
  return (layer?.grids ?? [])
    .filter((g) => g.gridId.startsWith(community))
    .map((g) => {
      const r = nameOf(g.gridId);
      return {
        regionId: g.gridId,
        name: r?.name ?? g.gridId,
        nameEn: r?.nameEn ?? g.gridId,
        indicators: cellIndicators(g),
      };
    });
}

/** One grid's cell in the layer. */
export function cellOf(layer: GridLayer | null, gridId: string) {
  return layer?.grids.find((g) => g.gridId === gridId) ?? null;
}

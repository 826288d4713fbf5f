/**
 * The exact population reply of a region, built from its grids' stored rows (pure: no I/O). The wall variant
 * is `suppressReply(buildReply(…))` (common/population/privacy.ts).
 */
import { addInto, change12Months, computeIndicators, emptyAggregate, monthRange } from '#common/population/indicators';
import type {
  ChildRegionIndicators,
  ExactPopulationReply,
  GridMonthPopulation,
  IndicatorPoint,
  Month,
  PopulationAggregate,
} from '#common/population/types';

/** Months of indicator history in a reply. */
export const HISTORY_MONTHS = 24;

export interface ChildRegion {
  id: string;
  name: string;
  nameEn: string;
}

/**
 * Reply for `regionId` from `rows` (rows outside the subtree are ignored): the aggregate and indicators of the
 * newest month, the indicator history of up to 24 months ending there, the 12-month change, and one entry per
 * direct child for the same month.
 */
export function buildReply(regionId: string, rows: readonly GridMonthPopulation[], children: readonly ChildRegion[]): ExactPopulationReply {
  const mine = rows.filter((r) => r.gridId.startsWith(regionId));
  let month: Month | null = null;
  for (const r of mine) if (month === null || r.month > month) month = r.month;
  if (month === null) {
    return { suppressed: false, regionId, month: null, synthetic: false, aggregate: null, indicators: null, change12m: null, history: [], children: [] };
  }
  const window = new Set(monthRange(month, HISTORY_MONTHS));
  const byMonth = new Map<Month, PopulationAggregate>();
  const byChild = new Map<string, PopulationAggregate>(children.map((c) => [c.id, emptyAggregate()]));
  let synthetic = false;
  for (const r of mine) {
    if (!window.has(r.month)) continue;
    synthetic ||= r.synthetic;
    let agg = byMonth.get(r.month);
    if (!agg) byMonth.set(r.month, (agg = emptyAggregate()));
    addInto(agg, r.aggregate);
    if (r.month !== month) continue;
    for (const c of children) {
      if (r.gridId.startsWith(c.id)) {
        addInto(byChild.get(c.id)!, r.aggregate);
        break;
      }
    }
  }
  const history: IndicatorPoint[] = [...byMonth.keys()].sort().map((m) => ({ month: m, indicators: computeIndicators(byMonth.get(m)!) }));
  const aggregate = byMonth.get(month)!;
  const childList: ChildRegionIndicators[] = children.map((c) => ({
    regionId: c.id,
    name: c.name,
    nameEn: c.nameEn,
    indicators: computeIndicators(byChild.get(c.id)!),
  }));
  return {
    suppressed: false,
    regionId,
    month,
    synthetic,
    aggregate,
    indicators: computeIndicators(aggregate),
    change12m: change12Months(history),
    history,
    children: childList,
  };
}

import { CST_OFFSET_MS } from '#common/time';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { generateSyntheticPopulation, gridsFromRegions } from './synthetic.ts';

/** `'YYYY-MM'` of an instant in China Standard Time. */
export function cstMonth(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 7);
}

/** Above this many grids a dataset is a deployment's or a benchmark's, not the demo: no invented people for it. */
export const SEED_MAX_GRIDS = 2000;

/**
 * First start of the synthetic demo: with no population data at all and a synthetic region dataset, store 24
 * months of SYNTHETIC aggregates (ending at the current month) for every grid, each row marked synthetic.
 * A deployment's own boundaries get no invented population: it imports its registry. Idempotent, also when
 * several nodes start at once (replaceMonths upserts). Returns the number of rows written.
 */
export async function seedPopulation(store: Store, regions: Regions, now = new Date(), log?: Logger): Promise<number> {
  if ((await store.population.count()) > 0) return 0;
  const grids = regions.features.filter((f) => f.properties.level === 'grid');
  if (!grids.every((f) => f.properties.synthetic === true) || grids.length > SEED_MAX_GRIDS) {
    log?.info({ grids: grids.length }, 'population: no data yet; import the registry with `npm run import:population -- <file.csv>`');
    return 0;
  }
  const rows = generateSyntheticPopulation(gridsFromRegions({ features: regions.features.map((f) => ({ properties: { ...f.properties } })) }), { endMonth: cstMonth(now), months: 24 });
  await store.population.replaceMonths(rows);
  log?.info({ rows: rows.length }, 'population: seeded synthetic demo data');
  return rows.length;
}

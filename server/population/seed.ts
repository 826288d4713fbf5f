import { CST_OFFSET_MS } from '#common/time';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { generateSyntheticPopulation, gridsFromRegions } from './synthetic.ts';

/** `'YYYY-MM'` of an instant in China Standard Time. */
export function cstMonth(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 7);
}

/**
 * First start: with no population data at all, store 24 months of SYNTHETIC demo aggregates (ending at the
 * current month) for every grid of the region dataset, each row marked synthetic. Idempotent, also when
 * several nodes start at once (replaceMonths upserts). Returns the number of rows written.
 */
export async function seedPopulation(store: Store, regions: Regions, now = new Date(), log?: Logger): Promise<number> {
  if ((await store.population.count()) > 0) return 0;
  const rows = generateSyntheticPopulation(gridsFromRegions({ features: regions.features.map((f) => ({ properties: { ...f.properties } })) }), { endMonth: cstMonth(now), months: 24 });
  await store.population.replaceMonths(rows);
  log?.info({ rows: rows.length }, 'population: seeded synthetic demo data');
  return rows.length;
}

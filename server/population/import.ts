import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isWithinScope } from '#common/geo/types';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import { importPopulationCsv, type ImportOptions, type ImportResult } from './csv-import.ts';

/** Settings key bumped after every import, so every node (and a server while the CLI imports) can tell. */
export const POPULATION_REV_KEY = 'population.rev';

export type ImportRunOptions = Pick<ImportOptions, 'encoding' | 'format' | 'bytesTotal' | 'onProgress' | 'progressEvery'> & {
  /** The uploader's region: rows of grids outside it are refused, each with its error (the CLI imports everywhere). */
  scopeRegionId?: string;
};

/**
 * Read a registry CSV (person rows are reduced to counts as they stream by), then replace the stored
 * (grid, month) pairs it holds in one transaction and bump the population revision. Grids must exist in the
 * region dataset.
 */
export async function importPopulation(
  source: string | Readable,
  deps: { store: Store; regions: Regions },
  options: ImportRunOptions = {},
): Promise<ImportResult> {
  const knownGridIds = new Set(deps.regions.features.filter((f) => f.properties.level === 'grid').map((f) => f.properties.id));
  const { scopeRegionId, ...csvOptions } = options;
  const inScope = scopeRegionId === undefined ? undefined : (gridId: string) => isWithinScope(gridId, scopeRegionId);
  const result = await importPopulationCsv(source, { ...csvOptions, knownGridIds, inScope, maxErrors: 1000 });
  if (result.aggregates.length) {
    await deps.store.population.replaceMonths(
      result.aggregates.map((a) => ({ gridId: a.gridId, month: a.month, synthetic: false, aggregate: a.aggregate })),
    );
    await deps.store.settings.set(POPULATION_REV_KEY, randomUUID());
  }
  return result;
}

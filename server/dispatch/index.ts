import type { Router } from 'express';
import type { RawWorker } from '../geo/grid-facts.ts';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { createCandidates } from './candidates.ts';
import { dispatchRoutes } from './routes.ts';
import { seedParties } from './seed.ts';

/** Who takes the work: the synthetic party seed on first start, then the registry, candidates and workers REST. */
export async function createDispatch(deps: { store: Store; regions: Regions; roster: readonly RawWorker[]; log: Logger }): Promise<Router> {
  await seedParties(deps.store, deps.regions, deps.log);
  const candidates = createCandidates(deps);
  return dispatchRoutes({ store: deps.store, regions: deps.regions, candidates });
}

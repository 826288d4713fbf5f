import type { Router } from 'express';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Store } from '../store/types.ts';
import { createPopulationLive } from './live.ts';
import { populationRoutes } from './routes.ts';
import { seedPopulation } from './seed.ts';
import { createPopulationService, type PopulationService } from './service.ts';

export interface Population {
  service: PopulationService;
  /** Mount under /api, behind requireAuth. */
  routes: Router;
  close(): void;
}

/** Population feature: synthetic seed on first start, REST, admin import, live pushes. */
export async function createPopulation(deps: { store: Store; regions: Regions; io: IoServer; log: Logger }): Promise<Population> {
  await seedPopulation(deps.store, deps.regions, new Date(), deps.log);
  const service = createPopulationService(deps.store, deps.regions);
  const live = await createPopulationLive({ io: deps.io, store: deps.store, service, log: deps.log });
  return { service, routes: populationRoutes({ store: deps.store, regions: deps.regions, service, live }), close: live.close };
}

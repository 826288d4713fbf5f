import { Router } from 'express';
import type { Regions } from '../geo/regions.ts';
import type { Pipeline } from '../ingest/pipeline.ts';
import type { Logger } from '../log.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Store } from '../store/types.ts';
import type { Audit } from '../audit/index.ts';
import type { IncidentService } from '../incidents/service.ts';
import { activityRoutes } from './activity-routes.ts';
import { careRoutes } from './care-routes.ts';
import { seedCare } from './seed.ts';
import { tierRoutes } from './tier-rules.ts';
import { createCareService, startWelfareSweep, type CareService } from './service.ts';

export interface Care {
  service: CareService;
  /** Mount under /api, behind requireAuth. */
  routes: Router;
  close(): Promise<void>;
}

/** Community life: synthetic seed on the demo dataset, REST, and the welfare sweep every `sweepMs` (its tasks go to the grid's worker through `incidents`). */
export async function createCare(deps: { store: Store; regions: Regions; pipeline: Pipeline; io: IoServer; geoDir: string; now: () => Date; log: Logger; sweepMs: number; audit?: Audit; incidents?: Pick<IncidentService, 'act' | 'roster'> }): Promise<Care> {
  await seedCare(deps.store, deps.regions, deps.geoDir, deps.now(), deps.log);
  const service = createCareService(deps);
  const sweep = startWelfareSweep(service, deps.sweepMs, deps.log);
  const routes = Router();
  routes.use(activityRoutes({ ...deps, service }));
  routes.use(careRoutes({ ...deps, service }));
  routes.use(tierRoutes({ store: deps.store, audit: deps.audit, changed: () => service.changed(deps.regions.root.id) }));
  return { service, routes, close: sweep.stop };
}

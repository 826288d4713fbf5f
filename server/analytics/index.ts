import type { Router } from 'express';
import type { AnalyticsDeps } from './query.ts';
import { analyticsRoutes } from './routes.ts';

/** Analytics: rollups built from the event log when a database predates them, then GET /api/analytics. */
export async function createAnalytics(deps: AnalyticsDeps): Promise<Router> {
  await deps.store.analytics.ensureBuilt();
  return analyticsRoutes(deps);
}

import { Router } from 'express';
import { analyticsQuerySchema } from '#common/analytics/api';
import { isWithinScope } from '#common/geo/types';
import { requireRole, userOf } from '../auth/middleware.ts';
import { queryAnalytics, type AnalyticsDeps } from './query.ts';

/** GET /api/analytics (README "Analytics"): staff and walls, within the caller's region; walls get no per-person groups. */
export function analyticsRoutes(deps: AnalyticsDeps): Router {
  const r = Router();
  r.get('/analytics', requireRole('admin', 'leader', 'dispatcher', 'wall'), async (req, res) => {
    const q = analyticsQuerySchema.safeParse(req.query);
    if (!q.success) {
      const message = q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ');
      return void res.status(400).json({ error: { code: 'analytics/bad_query', message } });
    }
    const user = userOf(req);
    const regionId = q.data.regionId ?? user.regionId;
    if (!isWithinScope(regionId, user.regionId)) {
      return void res.status(403).json({ error: { code: 'scope/forbidden', message: `Region ${regionId} is outside your scope.` } });
    }
    if (user.role === 'wall' && (q.data.groupBy === 'worker' || q.data.groupBy === 'party')) {
      return void res.status(403).json({ error: { code: 'analytics/aggregates_only', message: 'Wall displays get aggregates only.' } });
    }
    if (!deps.regions.get(regionId)) return void res.status(404).json({ error: { code: 'region/not_found', message: `No region ${regionId}.` } });
    res.json(await queryAnalytics(deps, { ...q.data, regionId }, user.role));
  });
  return r;
}

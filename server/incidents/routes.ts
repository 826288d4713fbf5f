import { Router } from 'express';
import { isWithinScope } from '#common/geo/types';
import { audienceOf, projectIncident } from '#common/incidents/projection';
import { userOf } from '../auth/middleware.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';

/** Read API (the incidents issue adds filters, paging and CSV). */
export function incidentRoutes(deps: { store: Store; regions: Regions }): Router {
  const r = Router();

  r.get('/incidents', async (req, res) => {
    const user = userOf(req);
    const regionId = typeof req.query.regionId === 'string' ? req.query.regionId : user.regionId;
    if (!isWithinScope(regionId, user.regionId)) {
      res.status(403).json({ error: { code: 'scope/forbidden', message: `Region ${regionId} is outside your scope.` } });
      return;
    }
    const limit = Math.min(Math.max(Number(req.query.limit) || 100, 1), 500);
    const audience = audienceOf(user.role);
    const items = await deps.store.incidents.recent(regionId, limit);
    res.json({ items: items.map((i) => projectIncident(i, audience)) });
  });

  r.get('/incidents/:id', async (req, res) => {
    const user = userOf(req);
    const incident = await deps.store.incidents.get(req.params.id);
    const regionId = incident ? (incident.gridId ?? deps.regions.root.id) : null;
    if (!incident || !regionId || !isWithinScope(regionId, user.regionId)) {
      res.status(404).json({ error: { code: 'incident/not_found', message: 'No such incident in your scope.' } });
      return;
    }
    res.json(projectIncident(incident, audienceOf(user.role)));
  });

  return r;
}

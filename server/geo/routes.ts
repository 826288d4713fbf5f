import { Router } from 'express';
import { z } from 'zod';
import { isWithinScope } from '#common/geo/types';
import { userOf } from '../auth/middleware.ts';
import type { Regions } from './regions.ts';

const locateSchema = z.object({ lng: z.coerce.number().min(-180).max(180), lat: z.coerce.number().min(-90).max(90) });

/** Region tree, region geometry and point lookup; every answer limited to the user's scope. */
export function geoRoutes(regions: Regions): Router {
  const r = Router();

  r.get('/regions', (req, res) => {
    res.json(regions.tree(userOf(req).regionId));
  });

  // Region polygons within the user's scope, optionally one level only (the map asks per level).
  r.get('/geo/regions.geojson', (req, res) => {
    const scope = userOf(req).regionId;
    const level = typeof req.query.level === 'string' ? req.query.level : null;
    const features = regions.features.filter(
      (f) => (level === null || f.properties.level === level) && isWithinScope(f.properties.id, scope),
    );
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.json({ type: 'FeatureCollection', features });
  });

  r.get('/geo/locate', (req, res) => {
    const q = locateSchema.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: { code: 'geo/bad_point', message: 'lng and lat must be numbers in range.' } });
      return;
    }
    const { gridId, path } = regions.locate(q.data.lng, q.data.lat);
    res.json({ gridId, path: path.map((p) => ({ id: p.id, level: p.level, name: p.name, nameEn: p.nameEn })) });
  });

  return r;
}

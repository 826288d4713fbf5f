import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { isWithinScope } from '#common/geo/types';
import type { MapConfig } from '#geo/style/contract.ts';
import { TILE_MAX_ZOOM } from '#geo/style/contract.ts';
import { userOf } from '../auth/middleware.ts';
import { GridFacts } from './grid-facts.ts';
import type { Regions } from './regions.ts';
import { TileService } from './tiles.ts';

export const locateSchema = z.object({ lng: z.coerce.number().min(-180).max(180), lat: z.coerce.number().min(-90).max(90) });
const tileSchema = z.object({
  z: z.coerce.number().int().min(0).max(24),
  x: z.coerce.number().int().min(0),
  y: z.coerce.number().int().min(0),
});

export interface GeoRouteOptions {
  /** Folder of roads/buildings/pois/workers: geoDirFor(DATA_DIR). */
  geoDir: string;
  /** The optional base layer settings from the config. */
  mapBase: { MAP_BASE_XYZ: string; MAP_BASE_PMTILES: string };
}

const notFound = (res: Response, what: string) =>
  res.status(404).json({ error: { code: 'geo/not_found', message: `No ${what} in your scope.` } });

/** Region tree, geometry (vector tiles), grid facts and point lookup; every answer limited to the user's scope. */
export function geoRoutes(regions: Regions, opts: GeoRouteOptions): Router {
  const r = Router();
  const { geoDir, mapBase } = opts;
  const tiles = new TileService(regions, geoDir);
  const facts = new GridFacts(regions, geoDir);

  r.get('/regions', (req, res) => {
    res.json(regions.tree(userOf(req).regionId));
  });

  // Region polygons within the user's scope, optionally one level only. Fine for small scopes; the map uses tiles.
  r.get('/geo/regions.geojson', (req, res) => {
    const scope = userOf(req).regionId;
    const level = typeof req.query.level === 'string' ? req.query.level : null;
    const features = regions.features.filter(
      (f) => (level === null || f.properties.level === level) && isWithinScope(f.properties.id, scope),
    );
    res.setHeader('Cache-Control', 'private, max-age=300');
    res.json({ type: 'FeatureCollection', features });
  });

  r.get('/geo/tiles/:z/:x/:y.pbf', (req, res) => {
    const q = tileSchema.safeParse(req.params);
    if (!q.success || q.data.x >= 2 ** q.data.z || q.data.y >= 2 ** q.data.z) {
      res.status(400).json({ error: { code: 'geo/bad_tile', message: 'z/x/y out of range.' } });
      return;
    }
    const { z: zoom, x, y } = q.data;
    res.setHeader('Cache-Control', 'private, max-age=3600');
    res.setHeader('Vary', 'Authorization');
    const bytes = zoom > TILE_MAX_ZOOM + 6 ? null : tiles.tile(userOf(req).regionId, zoom, x, y);
    if (!bytes) {
      res.status(204).end();
      return;
    }
    res.setHeader('Content-Type', 'application/vnd.mapbox-vector-tile');
    res.setHeader('Content-Encoding', 'gzip');
    res.end(bytes);
  });

  r.get('/geo/grids/:id', (req, res) => {
    const user = userOf(req);
    const id = req.params.id;
    const out = /^\d{6,15}$/.test(id) && isWithinScope(id, user.regionId) ? facts.facts(id, user.role) : null;
    if (!out) return void notFound(res, `region ${id.slice(0, 20)}`);
    res.setHeader('Cache-Control', 'private, max-age=60');
    res.json(out);
  });

  r.get('/geo/map-config', (req, res) => {
    const scopeId = userOf(req).regionId;
    const base: MapConfig['base'] = mapBase.MAP_BASE_XYZ
      ? { type: 'xyz', tiles: mapBase.MAP_BASE_XYZ }
      : mapBase.MAP_BASE_PMTILES
        ? { type: 'pmtiles', url: '/api/geo/base.pmtiles' }
        : null;
    const body: MapConfig = { tiles: '/api/geo/tiles/{z}/{x}/{y}.pbf', bounds: tiles.bounds(scopeId), scopeId, base };
    res.json(body);
  });

  // The deployment's own PMTiles base map, with HTTP range requests (sendFile handles Range).
  r.get('/geo/base.pmtiles', (_req, res) => {
    const file = mapBase.MAP_BASE_PMTILES ? resolve(mapBase.MAP_BASE_PMTILES) : '';
    if (!file || !existsSync(file)) return void notFound(res, 'base map');
    res.sendFile(file, { headers: { 'Cache-Control': 'private, max-age=86400', 'Content-Type': 'application/octet-stream' } });
  });

  r.get('/geo/locate', (req, res) => {
    const q = locateSchema.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: { code: 'geo/bad_point', message: 'lng and lat must be numbers in range.' } });
      return;
    }
    const { gridId, path } = regions.locate(q.data.lng, q.data.lat);
    // Only regions the caller may see: their scope, its subtree, and the ancestors above it.
    const scope = userOf(req).regionId;
    const visible = path.filter((p) => isWithinScope(p.id, scope) || isWithinScope(scope, p.id));
    res.json({
      gridId: gridId && isWithinScope(gridId, scope) ? gridId : null,
      path: visible.map((p) => ({ id: p.id, level: p.level, name: p.name, nameEn: p.nameEn })),
    });
  });

  return r;
}

import { Router, type Request, type Response } from 'express';
import { isWithinScope } from '#common/geo/types';
import { audienceOf } from '#common/incidents/projection';
import { requireRole, userOf } from '../auth/middleware.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import { importPopulation } from './import.ts';
import type { PopulationLive } from './live.ts';
import type { PopulationService } from './service.ts';

const bad = (res: Response, code: string, message: string, status = 400) => res.status(status).json({ error: { code, message } });

/** The region asked for (default: the user's own), scope-checked; null after answering 4xx. */
function regionOf(req: Request, res: Response, regions: Regions): string | null {
  const q = req.query.regionId;
  const user = userOf(req);
  const regionId = typeof q === 'string' && q !== '' ? q : user.regionId;
  let error: [string, string, number] | null = null;
  if (!/^\d{6,15}$/.test(regionId)) error = ['population/bad_region', 'regionId must be a region code.', 400];
  else if (!isWithinScope(regionId, user.regionId)) error = ['scope/forbidden', `Region ${regionId} is outside your scope.`, 403];
  else if (!regions.get(regionId)) error = ['scope/not_found', `No region ${regionId}.`, 404];
  if (error) {
    bad(res, ...error);
    return null;
  }
  return regionId;
}

const ENCODINGS = { 'utf-8': 'utf-8', utf8: 'utf-8', gbk: 'gbk', gb2312: 'gbk', gb18030: 'gb18030' } as const;

/**
 * GET /population?regionId=… (aggregate, indicators, history, children; suppressed for the wall),
 * GET /population/grids?regionId=… (per-grid cells for the map), and the admin upload
 * POST /population/import: a raw CSV body (text/csv or application/octet-stream, streamed; charset or
 * ?encoding=gbk for Excel exports, ?format=person|aggregate) answering { counts, errors } (first 1000 errors).
 */
export function populationRoutes(deps: { store: Store; regions: Regions; service: PopulationService; live: PopulationLive }): Router {
  const { store, regions, service, live } = deps;
  const r = Router();

  r.get('/population', async (req, res) => {
    const regionId = regionOf(req, res, regions);
    if (regionId) res.json(await service.reply(regionId, audienceOf(userOf(req).role)));
  });

  r.get('/population/grids', async (req, res) => {
    const regionId = regionOf(req, res, regions);
    if (regionId) res.json(await service.grids(regionId, audienceOf(userOf(req).role)));
  });

  r.post('/population/import', requireRole('admin'), async (req, res) => {
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    if (!/^(text\/csv|application\/octet-stream|text\/plain)\b/.test(type)) {
      return void bad(res, 'population/unsupported_type', 'Send the CSV as the raw body (Content-Type: text/csv).', 415);
    }
    // Unsaid: UTF-8, or GB18030 when the file is not UTF-8 (Excel on Chinese Windows saves GBK).
    const asked = String(req.query.encoding ?? /charset=([\w-]+)/.exec(type)?.[1] ?? 'auto').toLowerCase();
    const encoding = asked === 'auto' ? 'auto' : ENCODINGS[asked as keyof typeof ENCODINGS];
    if (!encoding) return void bad(res, 'population/bad_encoding', `Unsupported encoding: ${asked.slice(0, 20)}.`);
    const format = req.query.format === 'person' || req.query.format === 'aggregate' ? req.query.format : undefined;
    const length = Number(req.headers['content-length']);
    const scopeRegionId = userOf(req).regionId;
    const result = await importPopulation(req, { store, regions }, { encoding, format, scopeRegionId, bytesTotal: Number.isFinite(length) ? length : undefined });
    if (result.counts.accepted === 0 && result.counts.outOfScope > 0) {
      // Nothing was written: every readable row lies outside the uploader's region.
      const error = { code: 'scope/forbidden', message: `No row of this file lies within your region ${scopeRegionId}.` };
      return void res.status(403).json({ error, format: result.format, counts: result.counts, errors: result.errors });
    }
    await live.imported(result.aggregates.map((a) => a.gridId));
    res.json({ format: result.format, counts: result.counts, errors: result.errors });
  });

  return r;
}

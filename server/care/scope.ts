import type { Request, Response } from 'express';
import { isWithinScope } from '#common/geo/types';
import { audienceOf, type Audience } from '#common/incidents/projection';
import { userOf } from '../auth/middleware.ts';
import type { Regions } from '../geo/regions.ts';

export const bad = (res: Response, code: string, message: string, status = 400) => void res.status(status).json({ error: { code, message } });

/** The region asked for (default: the user's own), scope-checked; null after answering 4xx. */
export function regionOf(req: Request, res: Response, regions: Regions, value: unknown = req.query.regionId): string | null {
  const user = userOf(req);
  const regionId = typeof value === 'string' && value !== '' ? value : user.regionId;
  if (!/^\d{6,15}$/.test(regionId)) return bad(res, 'care/bad_region', 'regionId must be a region code.'), null;
  if (!isWithinScope(regionId, user.regionId)) return bad(res, 'scope/forbidden', `Region ${regionId} is outside your scope.`, 403), null;
  if (!regions.get(regionId)) return bad(res, 'scope/not_found', `No region ${regionId}.`, 404), null;
  return regionId;
}

/** Person-level reads: never for a wall. */
export function personAudience(req: Request, res: Response): Exclude<Audience, 'wall'> | null {
  const audience = audienceOf(userOf(req).role);
  if (audience === 'wall') return bad(res, 'auth/forbidden', 'Walls receive aggregates only.', 403), null;
  return audience;
}

/** Zod issues as one readable line. */
export const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }) =>
  e.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');

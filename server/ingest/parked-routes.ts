/**
 * Parked reports (待定位): addresses the gazetteer could not place. `GET /api/parked` lists the open ones in the
 * caller's scope (a parked report belongs to its ingest key's region, else the root: see common/ingest/parked.ts);
 * `POST /api/parked/{id}/place` takes a dispatcher's click on the map and sends the report through the normal
 * pipeline (grid lookup, merge, push), recording the placement in the incident's history.
 */
import { Router, type Response } from 'express';
import { z } from 'zod';
import { isWithinScope } from '#common/geo/types';
import { audienceOf, type Audience } from '#common/incidents/projection';
import { placeBodySchema, type ParkedList, type ParkedReport, type PlaceResult } from '#common/ingest/parked';
import { maskName, maskPersonalText, maskPhone, namesInText } from '#common/privacy';
import { requireRole, userOf } from '../auth/middleware.ts';
import type { Audit } from '../audit/index.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import { recordLocate } from './locate.ts';
import type { Pipeline } from './pipeline.ts';

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) });

/** Citizen text and the caller's details, as for an incident: dispatchers and admins in full, leaders masked. */
export function projectParked(p: ParkedReport, audience: Audience): ParkedReport {
  if (audience === 'full') return p;
  const known = [p.reporter?.name, ...namesInText(p.description), ...namesInText(p.address)];
  return {
    ...p,
    title: maskPersonalText(p.title, known),
    description: audience === 'wall' ? '' : maskPersonalText(p.description, known),
    address: maskPersonalText(p.address, known),
    reporter: p.reporter && audience !== 'wall' ? { name: p.reporter.name && maskName(p.reporter.name), phone: p.reporter.phone && maskPhone(p.reporter.phone) } : null,
  };
}

export function parkedRoutes(deps: { store: Store; regions: Regions; pipeline: Pipeline; audit?: Audit; now?: () => Date }): Router {
  const { store, regions, pipeline } = deps;
  const clock = deps.now ?? (() => new Date());
  const r = Router();
  const bad = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });

  r.get('/parked', requireRole('admin', 'dispatcher', 'leader'), async (req, res) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) return bad(res, 400, 'parked/bad_query', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const user = userOf(req);
    const list = await store.parked.open(user.regionId, q.data.limit);
    const audience = audienceOf(user.role);
    const reporters = list.items.filter((p) => p.reporter && (p.reporter.name !== null || p.reporter.phone !== null)).length;
    if (audience === 'full' && reporters > 0 && deps.audit) {
      await deps.audit.record({ action: 'parked.reporter_read', target: `region:${user.regionId}`, detail: { reporters } }, req);
    }
    const body: ParkedList = { items: list.items.map((p) => projectParked(p, audience)), total: list.total };
    res.json(body);
  });

  r.post('/parked/:id/place', requireRole('admin', 'dispatcher'), async (req, res) => {
    const user = userOf(req);
    const body = placeBodySchema.safeParse(req.body);
    if (!body.success) return bad(res, 400, 'parked/bad_point', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const parked = await store.parked.get(String(req.params.id));
    if (!parked || !isWithinScope(parked.regionId, user.regionId)) return bad(res, 404, 'parked/not_found', 'No such parked report in your scope.');
    if (parked.placedAt) return bad(res, 409, 'parked/placed', `Already placed as incident ${parked.incidentId ?? '?'}.`);
    const now = clock();
    // The report as it arrived, with the dispatcher's point: the same (connector, external id), so a second
    // dispatcher placing it at once gets the same incident back as a duplicate.
    const event = { ...parked.event, location: { lng: body.data.lng, lat: body.data.lat }, crs: 'wgs84' as const };
    const scopeRegionId = parked.regionId === regions.root.id ? null : parked.regionId;
    const [result] = await pipeline.submit(parked.connectorId, [event], now, { scopeRegionId });
    if (!result?.ok) return bad(res, 422, result?.error.code ?? 'parked/refused', result?.error.message ?? 'The report could not be placed.');
    await store.parked.markPlaced(parked.id, result.id, user.sub, now);
    await recordLocate(store, result, { method: 'map', score: null, matched: null, parkedId: parked.id }, { id: user.sub, role: user.role }, now);
    await deps.audit?.record({ action: 'parked.place', target: `incident:${result.id}`, detail: { parkedId: parked.id } }, req);
    const out: PlaceResult = { parkedId: parked.id, incidentId: result.id, merged: result.merged };
    res.json(out);
  });
  return r;
}

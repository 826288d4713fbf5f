import { Router } from 'express';
import { requireRole, userOf } from '../../auth/middleware.ts';
import type { Store } from '../../store/types.ts';
import type { CappedRejectStore } from '../dead-letters.ts';

/**
 * GET /api/ingest/rejected?connector=…&limit=… (admins scoped at the root region only: a dead letter failed validation, so it has no trustworthy region; mount behind requireAuth): the dead letters, newest
 * first, each with its connector, time, reason and the (masked, bounded) payload as received; and `dropped`: per
 * connector and clock hour of the last day, how many were only counted because that hour's cap was reached.
 */
export function rejectedRoutes(deps: { store: Store; rejects: CappedRejectStore; rootRegionId: string }): Router {
  const r = Router();
  r.get('/ingest/rejected', requireRole('admin'), async (req, res) => {
    if (userOf(req).regionId !== deps.rootRegionId) {
      const message = 'Dead letters are read by admins of the whole region only.';
      return void res.status(403).json({ error: { code: 'scope/forbidden', message } });
    }
    const connector = typeof req.query.connector === 'string' && req.query.connector.trim() ? req.query.connector.trim().slice(0, 64) : null;
    const raw = Number(req.query.limit ?? 100);
    const limit = Number.isFinite(raw) ? Math.min(Math.max(Math.trunc(raw), 1), 5000) : 100;
    const items = await deps.store.rejects.list(connector, limit);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ items, dropped: deps.rejects.dropped(connector) });
  });
  return r;
}

import { Router } from 'express';
import { requireRole, userOf } from '../../auth/middleware.ts';
import type { Store } from '../../store/types.ts';

/**
 * GET /api/ingest/rejected?connector=…&limit=… (mount behind requireAuth): the dead letters, newest first, each
 * with its connector, time, reason and the (masked) payload as received. A dead letter has no trustworthy
 * region (it failed validation), so only admins scoped at the root region may read them.
 */
export function rejectedRoutes(deps: { store: Store; rootRegionId: string }): Router {
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
    res.json({ items });
  });
  return r;
}

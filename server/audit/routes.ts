import { Router } from 'express';
import { auditQuerySchema, type AuditPage } from '#common/audit/types';
import { requireRole, userOf } from '../auth/middleware.ts';
import type { Store } from '../store/types.ts';

const DEFAULT_LIMIT = 100;

/**
 * `GET /api/audit`: admins page the log newest first (mounted behind requireAuth). An admin whose scope is the
 * root region (the whole deployment) sees every entry; one scoped to a street or community sees the entries
 * about their region (AuditEntry.regionId within it) and their own actions, nothing deployment-wide.
 */
export function auditRoutes(deps: { store: Store; rootRegionId: string }): Router {
  const r = Router();
  r.get('/audit', requireRole('admin'), async (req, res) => {
    const q = auditQuerySchema.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: { code: 'audit/bad_query', message: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const { cursor, limit = DEFAULT_LIMIT, from, to, ...filter } = q.data;
    const user = userOf(req);
    const scope = user.regionId === deps.rootRegionId ? {} : { scope: { regionId: user.regionId, actorId: user.sub } };
    // One more than asked tells whether there is a next page.
    const rows = await deps.store.audit.list(
      { ...filter, ...scope, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) },
      { limit: limit + 1, ...(cursor ? { beforeId: Number(cursor) } : {}) },
    );
    const items = rows.slice(0, limit);
    res.json({ items, nextCursor: rows.length > limit ? String(items.at(-1)!.id) : null } satisfies AuditPage);
  });
  return r;
}

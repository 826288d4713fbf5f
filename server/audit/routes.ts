import { Router } from 'express';
import { auditQuerySchema, type AuditPage } from '#common/audit/types';
import { requireRole } from '../auth/middleware.ts';
import type { Store } from '../store/types.ts';

const DEFAULT_LIMIT = 100;

/** `GET /api/audit`: admins page the log newest first (mounted behind requireAuth). */
export function auditRoutes(deps: { store: Store }): Router {
  const r = Router();
  r.get('/audit', requireRole('admin'), async (req, res) => {
    const q = auditQuerySchema.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: { code: 'audit/bad_query', message: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const { cursor, limit = DEFAULT_LIMIT, from, to, ...filter } = q.data;
    // One more than asked tells whether there is a next page.
    const rows = await deps.store.audit.list(
      { ...filter, ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) },
      { limit: limit + 1, ...(cursor ? { beforeId: Number(cursor) } : {}) },
    );
    const items = rows.slice(0, limit);
    res.json({ items, nextCursor: rows.length > limit ? String(items.at(-1)!.id) : null } satisfies AuditPage);
  });
  return r;
}

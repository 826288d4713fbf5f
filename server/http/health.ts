import { Router } from 'express';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Store } from '../store/types.ts';

export function healthRoutes(deps: { store: Store; sources: SourceRegistry; version: string; startedAt: number }): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const dbOk = await deps.store.ping().catch(() => false);
    res.setHeader('Cache-Control', 'no-store');
    res.status(dbOk ? 200 : 503).json({
      status: dbOk ? 'ok' : 'degraded',
      version: deps.version,
      uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
      db: { kind: deps.store.kind, ok: dbOk },
      sources: deps.sources.list().map(({ id, kind, status, lastMessageAt, errors }) => ({ id, kind, status, lastMessageAt, errors })),
    });
  });
  return r;
}

import { Router } from 'express';
import { z } from 'zod';
import { requireRole, userOf } from '../auth/middleware.ts';
import type { KeyRing } from './keys.ts';
import type { SourceRegistry } from './sources.ts';

export const newKey = z.strictObject({ source: z.string().regex(/^[a-z0-9_-]{2,32}$/i, '2–32 letters, digits, _ or -') });

/**
 * Admins issue and revoke upstream API keys; a new key is shown once, then only its last four characters.
 * A key records its issuer's region: an admin lists and revokes only keys issued within their own scope.
 */
export function ingestKeyRoutes(deps: { keys: KeyRing; sources: SourceRegistry }): Router {
  const r = Router();
  r.use('/ingest/keys', requireRole('admin'));

  r.get('/ingest/keys', (req, res) => {
    res.json({ items: deps.keys.list(userOf(req).regionId) });
  });

  r.post('/ingest/keys', async (req, res) => {
    const body = newKey.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'ingest/bad_key_request', message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const { info, key } = await deps.keys.create(body.data.source, userOf(req).sub, userOf(req).regionId);
    if (!deps.sources.list().some((s) => s.id === info.source)) deps.sources.register(info.source, 'http', 'connected');
    res.status(201).json({ ...info, key });
  });

  r.delete('/ingest/keys/:id', async (req, res) => {
    if (await deps.keys.revoke(req.params.id, userOf(req).regionId)) return void res.status(204).end();
    const message = 'No admin-issued key with that id in your region (environment keys change with INGEST_KEYS).';
    res.status(404).json({ error: { code: 'ingest/no_such_key', message } });
  });

  return r;
}

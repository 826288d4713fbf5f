import { Router, type Response } from 'express';
import { userOf } from '../auth/middleware.ts';
import { idempotent, type Reply } from '../incidents/idempotency.ts';
import type { Store } from '../store/types.ts';

/**
 * `Idempotency-Key` for photo uploads (`POST /api/incidents/{id}/media`, server/media): the app's outbox resends a
 * photo whose reply it lost with the same key, and the photo is stored once. Mounted just before the media routes:
 * with a key, the upload runs inside idempotent() (server/incidents/idempotency.ts), its JSON reply captured and
 * kept; a repeat gets the first reply. Without a key the upload runs as it is.
 */
export function uploadIdempotency(deps: { store: Store }): Router {
  const r = Router();
  r.post('/incidents/:id/media', async (req, res, next) => {
    if (req.get('Idempotency-Key') === undefined) return next();
    const user = userOf(req);
    await idempotent(req, res, { store: deps.store.idempotency, userId: user.sub, scope: `media:${req.params.id}` }, () =>
      new Promise<Reply>((resolve) => {
        const json = res.json.bind(res) as Response['json'];
        // The media handler (or the error handler) answers with res.json: take that as the reply, which
        // idempotent() keeps and then sends with the real res.json.
        res.json = ((body: unknown) => {
          res.json = json;
          resolve({ status: res.statusCode, body });
          return res;
        }) as Response['json'];
        next();
      }),
    );
  });
  return r;
}

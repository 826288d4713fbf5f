import express, { type RequestHandler } from 'express';
import { INGEST_BODY_LIMIT } from '../ingest/http-fast-path.ts';

/**
 * Any JSON body but a bulk ingest: the largest a screen sends is an attendance list at its caps (5,000 ids and
 * 1,000 walk-ins, about 0.6 MB).
 */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** The routes that take batches from upstreams, up to INGEST_BODY_LIMIT, each behind an X-Api-Key. */
const BULK_INGEST = /^\/api\/ingest\/(?:events|hotline)\/?$/i;

export const isBulkIngest = (req: { method?: string; path: string }): boolean => req.method === 'POST' && BULK_INGEST.test(req.path);

/**
 * The JSON parsers. A body is held in memory and parsed (blocking the event loop) before any route looks at it,
 * so 5 MB is taken only on the bulk ingest routes and only with a known key: without one the caller gets the
 * route's 401 before the body is read (the connection is closed rather than drained). Everything else is held to
 * JSON_BODY_LIMIT, refused with 413 from its declared length before it is read.
 */
export function jsonBodies(deps: { keyKnown: (key: string | undefined) => boolean; verify: (req: never, res: never, buf: Buffer) => void }): RequestHandler {
  const bulk = express.json({ limit: INGEST_BODY_LIMIT, verify: deps.verify });
  const rest = express.json({ limit: JSON_BODY_LIMIT, verify: deps.verify });
  return (req, res, next) => {
    if (!isBulkIngest(req)) return rest(req, res, next);
    if (!deps.keyKnown(req.header('x-api-key') ?? undefined)) {
      res.set('Connection', 'close');
      res.status(401).json({ error: { code: 'ingest/unauthorized', message: 'A valid X-Api-Key is required.' } });
      return;
    }
    bulk(req, res, next);
  };
}

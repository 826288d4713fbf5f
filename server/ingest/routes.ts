import { Router, type Response } from 'express';
import type { Pipeline } from './pipeline.ts';
import type { KeyLookup } from './keys.ts';

const MAX_BATCH = 5000;

/**
 * Generic JSON ingest: POST /api/ingest/events with one event or an array; `X-Api-Key` names the source.
 * 202 with a result per item once the good ones are committed; 4xx with reasons when nothing can be taken.
 */
export function ingestRoutes(deps: { pipeline: Pipeline; keys: KeyLookup }): Router {
  const r = Router();

  r.post('/ingest/events', async (req, res) => {
    const key = req.header('x-api-key');
    const connectorId = key ? deps.keys.get(key) : undefined;
    if (!connectorId) {
      res.status(401).json({ error: { code: 'ingest/unauthorized', message: 'A valid X-Api-Key is required.' } });
      return;
    }
    // Anything that is not an array is one item: the pipeline rejects (and keeps) what is not an event.
    const body: unknown = req.body;
    const items = Array.isArray(body) ? body : [body];
    if (items.length === 0) {
      res.status(400).json({ error: { code: 'ingest/empty', message: 'Send one event object or a non-empty array.' } });
      return;
    }
    if (items.length > MAX_BATCH) {
      res.status(413).json({ error: { code: 'ingest/too_many', message: `At most ${MAX_BATCH} events per request.` } });
      return;
    }
    // The sender chooses each event's `source`: a key speaks only for the kinds its connector may claim.
    // A key issued by an admin below the root reports only within that admin's region.
    const scopeRegionId = deps.keys.scopeOf?.(key!) ?? null;
    const results = await deps.pipeline.submit(connectorId, items, undefined, { checkClaims: true, scopeRegionId });
    const accepted = results.filter((x) => x.ok).length;
    if (accepted === 0) {
      res.status(422).json({ error: { code: 'ingest/all_rejected', message: 'No event was valid.' }, results });
      return;
    }
    accepted202(res, { accepted, rejected: results.length - accepted, results });
  });

  return r;
}

/**
 * The 202 as res.json writes it (same body, `application/json; charset=utf-8`), without the ETag res.json
 * hashes every body for: nothing revalidates the answer to a POST, and at one event per request the hash and
 * send()'s checks were a measurable share of the route.
 */
function accepted202(res: Response, body: unknown): void {
  res.status(202).type('json').end(JSON.stringify(body));
}

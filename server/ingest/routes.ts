import { Router, type Response } from 'express';
import type { Pipeline } from './pipeline.ts';
import type { KeyLookup } from './keys.ts';
import { handedOver } from './http-fast-path.ts';

const MAX_BATCH = 5000;

export interface IngestAnswer {
  status: number;
  body: unknown;
}

export type IngestDeps = { pipeline: Pipeline; keys: KeyLookup };

/**
 * Generic JSON ingest: POST /api/ingest/events with one event or an array; `X-Api-Key` names the source.
 * 202 with a result per item once the good ones are committed; 4xx with reasons when nothing can be taken.
 * The answer is decided here for Express and for the fast path alike (http-fast-path.ts).
 */
export async function answerIngest(deps: IngestDeps, key: string | undefined, body: unknown): Promise<IngestAnswer> {
  const connectorId = key ? deps.keys.get(key) : undefined;
  if (!connectorId) return { status: 401, body: { error: { code: 'ingest/unauthorized', message: 'A valid X-Api-Key is required.' } } };
  // Anything that is not an array is one item: the pipeline rejects (and keeps) what is not an event.
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) return { status: 400, body: { error: { code: 'ingest/empty', message: 'Send one event object or a non-empty array.' } } };
  if (items.length > MAX_BATCH) return { status: 413, body: { error: { code: 'ingest/too_many', message: `At most ${MAX_BATCH} events per request.` } } };
  // The sender chooses each event's `source`: a key speaks only for the kinds its connector may claim.
  // A key issued by an admin below the root reports only within that admin's region.
  const scopeRegionId = deps.keys.scopeOf?.(key!) ?? null;
  const results = await deps.pipeline.submit(connectorId, items, undefined, { checkClaims: true, scopeRegionId });
  const accepted = results.filter((x) => x.ok).length;
  if (accepted === 0) return { status: 422, body: { error: { code: 'ingest/all_rejected', message: 'No event was valid.' }, results } };
  return { status: 202, body: { accepted, rejected: results.length - accepted, results } };
}

export function ingestRoutes(deps: IngestDeps): Router {
  const r = Router();

  r.post('/ingest/events', async (req, res) => {
    // Answered already by the fast path, which hands over only what it does not write itself.
    const given = handedOver.get(req);
    if (given && 'error' in given) throw given.error;
    const answer = given ?? (await answerIngest(deps, req.header('x-api-key'), req.body));
    if (answer.status === 202) accepted202(res, answer.body);
    else res.status(answer.status).json(answer.body);
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

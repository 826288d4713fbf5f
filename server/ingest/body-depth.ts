import type { RequestHandler } from 'express';
import { maskedDeadLetter, rejectRaw, sourceOfKey, type ConnectorDeps } from './connectors/common.ts';
import { HOTLINE_SOURCE } from './connectors/hotline.ts';
import { OPEN311_SOURCE } from './connectors/open311-map.ts';
import { render } from './connectors/open311-xml.ts';
import type { KeyLookup } from './keys.ts';
import { MAX_BODY_DEPTH, nestedDeeperThan } from './dead-letters.ts';

const INGEST_PATHS = /^\/(?:api\/ingest\/(?:events|hotline)|open311\/v2\/requests\.(json|xml))$/;

/**
 * Right after the JSON body parser: a body nested deeper than MAX_BODY_DEPTH is refused with 400 before any route
 * walks it (zod, masking and JSON.stringify all recurse and would overflow the stack). On an ingest route with a
 * valid key it is kept as a dead letter, as a bounded rendering, so the upstream's operator can see what was sent.
 */
export function bodyDepthGuard(deps: ConnectorDeps & { keys: KeyLookup }): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object' || !nestedDeeperThan(body, MAX_BODY_DEPTH)) return next();
    const message = `The body is nested deeper than ${MAX_BODY_DEPTH} levels.`;
    const route = INGEST_PATHS.exec(req.path);
    const reply = () => {
      if (route?.[1]) render(res, route[1] as 'json' | 'xml', 'errors', 'error', [{ code: 400, description: message }], 400);
      else res.status(400).json({ error: { code: route ? 'ingest/too_deep' : 'http/too_deep', message } });
    };
    if (!route || req.method !== 'POST') return reply();
    const apiKey = (body as { api_key?: unknown }).api_key;
    const source = sourceOfKey(deps.keys, req.header('x-api-key') ?? apiKey);
    // Without the right key the route itself refuses (401/403) before it looks at the body.
    const expected = route[1] ? OPEN311_SOURCE : req.path.endsWith('/hotline') ? HOTLINE_SOURCE : source;
    if (!source || source !== expected) return next();
    // Masked like every dead letter; the rendering stops at a few levels, so a masked copy of the top is enough.
    rejectRaw(deps, source, `ingest/too_deep: ${message}`, maskedDeadLetter(body)).then(reply, next);
  };
}

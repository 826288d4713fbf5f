import type { IncomingMessage, OutgoingHttpHeader, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { MAX_BODY_DEPTH, nestedDeeperThan } from './dead-letters.ts';
import type { IngestAnswer } from './routes.ts';

/**
 * POST /api/ingest/events without Express for the common case: one upstream posting JSON with its key and
 * getting its 202. At one event per request Express was about half of the server's time per event (the
 * middlewares walked, helmet computing its dozen headers, compression's wrappers, body-parser's streams);
 * here the body is read and parsed once and the 202 written with the same headers the Express path sends
 * (helmet's, computed once per Host, and compression's `Vary`), after the same commit.
 *
 * Everything else goes to Express as before, so it behaves exactly as it did:
 * - before the body is read, a request that is not plainly JSON (another content type or charset, a
 *   Content-Encoding, no Content-Length, a body over the parser's limit, another path spelling);
 * - after, with `req.body` set and the parser skipped (the stream has ended): a body the JSON parser would
 *   refuse (as the parser's own error, so dead letters and answers stay the same), one nested too deep (the
 *   depth guard's case), and every answer but a small 202 (errors, refusals, bodies that compression would
 *   gzip), which the route writes from `handedOver` without running the pipeline again.
 */
export const handedOver = new WeakMap<IncomingMessage, IngestAnswer | { error: unknown }>();

const PATH = '/api/ingest/events';
/** The JSON parser's limit in app.ts. */
export const INGEST_BODY_LIMIT = 5 * 1024 * 1024;
/** compression's default threshold: it leaves smaller bodies as they are (and only adds `Vary`). */
const COMPRESS_THRESHOLD = 1024;
const JSON_UTF8 = /^application\/json\s*(?:;\s*charset\s*=\s*(?:utf-8|"utf-8")\s*)?$/i;
/** body-parser's strict mode: the first character that is not JSON whitespace opens an object or array. */
const FIRST_CHAR = /^[ \t\n\r]*([^ \t\n\r])/;
const HOST_CACHE = 64;

type Express = (req: IncomingMessage, res: ServerResponse) => void;

export function ingestFastPath(deps: {
  answer: (key: string | undefined, body: unknown) => Promise<IngestAnswer>;
  /** Whether an X-Api-Key is one of ours: without one, Express answers 401 before the body is read (body-limits.ts). */
  keyKnown: (key: string | undefined) => boolean;
  /** The security-header middleware Express runs first: the fast path sends what it sets. */
  security: RequestHandler;
  /** The JSON parser's `verify` (the UTF-8 check): what it throws goes to Express's error handlers as there. */
  verify: (req: { method?: string; path?: string }, res: unknown, raw: Buffer) => void;
  express: Express;
}): Express {
  const byHost = new Map<string, OutgoingHttpHeader[]>();
  const headersFor = (req: IncomingMessage): OutgoingHttpHeader[] => {
    const host = req.headers.host ?? '';
    let headers = byHost.get(host);
    if (!headers) {
      if (byHost.size >= HOST_CACHE) byHost.clear();
      headers = [...recordHeaders(deps.security, req), 'Vary', 'Accept-Encoding', 'Content-Type', 'application/json; charset=utf-8'];
      byHost.set(host, headers);
    }
    return headers;
  };

  async function finish(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    try {
      deps.verify({ method: 'POST', path: PATH }, res, raw);
    } catch (error) {
      return handOver(req, res, { error });
    }
    let text = raw.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // the parser's decoder drops a BOM
    const body = parseStrict(text);
    if (body === PARSE_FAILED) return handOver(req, res, { error: parseError(text) });
    (req as IncomingMessage & { body?: unknown }).body = body;
    if (nestedDeeperThan(body, MAX_BODY_DEPTH)) return deps.express(req, res);
    let answer: IngestAnswer;
    try {
      answer = await deps.answer(header(req, 'x-api-key'), body);
    } catch (error) {
      return handOver(req, res, { error });
    }
    const out = answer.status === 202 ? JSON.stringify(answer.body) : '';
    const length = Buffer.byteLength(out);
    if (answer.status !== 202 || length >= COMPRESS_THRESHOLD) return handOver(req, res, answer);
    res.writeHead(202, [...headersFor(req), 'Content-Length', String(length)]);
    res.end(out);
  }

  function handOver(req: IncomingMessage, res: ServerResponse, given: IngestAnswer | { error: unknown }): void {
    handedOver.set(req, given);
    deps.express(req, res);
  }

  return (req, res) => {
    if (!fits(req) || !deps.keyKnown(header(req, 'x-api-key'))) return deps.express(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    req.once('end', () => {
      // Anything unforeseen is Express's error handler's, as it would have been there (logged, 500).
      finish(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)).catch((error: unknown) => {
        if (res.headersSent) res.destroy();
        else handOver(req, res, { error });
      });
    });
    // The upstream went away mid-body: nothing was read, nothing to answer.
    req.once('error', () => res.destroy());
  };
}

/** A request the fast path takes: the exact path, plainly JSON in UTF-8, a declared length within the limit. */
function fits(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== PATH) return false;
  const h = req.headers;
  if (h['content-encoding'] !== undefined || h['transfer-encoding'] !== undefined) return false;
  const length = Number(h['content-length']);
  return length > 0 && length <= INGEST_BODY_LIMIT && JSON_UTF8.test(h['content-type'] ?? '');
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const PARSE_FAILED = Symbol('parse failed');

function parseStrict(text: string): unknown {
  const first = FIRST_CHAR.exec(text)?.[1];
  if (first !== '{' && first !== '[') return PARSE_FAILED;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return PARSE_FAILED;
  }
}

/** The error body-parser passes on for a body it cannot parse: what the error handlers after it read. */
function parseError(text: string): Error {
  return Object.assign(new SyntaxError('The body is not valid JSON.'), { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed', body: text });
}

/** The headers a middleware sets on a response (helmet sets and removes only), as a flat list. */
function recordHeaders(mw: RequestHandler, req: IncomingMessage): OutgoingHttpHeader[] {
  const set = new Map<string, [string, OutgoingHttpHeader]>();
  const res = {
    setHeader: (name: string, value: OutgoingHttpHeader) => set.set(name.toLowerCase(), [name, value]),
    removeHeader: (name: string) => set.delete(name.toLowerCase()),
    getHeader: (name: string) => set.get(name.toLowerCase())?.[1],
  };
  let passed = false;
  mw(req as never, res as never, () => (passed = true));
  if (!passed) throw new Error('the security-header middleware did not call next() synchronously');
  return [...set.values()].flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, v]).flat() : [name, value]));
}

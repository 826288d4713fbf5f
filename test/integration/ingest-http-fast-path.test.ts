import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, INGEST_KEY, startApp, type Running } from './helpers';

/**
 * POST /api/ingest/events bypasses Express for the plain case (server/ingest/http-fast-path.ts): it must answer
 * exactly as the Express route does (status, headers, body), and hand everything else to Express.
 */
let app: Running;
/** Requests that reached Express. */
let viaExpress = 0;
beforeAll(async () => {
  app = await startApp({ MAP_BASE_XYZ: 'http://tiles.intranet:8081/{z}/{x}/{y}.png' });
  // Express's app(req, res) runs app.handle (not in its public types).
  const express = app.app as unknown as { handle: (...args: unknown[]) => unknown };
  const handle = express.handle.bind(express);
  express.handle = (...args) => {
    viaExpress++;
    return handle(...args);
  };
});
afterAll(async () => {
  await app?.stop();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One POST over node:http; `chunked` sends the body without a Content-Length (the fast path leaves those to Express). */
function post(body: string, opts: { chunked?: boolean; headers?: Record<string, string>; path?: string } = {}): Promise<Answer> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY, ...opts.headers };
    if (!opts.chunked) headers['Content-Length'] = String(Buffer.byteLength(body));
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path: opts.path ?? '/api/ingest/events', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    // end(body) alone would set a Content-Length; write() first sends the body chunked.
    if (opts.chunked) req.write(body);
    req.end(opts.chunked ? undefined : body);
  });
}

/** Headers that differ between any two answers. */
const comparable = (h: Answer['headers']) => Object.fromEntries(Object.entries(h).filter(([k]) => !['date', 'content-length', 'transfer-encoding'].includes(k)));
const json = (a: Answer) => JSON.parse(a.body.toString('utf8')) as Record<string, unknown>;
/** Through Express or not, as counted by the wrapper above. */
async function counted<T>(f: () => Promise<T>): Promise<{ value: T; express: number }> {
  const before = viaExpress;
  const value = await f();
  return { value, express: viaExpress - before };
}

describe('the ingest fast path', () => {
  it('answers a plain 202 itself, with the headers and body the Express route sends', async () => {
    const fast = await counted(() => post(JSON.stringify(event(900_001, { externalId: 'fast-1' }))));
    const slow = await counted(() => post(JSON.stringify(event(900_002, { externalId: 'fast-2' })), { chunked: true }));
    expect([fast.express, slow.express]).toEqual([0, 1]);
    expect(fast.value.status).toBe(202);
    expect(slow.value.status).toBe(202);
    expect(comparable(fast.value.headers)).toEqual(comparable(slow.value.headers));
    expect(fast.value.headers['content-security-policy']).toContain('http://tiles.intranet:8081');
    expect(fast.value.headers['content-length']).toBe(String(fast.value.body.length));
    const [a, b] = [json(fast.value), json(slow.value)];
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(a).toMatchObject({ accepted: 1, rejected: 0, results: [{ ok: true, duplicate: false, merged: false }] });
    // A retry of the same event: the same answer, a duplicate, nothing stored twice.
    const again = json(await post(JSON.stringify(event(900_001, { externalId: 'fast-1' }))));
    expect(again).toMatchObject({ accepted: 1, results: [{ ok: true, duplicate: true, id: (a.results as { id: string }[])[0]!.id }] });
  });

  it('hands refusals to Express once, without a second pipeline run', async () => {
    const rejected = await counted(() => post(JSON.stringify({ ...event(900_003), category: 'flying_saucer' })));
    expect(rejected.express).toBe(1);
    expect(rejected.value.status).toBe(422);
    expect(json(rejected.value)).toMatchObject({ error: { code: 'ingest/all_rejected' }, results: [{ ok: false, error: { code: 'ingest/unknown_category' } }] });
    expect(rejected.value.headers['x-content-type-options']).toBe('nosniff');
    expect(rejected.value.headers.etag).toBeDefined(); // res.json, as before
    const unauthorized = await post(JSON.stringify(event(900_004)), { headers: { 'X-Api-Key': 'nope-nope-nope-nope' } });
    expect(unauthorized.status).toBe(401);
    expect(json(unauthorized)).toMatchObject({ error: { code: 'ingest/unauthorized' } });
    const empty = await post('[]');
    expect([empty.status, json(empty)]).toEqual([400, { error: { code: 'ingest/empty', message: 'Send one event object or a non-empty array.' } }]);
  });

  it('a body the JSON parser refuses gets the parser error as before (400 ingest/bad_json), also with a BOM or leading spaces it accepts', async () => {
    for (const text of ['{"externalId": ', '"a string"', 'null']) {
      const bad = await post(text);
      expect([bad.status, json(bad)]).toEqual([400, { error: { code: 'ingest/bad_json', message: 'The body is not valid JSON.' } }]);
    }
    const bom = await post(`\ufeff \n${JSON.stringify(event(900_005, { externalId: 'fast-bom' }))}`);
    expect(bom.status).toBe(202);
    const withCharset = await counted(() => post(JSON.stringify(event(900_006, { externalId: 'fast-charset' })), { headers: { 'Content-Type': 'application/json; charset=UTF-8' } }));
    expect([withCharset.value.status, withCharset.express]).toEqual([202, 0]);
  });

  it('a big answer is still gzipped by compression (through Express)', async () => {
    const batch = Array.from({ length: 30 }, (_, i) => event(901_000 + i, { externalId: `fast-batch-${i}` }));
    const res = await counted(() => post(JSON.stringify(batch), { headers: { 'Accept-Encoding': 'gzip' } }));
    expect([res.value.status, res.express]).toEqual([202, 1]);
    expect(res.value.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.value.body).toString('utf8'))).toMatchObject({ accepted: 30, rejected: 0 });
    const small = await post(JSON.stringify(event(901_100, { externalId: 'fast-small-gzip' })), { headers: { 'Accept-Encoding': 'gzip' } });
    expect([small.status, small.headers['content-encoding'], small.headers.vary]).toEqual([202, undefined, 'Accept-Encoding']);
  });

  it('other spellings of the path and other content types still go through Express', async () => {
    const slash = await counted(() => post(JSON.stringify(event(900_007, { externalId: 'fast-slash' })), { path: '/api/ingest/events/' }));
    expect([slash.value.status, slash.express]).toEqual([202, 1]);
    const text = await counted(() => post(JSON.stringify(event(900_008)), { headers: { 'Content-Type': 'text/plain' } }));
    expect(text.express).toBe(1);
    expect(text.value.status).toBe(422); // not parsed as JSON: one item that is not an event, as before
  });
});

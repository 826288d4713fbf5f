/**
 * Large request bodies cost the server memory and a blocking JSON.parse before any route runs. Only the bulk
 * ingest routes take bodies up to 5 MB, and only from a caller with a known X-Api-Key: anyone else is answered
 * before the body is read; other routes refuse more than 1 MB unparsed. So one unauthenticated client cannot
 * stall the server with many large bodies.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { event, ingest, INGEST_KEY, startApp, type Running } from './helpers';

let app: Running;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.stop();
});

/**
 * Sends the headers of a POST declaring `declared` bytes of JSON and only the first kilobyte of it; resolves with
 * the status line the server answers with before the rest arrives, or null when it waits for the body.
 */
async function answerBeforeBody(path: string, declared: number, headers: Record<string, string> = {}): Promise<string | null> {
  const { port } = new URL(app.url);
  const socket = connect(Number(port), '127.0.0.1');
  try {
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const head = Object.entries({ 'Content-Type': 'application/json', 'Content-Length': String(declared), ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}\r\n[${'0,'.repeat(500)}`);
    return await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 3000);
      socket.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve(chunk.toString('latin1').split('\r\n')[0]!);
      });
    });
  } finally {
    socket.destroy();
  }
}

describe('request bodies', () => {
  it.each(['/api/ingest/events', '/api/ingest/hotline', '/API/Ingest/Events/'])('%s without a known key: 401 before a 4 MB body is read', async (path) => {
    expect(await answerBeforeBody(path, 4 * 1024 * 1024)).toMatch(/^HTTP\/1\.1 401/);
    expect(await answerBeforeBody(path, 4 * 1024 * 1024, { 'X-Api-Key': 'not-a-key' })).toMatch(/^HTTP\/1\.1 401/);
  });

  it.each(['/api/auth/login', '/api/auth/wall-token', '/open311/v2/requests.json', '/api/users', '/no/such/route'])('%s: a 2 MB JSON body is refused with 413, never parsed', async (path) => {
    const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: `[${'0,'.repeat(1024 * 1024)}0]` });
    expect(res.status).toBe(413);
  });

  it('a known key still sends a large batch', async () => {
    const batch = Array.from({ length: 400 }, (_, i) => event(5000 + i, { description: '路面破损'.repeat(400) }));
    const body = JSON.stringify(batch);
    expect(Buffer.byteLength(body)).toBeGreaterThan(1024 * 1024);
    const res = await ingest(app.url, batch, INGEST_KEY);
    expect(res.status).toBe(202);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(400);
  });
});

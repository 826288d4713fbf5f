/**
 * Issue 12 item 8: bad input is refused with a clear reason and kept (bounded) as a dead letter, without letting a
 * hostile upstream crash the server or fill the disk. Runs on both stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneDeadLetters } from '#server/ingest/dead-letters';
import { createPgSchema, event, ingest, INGEST_KEY, login, requireEnv, startApp, type Running } from './helpers';
import { HOTLINE_KEY, KEYS, OPEN311_KEY, rejectedOf, runId } from '../fixtures/connectors/helpers';

const run = runId();
let app: Running;
let token: string;

beforeAll(async () => {
  app = await startApp({ INGEST_KEYS: KEYS });
  token = (await login(app.url)).token;
});
afterAll(async () => {
  await app?.stop();
});

const deep = (levels: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
};
/** A deep body as text (building the object would already overflow JSON.stringify). */
const deepText = (levels: number, head = '') => `{${head}${'"a":{'.repeat(levels)}"x":1${'}'.repeat(levels)}}`;

let n = 0;
function order(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    orderNo: `H${run}${n}`,
    orderType: '求决',
    category: '城市管理/市容环卫/垃圾清运不及时',
    content: `门口垃圾 ${n}`,
    location: { lng: 104.1 + n / 1000, lat: 30.66 },
    acceptedAt: new Date(Date.now() - n * 31 * 60_000).toISOString(),
    ...over,
  };
}
const hotline = (body: string | unknown) =>
  fetch(`${app.url}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const open311Form = (fields: Record<string, string>) =>
  fetch(`${app.url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ api_key: OPEN311_KEY, service_code: 'garbage_exposed', description: `open311 ${run} ${++n}`, ...fields }),
  });

describe('bodies nested too deep', () => {
  it.each([200, 100_000])('generic events: %i levels → 400 ingest/too_deep, a bounded dead letter, and the next good event flows', async (levels) => {
    const res = await fetch(`${app.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY },
      body: deepText(levels, '"externalId":"deep-1",'),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ingest/too_deep');
    const [dead] = await rejectedOf(app, token, 'hotline', 1);
    expect(dead!.reason).toContain('ingest/too_deep');
    expect(dead!.payload).toContain('deep-1');
    expect(dead!.payload.length).toBeLessThanOrEqual(65_536);
    const good = await ingest(app.url, event(Number(`${levels}${n++}`), { externalId: `after-deep-${run}-${levels}` }));
    expect(good.status).toBe(202);
  });

  it('hotline webhook: 400, kept, later orders still flow', async () => {
    const res = await hotline(deepText(5000, '"orderNo":"deep-hotline",'));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ingest/too_deep');
    const [dead] = await rejectedOf(app, token, 'hotline', 1);
    expect(dead!.reason).toContain('ingest/too_deep');
    expect(dead!.payload).toContain('deep-hotline');
    // An order nested fine but with a deep extra field (33 levels) is refused too; 30 levels pass the guard.
    expect((await hotline({ ...order(), extra: deep(33) })).status).toBe(400);
    expect((await hotline({ ...order(), extra: deep(30) })).status).toBe(202);
    expect((await hotline(order())).status).toBe(202);
  });

  it('Open311 (a JSON body to the form endpoint): 400 in Open311 form, kept, later requests still flow', async () => {
    const res = await fetch(`${app.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: deepText(3000, `"api_key":"${OPEN311_KEY}","service_code":"deep-open311",`),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: number; description: string }[];
    expect(body[0]!.description).toMatch(/nested deeper than 32/);
    const [dead] = await rejectedOf(app, token, 'open311', 1);
    expect(dead!.reason).toContain('ingest/too_deep');
    expect(dead!.payload).toContain('deep-open311');
    expect((await open311Form({ lat: '30.66', long: '104.07' })).status).toBe(200);
  });

  it('without the right key the route refuses as usual (401/403), and nothing is kept', async () => {
    const before = (await rejectedOf(app, token, 'open311', 5000)).length;
    const noKey = await fetch(`${app.url}/api/ingest/events`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deepText(5000) });
    expect(noKey.status).toBe(401);
    const wrongSource = await fetch(`${app.url}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': OPEN311_KEY },
      body: deepText(5000),
    });
    expect(wrongSource.status).toBe(403);
    expect((await rejectedOf(app, token, 'open311', 5000)).length).toBe(before);
  });

  it('any other JSON route refuses a deep body with 400, not 500', async () => {
    const res = await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: deepText(50_000) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('http/too_deep');
  });
});

describe('reportedAt bounds', () => {
  const future = () => new Date(Date.now() + 11 * 60_000).toISOString();
  const past = () => new Date(Date.now() - 31 * 86_400_000).toISOString();

  it('generic events: refused with the reason, kept; within bounds taken', async () => {
    for (const [at, word] of [[future(), 'future'], [past(), 'past']] as const) {
      const res = await ingest(app.url, event(n++, { externalId: `when-${run}-${word}`, reportedAt: at }));
      expect(res.status).toBe(422);
      const body = (await res.json()) as { results: { error: { code: string; message: string } }[] };
      expect(body.results[0]!.error.code).toBe('ingest/reported_at');
      expect(body.results[0]!.error.message).toContain(word);
      const [dead] = await rejectedOf(app, token, 'hotline', 1);
      expect(dead!.reason).toContain('ingest/reported_at');
    }
    const ok = await ingest(app.url, event(n++, { externalId: `when-${run}-ok`, reportedAt: new Date(Date.now() + 5 * 60_000).toISOString() }));
    expect(ok.status).toBe(202);
  });

  it('a refused event is kept masked: no caller name, phone or ID number in the dead letter (generic events and hotline)', async () => {
    const personal = ['13912345678', '510108199001011234', '龚秀英'];
    const res = await ingest(
      app.url,
      event(n++, {
        externalId: `pii-${run}`,
        reportedAt: past(),
        title: '我叫龚秀英，电话13912345678',
        description: '身份证510108199001011234',
        address: '建设路3栋 龚秀英 13912345678',
        reporter: { name: '龚秀英', phone: '13912345678' },
      }),
    );
    expect(res.status).toBe(422);
    const [dead] = await rejectedOf(app, token, 'hotline', 1);
    expect(dead!.reason).toContain('ingest/reported_at');
    expect(dead!.payload).toContain(`pii-${run}`);
    for (const p of personal) expect(dead!.payload).not.toContain(p);

    const refused = await hotline(order({ acceptedAt: past(), callerName: '龚秀英', callerPhone: '13912345678', content: '龚秀英反映身份证510108199001011234丢失' }));
    expect(refused.status).toBe(422);
    const [deadOrder] = await rejectedOf(app, token, 'hotline', 1);
    expect(deadOrder!.reason).toContain('accepted_at');
    for (const p of personal) expect(deadOrder!.payload).not.toContain(p);
  });

  it('hotline acceptedAt: refused with the reason, in ISO and in Beijing local time', async () => {
    for (const acceptedAt of [future(), past(), '2020-01-01 08:00:00']) {
      const res = await hotline(order({ acceptedAt }));
      expect(res.status).toBe(422);
      const body = (await res.json()) as { results: { error: { code: string; message: string } }[] };
      expect(body.results[0]!.error.code).toBe('hotline/accepted_at');
      expect(body.results[0]!.error.message).toMatch(/future|past/);
    }
  });
});

describe('coordinates parsed strictly', () => {
  const BAD = ['0x1A', '', '   ', 'Infinity', '-Infinity', 'NaN', '30.6abc', '1e1', '30,6', '95', '30.6 30.7'];

  it.each(BAD)('Open311 lat %j is refused with a reason and kept', async (lat) => {
    const res = await open311Form({ lat, long: '104.07' });
    expect(res.status).toBe(400);
    const [err] = (await res.json()) as { description: string }[];
    expect(err!.description).toMatch(/lat/);
    const [dead] = await rejectedOf(app, token, 'open311', 1);
    expect(dead!.reason).toMatch(/open311\/400/);
  });

  it('Open311 long out of range and hex are refused; plain decimals pass', async () => {
    expect((await open311Form({ lat: '30.66', long: '181' })).status).toBe(400);
    expect((await open311Form({ lat: '30.66', long: '0x68' })).status).toBe(400);
    expect((await open311Form({ lat: '+30.66', long: '104.07' })).status).toBe(200);
  });

  it.each(['0x1A', '', ' ', 'Infinity', '30.6abc', null, true, 91])('hotline location.lat %j is refused', async (lat) => {
    const res = await hotline(order({ location: { lng: 104.07, lat } }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { results: { error: { code: string; message: string } }[] };
    expect(body.results[0]!.error.message).toMatch(/location\.lat/);
  });

  it('hotline takes a plain decimal string, as some platforms send', async () => {
    expect((await hotline(order({ location: { lng: '104.0712', lat: '30.6601' } }))).status).toBe(202);
  });

  // As JSON text: 1e400 parses to Infinity.
  it.each(['"0x1A"', '""', '" "', '"30.6"', 'null', '1e400', '-200'])('generic events: lng %s is refused', async (lng) => {
    const text = JSON.stringify(event(n++, { externalId: `coord-${run}-${n}` })).replace(/"lng":[^,}]+/, `"lng":${lng}`);
    const res = await fetch(`${app.url}/api/ingest/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY }, body: text });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { results: { error: { message: string } }[] };
    expect(body.results[0]!.error.message).toMatch(/location\.lng/);
  });
});

describe('dead letters cannot fill the disk', () => {
  it('stores at most the hourly cap per connector and counts the rest in GET /api/ingest/rejected', async () => {
    const capped = await startApp({ INGEST_KEYS: KEYS }, undefined, { deadLetterCapPerHour: 5 });
    try {
      const admin = (await login(capped.url)).token;
      const bad = Array.from({ length: 12 }, (_, i) => ({ externalId: `cap-${run}-${i}` }));
      expect((await ingest(capped.url, bad)).status).toBe(422);
      const items = await rejectedOf(capped, admin, 'hotline');
      expect(items).toHaveLength(5);
      const res = await fetch(`${capped.url}/api/ingest/rejected?connector=hotline`, { headers: { Authorization: `Bearer ${admin}` } });
      const body = (await res.json()) as { dropped: { connectorId: string; dropped: number; stored: number }[] };
      expect(body.dropped).toEqual([expect.objectContaining({ connectorId: 'hotline', stored: 5, dropped: 7 })]);
      // Good messages still flow once the cap is reached.
      expect((await ingest(capped.url, event(9000 + n++, { externalId: `cap-ok-${run}` }))).status).toBe(202);
    } finally {
      await capped.stop();
    }
  });

  it('a restart does not reset the hour: what is stored counts against the cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridops-cap-'));
    const pg = process.env.TEST_STORE === 'postgres' ? await createPgSchema(requireEnv('TEST_POSTGRES_URL')) : null;
    const env = { INGEST_KEYS: KEYS, ...(pg ? { DATABASE_URL: pg.url } : {}) };
    const bad = (k: number) => Array.from({ length: 4 }, (_, i) => ({ externalId: `restart-${run}-${k}-${i}` }));
    let node = await startApp(env, dir, { deadLetterCapPerHour: 5 });
    try {
      await ingest(node.url, bad(1));
      await node.close();
      node = await startApp(env, dir, { deadLetterCapPerHour: 5 });
      await ingest(node.url, bad(2));
      const admin = (await login(node.url)).token;
      // Unless the clock hour turned between the two posts, the second node stored only one more.
      const items = await rejectedOf(node, admin, 'hotline');
      const hours = new Set(items.map((r) => r.receivedAt.slice(0, 13)));
      expect(items.length).toBe(hours.size > 1 ? 8 : 5);
    } finally {
      await node.stop();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prunes dead letters older than the retention period', async () => {
    const now = Date.now();
    await app.store.rejects.add('prune-test', 'old', '{}', new Date(now - 31 * 86_400_000));
    await app.store.rejects.add('prune-test', 'recent', '{}', new Date(now - 29 * 86_400_000));
    const removed = await pruneDeadLetters(app.store.rejects, new Date(now), 30);
    expect(removed).toBeGreaterThanOrEqual(1);
    const left = await app.store.rejects.list('prune-test', 10);
    expect(left.map((r) => r.reason)).toEqual(['recent']);
  });
});

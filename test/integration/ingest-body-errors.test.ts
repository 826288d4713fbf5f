/**
 * Bodies the JSON parser refuses on the ingest routes: a GBK export sent as JSON (it was taken, stored as mojibake),
 * a declared GBK charset and a body over the 5 MB limit (both answered with a bare `http/bad_request` and kept
 * nowhere). Each now gets a reason of its own and a dead letter, and good deliveries keep flowing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gbkEncode } from '../fixtures/gbk';
import { event, INGEST_KEY, KIND_KEYS, login, startApp, type Running } from './helpers';

let app: Running;
let admin: string;
beforeAll(async () => {
  app = await startApp({});
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app?.stop();
});

const post = (path: string, body: Buffer | string, type = 'application/json') =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'Content-Type': type, 'X-Api-Key': INGEST_KEY }, body: typeof body === 'string' ? body : new Uint8Array(body) });
const deadLetters = async () => {
  const res = await fetch(`${app.url}/api/ingest/rejected?limit=100`, { headers: { Authorization: `Bearer ${admin}` } });
  return ((await res.json()) as { items: { reason: string; payload: string }[] }).items;
};
const ORDER = { orderNo: 'GD-BODY-1', orderType: '投诉', category: '暴露垃圾', content: '楼道堆物，电话13987654321', location: { lng: 104.1, lat: 30.67 }, coordSystem: 'WGS84', acceptedAt: new Date().toISOString() };

describe('ingest bodies the parser refuses', () => {
  it('refuses a GBK body sent as UTF-8 with a reason and keeps it readable (masked) as a dead letter', async () => {
    for (const [path, body] of [
      ['/api/ingest/events', [event(1, { title: '楼道堆物', description: '居民反映楼道堆物，电话13987654321' })]],
      ['/api/ingest/hotline', ORDER],
    ] as const) {
      const res = await post(path, gbkEncode(JSON.stringify(body)));
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ingest/bad_encoding');
    }
    const kept = (await deadLetters()).filter((d) => d.reason.startsWith('ingest/bad_encoding'));
    expect(kept).toHaveLength(2);
    expect(kept.every((d) => d.payload.includes('楼道堆物') && !d.payload.includes('13987654321'))).toBe(true);
    expect(await app.store.incidents.listByStatus(['reported'], 10)).toHaveLength(0);
  });

  it('refuses a declared GBK charset and a body over the limit with their reasons, as dead letters', async () => {
    const gbk = await post('/api/ingest/hotline', gbkEncode(JSON.stringify(ORDER)), 'application/json; charset=GBK');
    expect(gbk.status).toBe(415);
    expect(((await gbk.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'ingest/bad_encoding', message: expect.stringContaining('gbk') });
    const huge = await post('/api/ingest/events', JSON.stringify([event(2, { description: 'x'.repeat(6_000_000) })]));
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { code: string } }).error.code).toBe('ingest/too_large');
    const reasons = (await deadLetters()).map((d) => d.reason);
    expect(reasons.some((r) => r.startsWith('ingest/bad_encoding: Unsupported charset'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('ingest/too_large'))).toBe(true);

    // The good ones keep flowing, BOM and all.
    const good = await post('/api/ingest/events', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify([event(3)]))]));
    expect(good.status).toBe(202);
    const order = await post("/api/ingest/hotline", JSON.stringify(ORDER));
    expect(order.status, await order.clone().text()).toBe(202);
  });

  it('refuses an Open311 form percent-encoded from GBK instead of storing mojibake, and keeps it', async () => {
    const pct = (b: Buffer) => Array.from(b, (x) => `%${x.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    const form = (description: string) => `api_key=${KIND_KEYS.open311}&service_code=garbage_exposed&lat=30.67&long=104.1&description=${description}`;
    const post311 = (body: string) => fetch(`${app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
    // Before: taken (200) with the description stored as its %XX escapes.
    const gbk = await post311(form(pct(gbkEncode('楼道堆物无人清理'))));
    expect(gbk.status).toBe(400);
    expect(JSON.stringify(await gbk.json())).toContain('not UTF-8');
    expect((await deadLetters()).some((d) => d.reason.includes('not UTF-8'))).toBe(true);
    expect((await post311(form(encodeURIComponent('楼道堆物无人清理')))).status).toBe(200);
  });
});

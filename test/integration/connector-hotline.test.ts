import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcj02ToWgs84 } from '#common/geo/crs';
import type { ClientSocket, Running } from './helpers';
import { login } from './helpers';
import { HOTLINE_KEY, OPEN311_KEY, externalIdCounts, incidentsOf, nextCreated, rejectedOf, runId, shuffle, startConnectorApp, subscribedSocket } from '../fixtures/connectors/helpers';

let app: Running;
let token: string;
let socket: ClientSocket;
const run = runId();

beforeAll(async () => {
  app = await startConnectorApp();
  token = (await login(app.url)).token;
  socket = await subscribedSocket(app, token);
});
afterAll(async () => {
  socket.disconnect();
  await app.stop();
});

/** A 12345 work order as the hotline platform sends it; coordinates from a GCJ-02 map picker. */
function order(n: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderNo: `GD${run}${String(n).padStart(6, '0')}`,
    orderType: '投诉',
    category: '城市管理/市容环卫/垃圾清运不及时',
    title: `小区门口垃圾堆放 ${n}`,
    content: `市民来电反映小区门口垃圾多日未清运，联系电话 13812345678（${n}）`,
    address: '成都市成华区致强社区建设北路 12 号',
    // Every 1,000 orders the clock below wraps and the place moves ~190 m east instead (beyond the merge radius).
    location: { lng: Number((104.1025 + Math.floor(n / 1000) * 0.002).toFixed(6)), lat: 30.6676 },
    coordSystem: 'GCJ02',
    // Spread 31 minutes apart, so no two orders are merged as one happening (merge.ts); within the last 30 days.
    acceptedAt: new Date(Date.now() - ((n % 1000) + 1) * 31 * 60_000).toISOString(),
    deadline: '2026-03-04 17:30:00',
    callerName: '王小明',
    callerPhone: '13812345678',
    ...over,
  };
}

function post(body: unknown, key = HOTLINE_KEY, raw = false): Promise<Response> {
  return fetch(`${app.url}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
    body: raw ? (body as string) : JSON.stringify(body),
  });
}

describe('12345 hotline webhook', () => {
  it('turns a work order into an incident in the database and on a subscribed socket', async () => {
    const pushed = nextCreated(socket, 'hotline');
    // "YYYY-MM-DD HH:mm:ss" in Beijing time, two hours ago (a date further back than 30 days is refused).
    const at = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 1000) * 1000);
    const beijing = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    const res = await post(order(1, { acceptedAt: beijing }));
    expect(res.status).toBe(202);
    const body = (await res.json()) as { accepted: number; results: { orderNo: string; ok: boolean; id: string }[] };
    expect(body.accepted).toBe(1);
    expect(JSON.stringify(body)).not.toContain('13812345678');
    const [change] = await pushed;
    const inc = change!.incident;
    expect(inc.id).toBe(body.results[0]!.id);
    expect(inc).toMatchObject({ source: 'hotline', connectorId: 'hotline', externalId: `GD${run}000001`, category: 'garbage_accumulated', status: 'reported' });
    // The title is ours (category · place); the order's own title and content stay in the description.
    expect(inc.title).toBe(`积存垃圾渣土 · ${app.regions.get(inc.gridId!)!.name}`);
    expect(inc.description).toContain('小区门口垃圾堆放 1');
    expect(inc.description).toContain('诉求类型：投诉');
    expect(inc.description).toContain('办理时限：2026-03-04T17:30:00+08:00');
    expect(inc.reportedAt).toBe(at.toISOString());
    // GCJ-02 → WGS-84 (a few hundred metres in Chengdu).
    const [lng, lat] = gcj02ToWgs84(104.1025, 30.6676);
    expect(inc.location.lng).toBeCloseTo(lng, 6);
    expect(inc.location.lat).toBeCloseTo(lat, 6);
    const stored = await app.store.incidents.get(inc.id);
    expect(stored?.reporter).toEqual({ name: '王小明', phone: '13812345678' });
  });

  it('makes one incident of the same order delivered twice', async () => {
    const first = (await (await post(order(2))).json()) as { results: { id: string; duplicate: boolean }[] };
    const again = await post(order(2));
    expect(again.status).toBe(202);
    const second = (await again.json()) as { results: { id: string; duplicate: boolean }[] };
    expect(second.results[0]).toMatchObject({ id: first.results[0]!.id, duplicate: true });
    expect((await externalIdCounts(app, 'hotline')).get(`GD${run}000002`)).toBe(1);
  });

  it('refuses keys of other sources and bad bodies, keeping the bad ones with a masked phone', async () => {
    expect((await post(order(3), 'not-a-key-at-all-xxxxxxxx')).status).toBe(401);
    expect((await post(order(3), OPEN311_KEY)).status).toBe(403);
    const res = await post([order(4, { category: '外星人入侵' })]);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { results: { ok: boolean; error: { code: string; message: string } }[] };
    expect(body.results[0]!.error.code).toBe('hotline/unknown_category');
    expect((await post('{"orderNo": ', HOTLINE_KEY, true)).status).toBe(400);
    const dead = await rejectedOf(app, token, 'hotline', 10);
    expect(dead.some((d) => d.reason.startsWith('hotline/unknown_category'))).toBe(true);
    expect(dead.some((d) => d.reason.startsWith('hotline/json'))).toBe(true);
    for (const d of dead) expect(d.payload).not.toContain('13812345678');
    expect(dead.find((d) => d.reason.startsWith('hotline/unknown_category'))!.payload).toContain('138****5678');
  });

  it('takes 1,000 good orders mixed with 1,000 malformed messages: each good one once, each bad one kept with a reason', { timeout: 180_000 }, async () => {
    const before = (await incidentsOf(app, 'hotline')).length;
    const rejectedBefore = (await rejectedOf(app, token, 'hotline')).length;
    const bad: unknown[] = [
      (n: number) => order(n, { orderNo: undefined }),
      (n: number) => order(n, { orderType: '表扬' }),
      (n: number) => order(n, { category: `不存在的分类${n}` }),
      (n: number) => order(n, { location: undefined, address: undefined }),
      (n: number) => order(n, { location: { lng: 'x', lat: 30 } }),
      (n: number) => order(n, { location: { lng: 104.1, lat: 91 } }),
      (n: number) => order(n, { coordSystem: 'EPSG:3857' }),
      (n: number) => order(n, { deadline: '下周三' }),
      (n: number) => order(n, { content: '' }),
      () => 42,
      () => null,
      () => 'order',
    ].flatMap((make, k) => Array.from({ length: 80 }, (_, j) => (make as (n: number) => unknown)(100_000 + k * 100 + j))).slice(0, 950);
    const good = Array.from({ length: 1000 }, (_, i) => order(10_000 + i, { category: i % 2 ? '暴露垃圾' : 'illegal_parking' }));
    const mixed = shuffle([...good, ...bad], 7);
    const batches: unknown[][] = [];
    for (let i = 0; i < mixed.length; i += 130) batches.push(mixed.slice(i, i + 130));
    const responses = await Promise.all([
      ...batches.map((b) => post(b)),
      // 50 deliveries that are not even JSON.
      ...Array.from({ length: 50 }, (_, i) => post(`{"orderNo":"GD-broken-${i}","callerPhone":"13812345678"`, HOTLINE_KEY, true)),
    ]);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(batches.length);
    expect(responses.filter((r) => r.status === 400)).toHaveLength(50);

    expect((await incidentsOf(app, 'hotline')).length - before).toBe(1000);
    const counts = await externalIdCounts(app, 'hotline');
    for (const g of good) expect(counts.get(g.orderNo as string)).toBe(1);
    const dead = await rejectedOf(app, token, 'hotline');
    expect(dead.length - rejectedBefore).toBe(1000);
    for (const d of dead) {
      expect(d.reason.length).toBeGreaterThan(10);
      expect(d.payload).not.toContain('13812345678');
    }
    // Delivering the whole good set again changes nothing.
    const again = await post(good.slice(0, 500));
    expect(((await again.json()) as { results: { duplicate: boolean }[] }).results.every((r) => r.duplicate)).toBe(true);
    expect((await incidentsOf(app, 'hotline')).length - before).toBe(1000);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    const hotline = ((await health.json()) as { sources: { id: string; errors: number }[] }).sources.find((s) => s.id === 'hotline');
    expect(hotline?.errors).toBeGreaterThanOrEqual(1000);
  });

  it('lists dead letters to admins only', async () => {
    const res = await fetch(`${app.url}/api/ingest/rejected?connector=hotline&limit=3`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { items: unknown[] }).items).toHaveLength(3);
    expect((await fetch(`${app.url}/api/ingest/rejected`)).status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail } from '#common/incidents/detail';
import type { ParkedList, PlaceResult } from '#common/ingest/parked';
import { ingest, login, type ClientSocket, type Running } from './helpers';
import { HOTLINE_KEY, OPEN311_KEY, nextCreated, runId, startConnectorApp, subscribedSocket } from '../fixtures/connectors/helpers';

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

const api = async <T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> => {
  const res = await fetch(`${app.url}/api${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
  });
  return { status: res.status, body: (await res.json()) as T };
};

const open311 = (fields: Record<string, string>) =>
  fetch(`${app.url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ api_key: OPEN311_KEY, service_code: 'manhole_cover', ...fields }).toString(),
  });

const hotline = (order: Record<string, unknown>) =>
  fetch(`${app.url}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY },
    body: JSON.stringify(order),
  });

describe('reports with an address and no coordinates', () => {
  it('Open311 with address_string only: located by the gazetteer, pushed, and the match is in its history', async () => {
    const pushed = nextCreated(socket, 'open311');
    const res = await open311({ address_string: '成华区双林社区双林安置小区3栋2单元501室', description: `井盖缺失 ${run}` });
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as { service_request_id: string }[];
    expect(created!.service_request_id).toMatch(/^INC-/);
    const [change] = await pushed;
    expect(change!.incident.id).toBe(created!.service_request_id);
    expect(change!.incident.gridId).not.toBeNull();
    const detail = await api<IncidentDetail>(`/incidents/${created!.service_request_id}`);
    const entry = detail.body.history.find((h) => h.action === 'locate');
    expect(entry).toMatchObject({ actorId: 'system', locate: { method: 'exact', score: 1, matched: '双林安置小区3栋' } });
  });

  it('an event with neither location nor address is refused with a reason naming the location', async () => {
    const res = await ingest(app.url, { externalId: `none-${run}`, source: 'hotline', category: 'garbage_exposed', title: '无地址' }, HOTLINE_KEY);
    const body = (await res.json()) as { results: { ok: boolean; error?: { code: string; message: string } }[] };
    expect(body.results[0]).toMatchObject({ ok: false, error: { code: 'ingest/invalid' } });
    expect(body.results[0]!.error!.message).toMatch(/location/);
  });

  it('an unknown address is parked, listed, placed by a dispatcher on the map, and then flows like any report', async () => {
    const order = { orderNo: `GD-${run}`, orderType: '求决', category: '城市管理/市容环卫/垃圾清运不及时', content: `路边垃圾无人清运，来电人李四 13912345678`, address: `火星基地${run}号`, callerName: '李四', callerPhone: '13912345678' };
    const res = await hotline(order);
    expect(res.status).toBe(202);
    const first = (await res.json()) as { accepted: number; results: { id: string; parked?: boolean; duplicate: boolean }[] };
    expect(first.accepted).toBe(1);
    expect(first.results[0]).toMatchObject({ parked: true, duplicate: false });
    const parkedId = first.results[0]!.id;
    expect(parkedId).toMatch(/^PRK-\d+$/);

    // Delivered again: the same parked report, not a second one.
    const again = (await (await hotline(order)).json()) as { results: { id: string; duplicate: boolean }[] };
    expect(again.results[0]).toMatchObject({ id: parkedId, duplicate: true });

    const list = await api<ParkedList>('/parked');
    expect(list.status).toBe(200);
    const item = list.body.items.find((p) => p.id === parkedId);
    expect(item).toMatchObject({ connectorId: 'hotline', externalId: `GD-${run}`, address: `火星基地${run}号`, reporter: { name: '李四', phone: '13912345678' } });
    expect(list.body.total).toBeGreaterThanOrEqual(1);

    expect((await api(`/parked/${parkedId}/place`, { method: 'POST', body: JSON.stringify({ lng: 'x' }) })).status).toBe(400);
    const pushed = nextCreated(socket, 'hotline');
    const placed = await api<PlaceResult>(`/parked/${parkedId}/place`, { method: 'POST', body: JSON.stringify({ lng: 104.1, lat: 30.67 }) });
    expect(placed.status).toBe(200);
    const [change] = await pushed;
    expect(change!.incident).toMatchObject({ id: placed.body.incidentId, externalId: `GD-${run}`, location: { lng: 104.1, lat: 30.67 } });
    expect(change!.incident.gridId).not.toBeNull();

    const detail = await api<IncidentDetail>(`/incidents/${placed.body.incidentId}`);
    const user = (await login(app.url)).user;
    expect(detail.body.history.find((h) => h.action === 'locate')).toMatchObject({ actorId: user.id, locate: { method: 'map', parkedId } });

    expect((await api<ParkedList>('/parked')).body.items.some((p) => p.id === parkedId)).toBe(false);
    const twice = await api<{ error: { code: string } }>(`/parked/${parkedId}/place`, { method: 'POST', body: JSON.stringify({ lng: 104.1, lat: 30.67 }) });
    expect(twice).toMatchObject({ status: 409, body: { error: { code: 'parked/placed' } } });
    // The upstream delivering it once more gets the incident it became.
    const late = (await (await hotline(order)).json()) as { results: { id: string; duplicate: boolean }[] };
    expect(late.results[0]).toMatchObject({ id: placed.body.incidentId, duplicate: true });
  });

  it('an unknown parked id is 404', async () => {
    const res = await api<{ error: { code: string } }>('/parked/PRK-999999999/place', { method: 'POST', body: JSON.stringify({ lng: 104.1, lat: 30.67 }) });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'parked/not_found' } } });
  });
});

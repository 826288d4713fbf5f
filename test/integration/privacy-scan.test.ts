/**
 * Citizen reports carrying phone numbers, ID numbers, names and flat numbers in every text field of every
 * connector (and in merged second reports): a wall sees none of it anywhere (snapshot, pushes, sync:since, REST),
 * a masked audience (leader) sees no unmasked phone, ID or name (CSV included), the public Open311 list none either,
 * and every reporter of a merged case is kept for the call-back (回访).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentReport } from '#common/incidents/types';
import { HOTLINE_KEY, OPEN311_KEY, startConnectorApp } from '../fixtures/connectors/helpers';
import { connected, INGEST_KEY, login, socketFor, type ClientSocket, type Running } from './helpers';

const PHONE = '13987654321';
const PHONE_SPACED = '139 8765 4321';
const ID = '51010819800101123X';
const NAME = '欧阳建华';
const NAME2 = '司马光明';
const FLAT = '3栋2单元501';
/** What must never reach a wall, in any form the masking could leave it. */
const SECRETS = [PHONE, PHONE_SPACED, '8765', ID, '19800101', NAME, NAME2, '欧**华', FLAT, '单元501'];
/** What a masked audience must never see whole. */
const MASKED_SECRETS = [PHONE, PHONE_SPACED, ID, NAME, NAME2];

let app: Running;
let admin: string;
const sockets: ClientSocket[] = [];
const text = (n: number) => `我叫${NAME}，电话${PHONE}（或 ${PHONE_SPACED}），身份证${ID}，住${FLAT}，楼道堆物 ${n}`;

beforeAll(async () => {
  app = await startConnectorApp({ SIMULATOR: 'off' });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

async function userToken(role: 'wall' | 'leader'): Promise<string> {
  if (role === 'wall') {
    const res = await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' });
    return ((await res.json()) as { token: string }).token;
  }
  const username = `leader-${randomUUID().slice(0, 8)}`;
  const created = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, displayName: '领导', password: 'leader-password-1', role, regionId: app.regions.root.id }),
  });
  expect(created.status).toBe(201);
  return (await login(app.url, username, 'leader-password-1')).token;
}

/** Everything a socket receives, as one string. */
function record(socket: ClientSocket): () => string {
  const seen: unknown[] = [];
  socket.onAny((name: string, payload: unknown) => seen.push(name, payload));
  return () => JSON.stringify(seen);
}

async function reportEverywhere(n: number): Promise<void> {
  const where = { lng: 104.1 + n * 0.01, lat: 30.67 };
  const generic = {
    externalId: `priv-${n}`, source: 'hotline', category: 'safety_hazard', title: text(n), description: text(n),
    location: where, address: `${FLAT} ${NAME} ${PHONE}`, reporter: { name: NAME, phone: PHONE },
  };
  const second = { ...generic, externalId: `priv-${n}-b`, title: `${NAME2}先生反映`, description: `联系人：${NAME2} ${ID}`, reporter: { name: NAME2, phone: PHONE } };
  const res = await fetch(`${app.url}/api/ingest/events`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY }, body: JSON.stringify([generic, second]),
  });
  expect(res.status).toBe(202);
  const hotline = await fetch(`${app.url}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY },
    body: JSON.stringify({
      orderNo: `PRIV${n}`, orderType: '求决', category: '城市管理/市容环卫/垃圾清运不及时', title: text(n), content: text(n),
      address: `${FLAT}，${NAME}家`, location: { lng: where.lng + 0.003, lat: where.lat + 0.003 }, coordSystem: 'WGS84',
      acceptedAt: new Date().toISOString(), callerName: NAME, callerPhone: PHONE,
    }),
  });
  expect(hotline.status).toBeLessThan(300);
  const form = new URLSearchParams({
    api_key: OPEN311_KEY, service_code: 'manhole_cover', lat: String(where.lat - 0.004), long: String(where.lng - 0.004),
    address_string: `${FLAT} ${PHONE}`, first_name: '建华', last_name: '欧阳', phone: PHONE, description: text(n),
  });
  const open311 = await fetch(`${app.url}/open311/v2/requests.json`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(),
  });
  expect(open311.status).toBe(200);
}

describe('citizen text and reporters per audience', () => {
  it('shows a wall none of it, a leader none of it unmasked, the public none of it, and keeps every reporter', async () => {
    const wall = await userToken('wall');
    const leader = await userToken('leader');
    const wallSocket = socketFor(app.url, wall);
    const leaderSocket = socketFor(app.url, leader);
    sockets.push(wallSocket, leaderSocket);
    await Promise.all([connected(wallSocket), connected(leaderSocket)]);
    const wallSeen = record(wallSocket);
    const leaderSeen = record(leaderSocket);
    expect((await wallSocket.emitWithAck('scope:subscribe', {})).ok).toBe(true);
    expect((await leaderSocket.emitWithAck('scope:subscribe', {})).ok).toBe(true);

    for (let n = 0; n < 3; n++) await reportEverywhere(n);
    await new Promise((r) => setTimeout(r, 400));

    // The store holds the words (dispatchers call back), so the scan below is meaningful.
    const all = (await app.store.incidents.list({ regionId: app.regions.root.id }, { limit: 100 })).items;
    expect(JSON.stringify(all)).toContain(PHONE);
    const merged = all.find((i) => i.reportCount >= 2 && i.connectorId !== 'open311')!;
    expect(merged).toBeDefined();

    const wallReplies: unknown[] = [];
    wallReplies.push(await wallSocket.emitWithAck('scope:subscribe', {}));
    wallReplies.push(await wallSocket.emitWithAck('sync:since', { seq: 0 }));
    const get = async (path: string, token: string) => {
      const res = await fetch(`${app.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.text() };
    };
    for (const path of ['/api/incidents?limit=100', `/api/incidents/${merged.id}`, '/api/incidents.csv', '/api/regions']) {
      wallReplies.push(await get(path, wall));
    }
    const wallText = wallSeen() + JSON.stringify(wallReplies);
    expect(wallText).toContain(merged.id);
    for (const s of SECRETS) { const at = wallText.indexOf(s); expect(at === -1 ? "" : wallText.slice(Math.max(0, at - 200), at + 50), s).toBe(""); }

    const leaderReplies = [
      await leaderSocket.emitWithAck('sync:since', { seq: 0 }),
      await get('/api/incidents?limit=100', leader),
      await get(`/api/incidents/${merged.id}`, leader),
      await get('/api/incidents.csv', leader),
    ];
    const leaderText = leaderSeen() + JSON.stringify(leaderReplies);
    expect(leaderText).toContain('139****4321');
    for (const s of MASKED_SECRETS) expect(leaderText, s).not.toContain(s);

    const publicList = await fetch(`${app.url}/open311/v2/requests.json`);
    const publicText = await publicList.text();
    expect(publicText).toContain('manhole_cover');
    for (const s of [...MASKED_SECRETS, '单元501']) expect(publicText, s).not.toContain(s);
    const published = JSON.parse(publicText) as { service_request_id: string; lat: number; long: number }[];
    for (const p of published) {
      expect(Math.round(p.lat * 1000) / 1000).toBe(p.lat);
      expect(Math.round(p.long * 1000) / 1000).toBe(p.long);
    }
    // Never a hotline work order or an ingest-API case in the public list.
    const sources = new Map(all.map((i) => [i.id, i.connectorId]));
    for (const p of published) expect(sources.get(p.service_request_id) ?? 'open311').toBe('open311');

    // Both reporters of the merged case are kept: in full for a dispatcher-level reader, masked for a leader.
    const full = JSON.parse((await get(`/api/incidents/${merged.id}`, admin)).body) as { incident: Incident; reports: IncidentReport[] };
    const reporters = full.reports.map((r) => r.reporter?.name);
    expect(reporters).toEqual(expect.arrayContaining([NAME, NAME2]));
    expect(full.reports.map((r) => r.description).join()).toContain(ID);
    const masked = JSON.parse((await get(`/api/incidents/${merged.id}`, leader)).body) as { reports: IncidentReport[] };
    expect(masked.reports.map((r) => r.reporter?.name)).toEqual(expect.arrayContaining(['欧**华', '司**明']));
  });

  it('publishes only Open311 requests of public categories, sensitive ones not even by id with text', async () => {
    const form = (code: string) =>
      new URLSearchParams({ api_key: OPEN311_KEY, service_code: code, lat: '30.6601', long: '104.0501', description: `需要帮助 ${PHONE}` }).toString();
    const post = async (code: string) => {
      const res = await fetch(`${app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form(code) });
      return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
    };
    const care = await post('elderly_care');
    const list = (await (await fetch(`${app.url}/open311/v2/requests.json`)).json()) as { service_request_id: string }[];
    expect(list.map((r) => r.service_request_id)).not.toContain(care);
    const one = (await (await fetch(`${app.url}/open311/v2/requests/${care}.json`)).json()) as { description: string | null; lat: number | null }[];
    expect(one[0]).toMatchObject({ description: null, lat: null });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categoryByCode } from '#common/incidents/categories';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentReport } from '#common/incidents/types';
import { connected, ingest, login, socketFor, type ClientSocket, type Running } from './helpers';
import { HOTLINE_KEY, OPEN311_KEY, runId, startConnectorApp } from '../fixtures/connectors/helpers';

/**
 * Citizen reports carrying phones, ID numbers, names and flat numbers in every text field of every connector
 * (and in merged second reports and staff notes); then everything a wall, a masked audience (leader, worker)
 * and the public Open311 list receive is scanned for them.
 */

let app: Running;
let admin: string;
let leader: string;
let worker: string;
let wall: string;
const run = runId();
const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

/** Personal data written by citizens, as they write it. */
const PHONES: string[] = ['13712340001', '137 1234 0002', '+86 137-1234-0003', '１３７１２３４０００４', '13712340005', '13712340006', '13712340007', '13712340008', '13712340009'];
const IDS = ['51010419850312461X', '510104198503124628', '510104850312462'];
const NAMES = ['蒋大卫', '韩梅梅', '钱多多', '林小雨', '宋佳怡', '黎明辉', '丁晓峰'];
const FLATS = ['9栋3单元1702', '12栋1单元302', '5栋2单元801'];

/** Text with full-width digits made ASCII and separators removed, so a split or full-width number is still found. */
const compact = (s: string) => s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s\-+]/g, '');
const NUMBERS = [...PHONES, ...IDS].map(compact);

/** Every fragment of personal data found in `text`. */
function leaks(text: string, opts: { flats: boolean; names?: boolean }): string[] {
  const flat = compact(text);
  const found = NUMBERS.filter((n) => flat.includes(n));
  if (opts.names !== false) found.push(...NAMES.filter((n) => text.includes(n)), ...['李女士', '张先生', '王阿姨'].filter((n) => text.includes(n)));
  if (opts.flats) found.push(...FLATS.filter((f) => text.includes(f)), ...['1702', '单元302', '单元801'].filter((f) => text.includes(f)));
  return found;
}

async function userToken(username: string, role: string, regionId: string): Promise<string> {
  const res = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: auth(admin),
    body: JSON.stringify({ username, displayName: username, password: `${username}-password`, role, regionId }),
  });
  expect(res.status).toBe(201);
  return (await login(app.url, username, `${username}-password`)).token;
}

/** A socket subscribed to its user's scope that keeps every message it receives, as JSON. */
async function recorder(token: string): Promise<{ socket: ClientSocket; seen: string[] }> {
  const socket = socketFor(app.url, token);
  const seen: string[] = [];
  socket.onAny((event: string, payload: unknown) => seen.push(`${event} ${JSON.stringify(payload)}`));
  await connected(socket);
  const reply = await socket.emitWithAck('scope:subscribe', {});
  expect(reply.ok).toBe(true);
  return { socket, seen };
}

let gridId: string;
const ids: Record<string, string> = {};
let wallRec: { socket: ClientSocket; seen: string[] };
let leaderRec: { socket: ClientSocket; seen: string[] };
let workerRec: { socket: ClientSocket; seen: string[] };

const form = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');

async function open311(fields: Record<string, string>): Promise<string> {
  const res = await fetch(`${app.url}/open311/v2/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: form({ api_key: OPEN311_KEY, ...fields }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
}

beforeAll(async () => {
  app = await startConnectorApp();
  admin = (await login(app.url)).token;
  gridId = app.regions.grids.locate(104.1, 30.67)!;
  leader = await userToken(`leader-${run}`, 'leader', app.regions.root.id);
  worker = await userToken(`worker-${run}`, 'worker', gridId);
  wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
  [wallRec, leaderRec, workerRec] = await Promise.all([recorder(wall), recorder(leader), recorder(worker)]);
  const now = Date.now();

  // The generic ingest API: every text field and the reporter.
  const generic = await ingest(app.url, {
    externalId: `gen-${run}`,
    source: 'hotline',
    category: 'garbage_exposed',
    title: `我叫蒋大卫，电话${PHONES[0]}，${FLATS[0]}门口垃圾`,
    description: `身份证${IDS[0]}，手机${PHONES[1]}，李女士也看到了`,
    address: `建设北路${FLATS[0]}，联系人韩梅梅`,
    location: { lng: 104.1, lat: 30.67 },
    reportedAt: new Date(now - 5 * 60_000).toISOString(),
    reporter: { name: '韩梅梅', phone: PHONES[0] },
  });
  ids.generic = ((await generic.json()) as { results: { id: string }[] }).results[0]!.id;

  // A second report of the same happening, merged into the first: its own reporter and text.
  const merged = await ingest(app.url, {
    externalId: `gen2-${run}`,
    source: 'hotline',
    category: 'garbage_exposed',
    title: `本人钱多多，${PHONES[2]}`,
    description: `张先生家门口也有，户主林小雨 ${IDS[1]}`,
    address: `${FLATS[1]}`,
    location: { lng: 104.1003, lat: 30.6701 },
    reportedAt: new Date(now - 2 * 60_000).toISOString(),
    reporter: { name: '钱多多', phone: PHONES[2] },
  });
  const mergedResult = ((await merged.json()) as { results: { id: string; merged: boolean }[] }).results[0]!;
  expect(mergedResult).toMatchObject({ id: ids.generic, merged: true });

  // A 12345 work order.
  const hotline = await fetch(`${app.url}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY },
    body: JSON.stringify({
      orderNo: `GD${run}`,
      orderType: '投诉',
      category: '城市管理/市容环卫/垃圾清运不及时',
      title: `来电人宋佳怡反映${FLATS[2]}楼道堆物 ${PHONES[3]}`,
      content: `王阿姨说已经一周了，证件号${IDS[2]}，回电${PHONES[4]}`,
      address: `致强社区${FLATS[2]}`,
      location: { lng: 104.106, lat: 30.6676 },
      coordSystem: 'WGS84',
      acceptedAt: new Date(now - 60_000).toISOString(),
      callerName: '宋佳怡',
      callerPhone: PHONES[3],
    }),
  });
  expect(hotline.status).toBe(202);
  ids.hotline = ((await hotline.json()) as { results: { id: string }[] }).results[0]!.id;

  // Open311: a public category and a sensitive one (elderly care).
  ids.open311 = await open311({
    service_code: 'manhole_cover',
    lat: '30.67312345',
    long: '104.09612345',
    address_string: `${FLATS[0]}旁，姓名：黎明辉`,
    description: `井盖缺失，我叫黎明辉，电话${PHONES[5]}，身份证${IDS[0]}`,
    first_name: '明辉',
    last_name: '黎',
    phone: PHONES[5]!,
  });
  ids.open311Care = await open311({
    service_code: 'elderly_care',
    lat: '30.6745',
    long: '104.0935',
    address_string: `${FLATS[1]}`,
    description: `独居老人丁晓峰需要上门服务 ${PHONES[6]}`,
    first_name: '晓峰',
    last_name: '丁',
    phone: PHONES[6]!,
  });

  // A staff note quoting a caller.
  const current = (await (await fetch(`${app.url}/api/incidents/${ids.generic}`, { headers: auth(admin) })).json()) as { incident: { version: number } };
  const note = await fetch(`${app.url}/api/incidents/${ids.generic}/actions`, {
    method: 'POST',
    headers: auth(admin),
    body: JSON.stringify({ action: 'verify', version: current.incident.version, note: `已回电蒋大卫 ${PHONES[7]}，核实${FLATS[0]}，身份证${IDS[1]}` }),
  });
  expect(note.status).toBe(200);
  // Let the pushes of all of the above arrive.
  await new Promise((r) => setTimeout(r, 600));
});

afterAll(async () => {
  for (const r of [wallRec, leaderRec, workerRec]) r?.socket.disconnect();
  await app.stop();
});

async function text(path: string, token: string | null): Promise<{ status: number; body: string }> {
  const res = await fetch(`${app.url}${path}`, { headers: token ? auth(token) : {} });
  return { status: res.status, body: await res.text() };
}

describe('citizen text and personal data by audience', () => {
  it('titles are category and place, and the citizen words stay in full view for dispatchers', async () => {
    const one = JSON.parse((await text(`/api/incidents/${ids.generic}`, admin)).body) as { incident: Incident; reports: IncidentReport[] };
    expect(one.incident.title).toBe(`${categoryByCode('garbage_exposed')!.nameZh} · ${app.regions.get(gridId)!.name}`);
    expect(one.incident.description).toContain('我叫蒋大卫');
    expect(one.incident.description).toContain(IDS[0]);
    expect(one.incident.address).toContain(FLATS[0]);
    expect(one.reports[1]).toMatchObject({ reporter: { name: '钱多多', phone: PHONES[2] }, address: FLATS[1] });
    expect(one.reports[1]!.description).toContain(IDS[1]);
  });

  it('a wall receives none of it: snapshot, pushes, sync:since and every REST route it can call', async () => {
    const seen = [...wallRec.seen];
    const sync = await wallRec.socket.emitWithAck('sync:since', { seq: 0 });
    expect(sync.ok).toBe(true);
    seen.push(JSON.stringify(sync));
    const snap = await wallRec.socket.emitWithAck('scope:subscribe', {});
    seen.push(JSON.stringify(snap));
    expect(seen.join('\n')).toContain(ids.generic); // the wall does see the incidents, only not their text
    for (const path of [
      '/api/incidents?limit=500',
      ...Object.values(ids).map((id) => `/api/incidents/${id}`),
      `/api/geo/grids/${gridId}`,
      `/api/population?regionId=${app.regions.root.id}`,
      `/api/geo/locate?lng=104.1&lat=30.67`,
    ]) {
      const r = await text(path, wall);
      seen.push(r.body);
    }
    const csv = await text('/api/incidents.csv', wall);
    expect(csv.status).toBe(403);
    seen.push(csv.body);
    expect(leaks(seen.join('\n'), { flats: true })).toEqual([]);
    const detail = JSON.parse((await text(`/api/incidents/${ids.generic}`, wall)).body) as { incident: Incident; history: unknown[]; reports: unknown[] };
    expect(detail).toMatchObject({ history: [], reports: [], incident: { description: '', address: null } });
    expect(detail.incident.reporter).toBeUndefined();
  });

  for (const who of ['leader', 'worker'] as const) {
    it(`a ${who} gets phones, ID numbers and names masked everywhere`, async () => {
      const token = who === 'leader' ? leader : worker;
      const rec = who === 'leader' ? leaderRec : workerRec;
      const seen = [...rec.seen];
      const sync = await rec.socket.emitWithAck('sync:since', { seq: 0 });
      seen.push(JSON.stringify(sync));
      seen.push(JSON.stringify(await rec.socket.emitWithAck('scope:subscribe', {})));
      seen.push((await text('/api/incidents?limit=500', token)).body);
      for (const id of Object.values(ids)) seen.push((await text(`/api/incidents/${id}`, token)).body);
      if (who === 'leader') {
        const csv = await text('/api/incidents.csv', token);
        expect(csv.status).toBe(200);
        expect(csv.body).toContain(ids.hotline);
        seen.push(csv.body);
      }
      const all = seen.join('\n');
      expect(all).toContain(ids.generic);
      expect(leaks(all, { flats: false })).toEqual([]);
      // Masked, not dropped: the history note and the merged report are there, with their numbers masked.
      const one = JSON.parse((await text(`/api/incidents/${ids.generic}`, token)).body) as { history: HistoryEntry[]; reports: IncidentReport[] };
      expect(one.history[0]!.note).toContain('137****0008');
      expect(one.reports[1]!.reporter).toMatchObject({ name: '钱*多' });
      expect(one.reports[1]!.reporter!.phone).toContain('137****0003');
      expect(one.reports[1]!.description).toContain('510***********4628');
    });
  }

  it('the public Open311 list publishes only Open311 requests of public categories, masked and rounded', async () => {
    const list = await text('/open311/v2/requests.json', null);
    expect(list.status).toBe(200);
    const items = JSON.parse(list.body) as { service_request_id: string; service_code: string; lat: number; long: number; address: string; description: string }[];
    const listed = items.map((i) => i.service_request_id);
    expect(listed).toContain(ids.open311);
    expect(listed).not.toContain(ids.open311Care);
    expect(listed).not.toContain(ids.generic);
    expect(listed).not.toContain(ids.hotline);
    const mine = items.find((i) => i.service_request_id === ids.open311)!;
    expect(mine).toMatchObject({ lat: 30.673, long: 104.096 });
    expect(mine.description).toContain('井盖缺失');
    const byId = await Promise.all(Object.values(ids).map((id) => text(`/open311/v2/requests/${id}.json`, null)));
    expect(byId.map((r) => r.status)).toEqual([404, 404, 200, 200]);
    const xml = await text('/open311/v2/requests.xml', null);
    expect(leaks([list.body, xml.body, ...byId.map((r) => r.body)].join('\n'), { flats: true })).toEqual([]);
  });
});

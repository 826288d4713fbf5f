import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentReport } from '#common/incidents/types';
import { ingest, login, startApp, type Running } from './helpers';

/** No reporter is lost in a merge: each report keeps its own reporter, text, address and channel. */

let app: Running;
let admin: string;
let leader: string;
let wall: string;
const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  const created = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: auth(admin),
    body: JSON.stringify({ username: 'rep-leader', displayName: '街道领导', password: 'leader-password-1', role: 'leader', regionId: app.regions.root.id }),
  });
  expect(created.status).toBe(201);
  leader = (await login(app.url, 'rep-leader', 'leader-password-1')).token;
  wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
});
afterAll(async () => {
  await app.stop();
});

type Detail = { incident: Incident; reports: IncidentReport[] };
const detail = async (id: string, token: string): Promise<Detail> =>
  (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth(token) })).json()) as Detail;

describe('merged reports keep their reporters', () => {
  it('keeps each report’s reporter, description, address and channel, projected per audience', async () => {
    const at = Date.now();
    const base = { category: 'waterlogging', location: { lng: 104.1012, lat: 30.6712 } };
    // Three reports of one happening: a sensor, a caller, a patrol.
    const first = await ingest(app.url, {
      ...base, externalId: 'rep-iot-1', source: 'iot', title: '积水传感器报警', description: '水位 32 cm',
      reportedAt: new Date(at - 6 * 60_000).toISOString(),
    });
    const id = ((await first.json()) as { results: { id: string }[] }).results[0]!.id;
    const send = async (item: object) => ((await (await ingest(app.url, item)).json()) as { results: { id: string; merged: boolean }[] }).results[0]!;
    const results = [
      await send({
        ...base, externalId: 'rep-hl-1', source: 'hotline', title: '小区门口积水', description: '9栋门口积水到膝盖',
        address: '建设北路 9 号', reporter: { name: '刘德明', phone: '13900001111' },
        location: { lng: 104.1013, lat: 30.6713 }, reportedAt: new Date(at - 3 * 60_000).toISOString(),
      }),
      // The patrol's report comes with the patrol app's own key.
      await send({
        ...base, externalId: 'rep-hl-2', source: 'patrol', title: '路口积水', description: '路口积水，车辆无法通行',
        address: '建设北路路口', reporter: { name: '陈小红', phone: '13900002222' },
        location: { lng: 104.1011, lat: 30.6711 }, reportedAt: new Date(at - 60_000).toISOString(),
      }),
    ];
    expect(results).toEqual([expect.objectContaining({ id, merged: true }), expect.objectContaining({ id, merged: true })]);

    const full = await detail(id, admin);
    expect(full.incident.reportCount).toBe(3);
    expect(full.reports.map((r) => [r.source, r.externalId, r.reporter ?? null, r.address ?? null])).toEqual([
      ['iot', 'rep-iot-1', null, null],
      ['hotline', 'rep-hl-1', { name: '刘德明', phone: '13900001111' }, '建设北路 9 号'],
      ['patrol', 'rep-hl-2', { name: '陈小红', phone: '13900002222' }, '建设北路路口'],
    ]);
    expect(full.reports.map((r) => r.description)).toEqual(['积水传感器报警\n水位 32 cm', '小区门口积水\n9栋门口积水到膝盖', '路口积水，车辆无法通行']);

    // The same from the store directly, so both stores keep it (not only the route).
    const stored = await app.store.incidents.reports(id);
    expect(stored.map((r) => r.reporter?.phone ?? null)).toEqual([null, '13900001111', '13900002222']);

    const masked = await detail(id, leader);
    expect(masked.reports.map((r) => r.reporter ?? null)).toEqual([
      null,
      { name: '刘*明', phone: '139****1111' },
      { name: '陈*红', phone: '139****2222' },
    ]);
    expect(JSON.stringify(masked)).not.toMatch(/13900001111|13900002222|刘德明|陈小红/);

    const onWall = await detail(id, wall);
    expect(onWall.reports).toEqual([]);
    expect(JSON.stringify(onWall)).not.toMatch(/1390000|刘德明|陈小红|建设北路|积水到膝盖/);
  });
});

/**
 * Staff-written free text can carry a resident's name, phone and ID as much as a citizen's can: a grid worker's
 * check-in note ("回访欧阳建华，电话…") and an activity's title, venue and description ("联系人…"). Leaders (a masked
 * audience) get them masked, walls get no description and masked titles, admins and dispatchers get them whole.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RosterWorker } from '#common/geo/types';
import { createTokenService } from '#server/auth/tokens';
import { BUNDLED_GEO_DIR } from '#server/geo/dataset';
import { ADMIN_PASSWORD, login, startApp, type Running } from './helpers';

const NAME = '张建华';
const NOTE = `回访独居老人，联系人${NAME}，电话+86 139  8765  4321，身份证510108 19800101 123X`;
/** Fragments a masked audience must not receive. */
const SECRETS = [NAME, '8765', '19800101'];

let app: Running;
let admin: string;
const json = (t: string) => ({ Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' });
const post = (path: string, t: string, body: unknown) => fetch(`${app.url}/api${path}`, { method: 'POST', headers: json(t), body: JSON.stringify(body) });
const text = async (path: string, t: string) => {
  const res = await fetch(`${app.url}/api${path}`, { headers: json(t) });
  expect(res.status).toBe(200);
  return res.text();
};
const leaks = (s: string) => SECRETS.filter((x) => s.includes(x));

async function staff(username: string, role: string): Promise<string> {
  const res = await post('/users', admin, { username, displayName: username, password: ADMIN_PASSWORD, role, regionId: app.regions.root.id });
  expect(res.status).toBe(201);
  return (await login(app.url, username, ADMIN_PASSWORD)).token;
}

beforeAll(async () => {
  app = await startApp({});
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app?.stop();
});

describe('staff-written text with personal data', () => {
  it('masks a check-in note in a worker track for leaders, not for dispatchers', async () => {
    const w = (JSON.parse(readFileSync(join(BUNDLED_GEO_DIR, 'workers.json'), 'utf8')) as { workers: RosterWorker[] }).workers[0]!;
    await app.store.users.create({ id: 'acct-pst', username: 'acct-pst', displayName: w.name, role: 'worker', regionId: w.regionId, workerId: w.id, passwordHash: 'x' });
    const worker = await (await createTokenService(app.store.settings)).sign({ sub: 'acct-pst', role: 'worker', regionId: w.regionId }, '1h');
    expect((await post('/me/checkins', worker, { lng: 104.1, lat: 30.67, note: NOTE })).status).toBe(201);

    const leader = await staff('pst-leader', 'leader');
    const dispatcher = await staff('pst-dispatcher', 'dispatcher');
    const masked = await text(`/workers/${w.id}/track`, leader);
    expect(leaks(masked)).toEqual([]);
    expect(masked).toContain('联系人张*华');
    expect(await text(`/workers/${w.id}/track`, dispatcher)).toContain(NOTE);
  });

  it('masks an activity title, venue and description for leaders and walls (the wall gets no description)', async () => {
    const created = await post('/activities', admin, {
      regionId: app.regions.root.id,
      title: `重阳节慰问 联系人${NAME} 13987654321`,
      venue: { poiId: null, name: `${NAME}先生家楼下` },
      start: new Date(Date.now() + 86_400_000).toISOString(),
      description: NOTE,
    });
    expect(created.status).toBe(201);
    const leader = await staff('pst-leader2', 'leader');
    const wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;

    for (const token of [leader, wall]) {
      expect(leaks(await text('/activities', token))).toEqual([]);
      expect(leaks(await text('/activities.ics', token))).toEqual([]);
    }
    const onWall = JSON.parse(await text('/activities', wall)) as { activities: { title: string; description: string }[] };
    expect(onWall.activities.find((a) => a.title.startsWith('重阳节慰问'))).toMatchObject({ title: '重阳节慰问 联系人张*华 139****4321', description: '' });
    expect(await text('/activities', admin)).toContain(NAME);
  });
});

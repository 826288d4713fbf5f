import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGE_BANDS, SEXES, SPECIAL_GROUPS, type ExactPopulationReply, type PopulationReply } from '#common/population/types';
import { bandColumn } from '#common/population/registry-columns';
import { cstMonth } from '#server/population/seed';
import { collect, connected, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

const COMMUNITY = '510108003002';
const GRID = '510108003002001';
const GRID2 = '510108003002002';
const MONTH = cstMonth(new Date());

let app: Running;
let admin: string;
let wall: string;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app.stop();
});

/** An aggregate-format CSV row: band i of each sex holds `band(i)` residents, all registered. */
function row(gridId: string, month: string, band: (i: number) => number | string, extra: { living_alone?: number } = {}): string {
  const cells = SEXES.flatMap(() => AGE_BANDS.map((_, i) => band(i)));
  const total = cells.reduce<number>((s, c) => s + (typeof c === 'number' ? c : 0), 0);
  return [gridId, month, 40, total, 0, ...cells, extra.living_alone ?? 3, 2].join(',');
}
const HEADER = ['grid_id', '月份', '户数', '户籍人口', '流动人口', ...SEXES.flatMap((s) => AGE_BANDS.map((b) => bandColumn(s, b))), '独居老人', '高龄老人'].join(',');

async function upload(csv: string, token = admin, type = 'text/csv; charset=utf-8'): Promise<Response> {
  return fetch(`${app.url}/api/population/import`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: csv });
}
async function get<T>(path: string, token: string): Promise<T> {
  const res = await fetch(`${app.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}
async function subscribed(token: string, regionId: string): Promise<ClientSocket> {
  const s = socketFor(app.url, token);
  sockets.push(s);
  await connected(s);
  const ack = await s.emitWithAck('scope:subscribe', { regionId });
  if (!ack.ok) throw new Error(ack.error.message);
  return s;
}

/** Every key a population reply or grid layer may carry: anything else (a name of a person, an ID…) fails. */
const ALLOWED = new Set<string>([
  'reply', 'suppressed', 'regionId', 'month', 'synthetic', 'aggregate', 'indicators', 'change12m', 'history', 'children', 'grids',
  'residents', 'households', 'registered', 'floating', 'groups', ...SEXES, ...AGE_BANDS, ...SPECIAL_GROUPS,
  'personsPerHousehold', 'share60Plus', 'share65Plus', 'share80Plus', 'oldAgeDependencyRatio', 'agingLevel', 'livingAlonePer1000', 'floatingShare',
  'fromMonth', 'toMonth', 'residentsPct', 'share60PlusPp', 'share65PlusPp', 'share80PlusPp',
  'name', 'nameEn', 'gridId', 'livingAlone',
]);
const COUNT_KEYS = new Set(['residents', 'households', 'registered', 'floating', 'livingAlone', ...AGE_BANDS, ...SPECIAL_GROUPS]);

/** Walks what reached a wall client: only known aggregate keys, and every count 0, ≥ 5 or '<5'. Returns the counts seen. */
function expectWallSafe(json: unknown, path = '$', inCount = false): number {
  let seen = 0;
  if (Array.isArray(json)) json.forEach((v, i) => (seen += expectWallSafe(v, `${path}[${i}]`, inCount)));
  else if (json && typeof json === 'object') {
    for (const [k, v] of Object.entries(json)) {
      if (!/^\d+$/.test(k)) expect(ALLOWED.has(k), `unexpected field ${path}.${k}`).toBe(true);
      seen += expectWallSafe(v, `${path}.${k}`, COUNT_KEYS.has(k) || (inCount && typeof v === 'object'));
    }
  } else if (inCount) {
    if (typeof json === 'number') expect(json === 0 || json >= 5, `${path} = ${json} is a count under 5`).toBe(true);
    else expect(json, path).toBe('<5');
    seen++;
  }
  return seen;
}

describe('population', () => {
  it('serves the seeded synthetic data: exact to staff, suppressed to the wall', async () => {
    const exact = await get<ExactPopulationReply>(`/api/population?regionId=${COMMUNITY}`, admin);
    expect(exact.suppressed).toBe(false);
    expect(exact.synthetic).toBe(true);
    expect(exact.month).toBe(MONTH);
    expect(exact.history).toHaveLength(24);
    expect(exact.children.map((c) => c.regionId)).toContain(GRID);
    expect(exact.indicators!.share65Plus).toBeGreaterThan(3);
    const district = await get<ExactPopulationReply>('/api/population', admin);
    expect(district.regionId).toBe(app.regions.root.id);
    expect(district.indicators!.share65Plus).toBeGreaterThan(10);
    expect(district.indicators!.share65Plus).toBeLessThan(17);

    const forWall = await get<PopulationReply>(`/api/population?regionId=${GRID}`, wall);
    expect(forWall.suppressed).toBe(true);
    expect(expectWallSafe(forWall)).toBeGreaterThan(50);
    expectWallSafe(await get(`/api/population/grids?regionId=${app.regions.root.id}`, wall));
    expect((await fetch(`${app.url}/api/population?regionId=999999`, { headers: { Authorization: `Bearer ${wall}` } })).status).toBe(403);
  });

  it('pushes an admin upload to a subscribed wall socket, suppressed, and to staff exact', async () => {
    const wallSocket = await subscribed(wall, COMMUNITY);
    const staffSocket = await subscribed(admin, GRID);
    const wallPush = collect(wallSocket, 'population:updated', 1);
    const staffPush = collect(staffSocket, 'population:updated', 1);
    // Small counts on purpose: 1..4 in many cells.
    const csv = [HEADER, row(GRID, MONTH, (i) => (i % 3) + 1, { living_alone: 2 })].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: { accepted: number; rejected: number; gridMonths: number } };
    expect(body.counts).toMatchObject({ accepted: 1, rejected: 0, gridMonths: 1 });

    const [w] = await wallPush;
    expect(w!.regionId).toBe(COMMUNITY);
    expect(w!.reply.suppressed).toBe(true);
    expectWallSafe(w);
    const [s] = await staffPush;
    expect(s!.reply.suppressed).toBe(false);
    // Still labelled synthetic: the 23 months before it are demo data.
    expect(s!.reply.synthetic).toBe(true);
    expect(s!.reply.aggregate!.groups.livingAlone).toBe(2);
    expect(s!.reply.aggregate!.residents.male['0-4']).toBe(1);
    // The wall's grid cell shows '<5', never the 2.
    const layer = await get<{ grids: { gridId: string; livingAlone: number | string }[] }>(`/api/population/grids?regionId=${COMMUNITY}`, wall);
    expect(layer.grids.find((g) => g.gridId === GRID)!.livingAlone).toBe('<5');
    expectWallSafe(layer);
  });

  it('replaces a month imported again instead of doubling it', async () => {
    const csv = [HEADER, row(GRID2, MONTH, () => 10)].join('\n');
    for (let i = 0; i < 2; i++) expect((await upload(csv)).status).toBe(200);
    const reply = await get<ExactPopulationReply>(`/api/population?regionId=${GRID2}`, admin);
    expect(reply.month).toBe(MONTH);
    expect(reply.indicators!.residents).toBe(2 * 21 * 10);
    expect(reply.aggregate!.residents.female['100+']).toBe(10);
    expect(reply.history).toHaveLength(24);
  });

  it('answers bad rows by line and column and imports the rest; only admins may upload', async () => {
    const csv = [HEADER, row(GRID2, MONTH, () => 6), row(GRID, MONTH, (i) => (i === 3 ? 'x' : 7)), row('510108999999999', MONTH, () => 5)].join('\n');
    const res = await upload(csv);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { counts: { accepted: number; rejected: number }; errors: { line: number; column: string | null; reason: string }[] };
    expect(body.counts).toMatchObject({ accepted: 1, rejected: 2 });
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 3, column: 'male_15_19' }),
        expect.objectContaining({ line: 4, column: 'grid_id' }),
      ]),
    );
    const reply = await get<ExactPopulationReply>(`/api/population?regionId=${GRID2}`, admin);
    expect(reply.indicators!.residents).toBe(2 * 21 * 6);

    expect((await upload(csv, wall)).status).toBe(403);
    expect((await upload('{}', admin, 'application/json')).status).toBe(415);
  });
});

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, PublicUser } from '#common/auth/types';
import type { Candidate, Party, WorkerSummary } from '#common/dispatch/types';
import { onDutyAt, shiftPatternOf } from '#common/dispatch/shifts';
import type { Incident } from '#common/incidents/types';
import { readWorkers } from '#server/geo/grid-facts';
import { BUNDLED_GEO_DIR } from '#server/geo/dataset';
import { event, ingest, login, startApp, type Running } from './helpers';

const STREET = '510108003'; // 府青路街道
const OTHER_STREET = '510108001'; // 猛追湾街道
const COMMUNITY = '510108003002'; // 志强社区

let app: Running;
let admin: string;
let streetAdmin: string;
let otherAdmin: string;
let leader: string;
let dispatcher: string;
let wall: string;

async function call<T = unknown>(method: string, path: string, token: string, body?: unknown, type = 'application/json'): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': type }) },
    body: body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? null : await res.json()) as T };
}
async function user(username: string, role: string, regionId: string, extra: Record<string, unknown> = {}) {
  return call<PublicUser & { error?: { code: string } }>('POST', '/api/users', admin, { username, displayName: username, password: 'password-123', role, regionId, ...extra });
}
async function tokenOf(username: string, role: string, regionId: string): Promise<string> {
  expect((await user(username, role, regionId)).status).toBe(201);
  return (await login(app.url, username, 'password-123')).token;
}

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  streetAdmin = await tokenOf('street-admin', 'admin', STREET);
  otherAdmin = await tokenOf('other-admin', 'admin', OTHER_STREET);
  leader = await tokenOf('leader1', 'leader', '510108');
  dispatcher = await tokenOf('dispatcher1', 'dispatcher', '510108');
  wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
});
afterAll(async () => {
  await app.stop();
});

const newParty = (over: Partial<Party> = {}) => ({
  kind: 'property',
  name: '测试物业（志强社区）',
  categories: ['garbage_exposed', 'elevator_fault'],
  regionIds: [COMMUNITY],
  contact: { name: '李小明', phone: '13812341234' },
  ...over,
});

describe('party registry', () => {
  it('is seeded with the synthetic demo registry, marked so', async () => {
    const { status, body } = await call<{ items: Party[] }>('GET', '/api/parties', admin);
    expect(status).toBe(200);
    expect(body.items.length).toBeGreaterThan(40);
    expect(body.items.every((p) => p.synthetic)).toBe(true);
    expect(new Set(body.items.map((p) => p.kind))).toEqual(new Set(['department', 'property', 'social_org', 'volunteer_team']));
    const names = body.items.map((p) => p.name).join(' ');
    for (const dept of ['城管', '住房和城乡建设', '市场监督', '派出所', '消防']) expect(names).toContain(dept);
  });

  it('lets a street admin manage parties in its street only', async () => {
    const created = await call<Party>('POST', '/api/parties', streetAdmin, newParty());
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'property', regionIds: [COMMUNITY], synthetic: false, contact: { name: '李小明', phone: '13812341234' } });
    const id = created.body.id;

    // Outside its street: refused on create; another street's admin does not see the party at all.
    const outside = await call<{ error: { code: string } }>('POST', '/api/parties', streetAdmin, newParty({ regionIds: ['510108001001'] }));
    expect(outside.status).toBe(403);
    expect(outside.body.error.code).toBe('scope/forbidden');
    expect((await call('PATCH', `/api/parties/${id}`, otherAdmin, { name: '改名' })).status).toBe(404);
    expect((await call('DELETE', `/api/parties/${id}`, otherAdmin)).status).toBe(404);
    expect((await call<{ items: Party[] }>('GET', '/api/parties', otherAdmin)).body.items.some((p) => p.id === id)).toBe(false);

    // A district department is visible to the street admin but not theirs to change.
    const district = (await call<{ items: Party[] }>('GET', `/api/parties?kind=department&regionId=${STREET}`, streetAdmin)).body.items.find((p) => p.regionIds.includes('510108'));
    expect(district).toBeDefined();
    expect((await call('PATCH', `/api/parties/${district!.id}`, streetAdmin, { name: 'x' })).status).toBe(403);
    expect((await call('DELETE', `/api/parties/${district!.id}`, streetAdmin)).status).toBe(403);

    // Moving its own party into another street is refused too.
    expect((await call('PATCH', `/api/parties/${id}`, streetAdmin, { regionIds: [OTHER_STREET] })).status).toBe(403);
    const patched = await call<Party>('PATCH', `/api/parties/${id}`, streetAdmin, { categories: ['noise'], contact: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ categories: ['noise'], contact: null, name: '测试物业（志强社区）' });
    expect((await call('DELETE', `/api/parties/${id}`, streetAdmin)).status).toBe(204);
    expect((await call('GET', `/api/parties/${id}`, admin)).status).toBe(404);
  });

  it('refuses bad input with a clear error', async () => {
    const cases: [unknown, string][] = [
      [newParty({ categories: ['no_such_category'] }), 'party/invalid'],
      [newParty({ kind: 'club' as Party['kind'] }), 'party/invalid'],
      [newParty({ regionIds: [] }), 'party/invalid'],
      [newParty({ regionIds: ['510108999999'] }), 'party/bad_region'],
      [{ ...newParty(), contact: { name: 'x', phone: '<script>' } }, 'party/invalid'],
      [{ ...newParty(), extra: 1 }, 'party/invalid'],
    ];
    for (const [body, code] of cases) {
      const res = await call<{ error: { code: string; message: string } }>('POST', '/api/parties', admin, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe(code);
    }
    expect((await call('POST', '/api/parties', admin, newParty({ id: 'PTY-cg-510108' }))).status).toBe(409);
    expect((await call('POST', '/api/parties', dispatcher, newParty())).status).toBe(403);
  });

  it('projects contacts per audience: full for dispatchers, masked for leaders, none for walls', async () => {
    const { body: p } = await call<Party>('POST', '/api/parties', admin, newParty({ name: '联系 13900001111 物业', contact: { name: '欧阳小明', phone: '13987654321' } }));
    const full = await call<Party>('GET', `/api/parties/${p.id}`, dispatcher);
    expect(full.body.contact).toEqual({ name: '欧阳小明', phone: '13987654321' });
    const masked = await call<{ items: Party[] }>('GET', `/api/parties?regionId=${COMMUNITY}&category=garbage_exposed`, leader);
    const mine = masked.body.items.find((x) => x.id === p.id)!;
    expect(mine.contact).toEqual({ name: '欧**明', phone: '139****4321' });
    expect(mine.name).toBe('联系 139****1111 物业');
    expect(JSON.stringify(masked.body)).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect((await call('GET', '/api/parties', wall)).status).toBe(403);
    expect((await call('GET', `/api/parties/${p.id}`, wall)).status).toBe(403);
  });
});

describe('party CSV import', () => {
  it('imports good rows and names the bad ones by line (UTF-8, English headers)', async () => {
    const csv = [
      'kind,name,categories,regions,contact_name,contact_phone',
      `volunteer_team,Tidy Streets Team,garbage_exposed;road_cleaning,${COMMUNITY},王芳,13700001234`,
      `department,No Such Category Office,not_a_category,${COMMUNITY},,`,
      `property,"Multi-line, quoted\nname",elevator_fault,${OTHER_STREET}001,,`,
      `club,Bad Kind,noise,${COMMUNITY},,`,
      `social_org,Outside scope org,dispute,${OTHER_STREET},,`,
    ].join('\n');
    const res = await call<{ imported: number; errors: { row: number; message: string }[] }>('POST', '/api/parties/import', streetAdmin, csv, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(1);
    expect(res.body.errors.map((e) => e.row)).toEqual([3, 4, 6, 7]);
    expect(res.body.errors[0]!.message).toContain('not_a_category');
    expect(res.body.errors[1]!.message).toContain('outside your scope');
    const list = (await call<{ items: Party[] }>('GET', '/api/parties?kind=volunteer_team', admin)).body.items;
    expect(list.find((p) => p.name === 'Tidy Streets Team')).toMatchObject({ categories: ['garbage_exposed', 'road_cleaning'], contact: { name: '王芳', phone: '13700001234' } });

    // Importing the same row again updates it instead of adding a second party.
    await call('POST', '/api/parties/import', streetAdmin, csv, 'text/csv');
    expect((await call<{ items: Party[] }>('GET', '/api/parties?kind=volunteer_team', admin)).body.items.filter((p) => p.name === 'Tidy Streets Team')).toHaveLength(1);
  });

  it('reads a GBK file with Chinese headers, with or without a declared charset', async () => {
    const file = readFileSync(new URL('../fixtures/parties/parties-gbk.csv', import.meta.url));
    for (const type of ['text/csv; charset=gbk', 'text/csv']) {
      const res = await call<{ imported: number; errors: { row: number; message: string }[] }>('POST', '/api/parties/import', admin, new Uint8Array(file), type);
      expect(res.status).toBe(200);
      expect(res.body.imported).toBe(2);
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0]).toMatchObject({ row: 3 });
      expect(res.body.errors[0]!.message).toContain('不存在的类别');
    }
    const p = (await call<{ items: Party[] }>('GET', '/api/parties?kind=property', admin)).body.items.find((x) => x.name.startsWith('锦华物业'));
    expect(p).toMatchObject({ categories: ['garbage_exposed', 'elevator_fault'], regionIds: [COMMUNITY], contact: { name: '张小红', phone: '13912345678' } });
  });

  it('refuses a file without the needed columns, and non-admins', async () => {
    const res = await call<{ imported: number; errors: { row: number; message: string }[] }>('POST', '/api/parties/import', admin, 'name,phone\nA,1\n', 'text/csv');
    expect(res.body.imported).toBe(0);
    expect(res.body.errors[0]).toMatchObject({ row: 1 });
    const empty = await call<{ imported: number; errors: { row: number }[] }>('POST', '/api/parties/import', admin, '', 'text/csv');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ imported: 0, errors: [{ row: 1 }] });
    expect((await call('POST', '/api/parties/import?encoding=latin9', admin, 'a', 'text/csv')).status).toBe(400);
    expect((await call('POST', '/api/parties/import', leader, 'x', 'text/csv')).status).toBe(403);
    expect((await call('POST', '/api/parties/import', admin, { a: 1 })).status).toBe(415);
  });
});

/** An action on the incident's current version (read first), as the console sends it. */
async function actOn(id: string, token: string, body: Record<string, unknown>) {
  const current = await call<{ incident: Incident }>('GET', `/api/incidents/${id}`, admin);
  return call('POST', `/api/incidents/${id}/actions`, token, { version: current.body.incident?.version ?? 0, ...body });
}

describe('workers linked to accounts, candidates and dispatch', () => {
  const roster = readWorkers(BUNDLED_GEO_DIR).filter((w) => w.role === 'grid_worker');
  // A grid worker on duty for the next ten minutes (the tests take seconds), so the test does not depend on the
  // clock. Shifts change at 08:00 and 20:00 CST and nobody works both sides of a change: in the ten minutes before
  // one, wait for it to pass.
  const WINDOW_MS = 10 * 60_000;
  const onDutyThrough = (w: (typeof roster)[number], from: number) =>
    [0, WINDOW_MS].every((d) => onDutyAt(shiftPatternOf(w), new Date(from + d)));
  const pick = (from: number) =>
    roster.find((w) => w.gridId.startsWith(COMMUNITY) && onDutyThrough(w, from)) ?? roster.find((w) => onDutyThrough(w, from));
  let W!: (typeof roster)[number];
  beforeAll(async () => {
    while (!pick(Date.now())) await new Promise((r) => setTimeout(r, 5_000));
    W = pick(Date.now())!;
  }, WINDOW_MS + 60_000);

  it('links a worker account to its roster worker, and says so at login and in /auth/me', async () => {
    const created = await user('worker-linked', 'worker', W.gridId, { workerId: W.id });
    expect(created.status).toBe(201);
    expect(created.body.workerId).toBe(W.id);
    const session = await login(app.url, 'worker-linked', 'password-123');
    expect(session.user.workerId).toBe(W.id);
    const me = await call<PublicUser>('GET', '/api/auth/me', session.token);
    expect(me.body.workerId).toBe(W.id);
    expect((await login(app.url)).user.workerId).toBeNull();

    const other = roster.find((w) => !w.gridId.startsWith(W.gridId.slice(0, 9)))!;
    for (const [role, region, workerId, status, code] of [
      ['dispatcher', W.gridId, W.id, 400, 'users/bad_worker'],
      ['worker', W.gridId, 'gw-nobody', 400, 'users/bad_worker'],
      ['worker', W.gridId, other.id, 400, 'users/bad_worker'],
      ['worker', W.gridId, W.id, 409, 'users/worker_linked'],
    ] as const) {
      const res = await user(`w-${Math.random().toString(36).slice(2, 8)}`, role, region, { workerId });
      expect(res.status, `${role} ${workerId}`).toBe(status);
      expect(res.body.error?.code).toBe(code);
    }
  });

  it('recommends the roster worker of the incident’s grid among the top three, with reasons', async () => {
    const res = await ingest(app.url, event(1, { category: 'garbage_exposed', location: W.base!, reportedAt: new Date().toISOString() }));
    expect(res.status).toBe(202);
    const incident = (await call<{ items: Incident[] }>('GET', '/api/incidents?limit=1', admin)).body.items[0]!;
    expect(incident.gridId).toBe(W.gridId);
    const { status, body } = await call<{ items: Candidate[] }>('GET', `/api/incidents/${incident.id}/candidates?limit=10`, dispatcher);
    expect(status).toBe(200);
    expect(body.items.length).toBeGreaterThan(3);
    expect(body.items.length).toBeLessThanOrEqual(10);
    const top3 = body.items.slice(0, 3);
    const mine = top3.find((c) => c.id === W.id);
    expect(mine, JSON.stringify(top3)).toBeDefined();
    expect(mine!.name).toBe(W.name);
    expect(mine!.reasons).toContainEqual({ code: 'home_grid', value: true });
    expect(mine!.reasons).toContainEqual({ code: 'on_duty', value: true });
    expect(mine!.reasons.map((r) => r.code)).toEqual(['distance_m', 'home_grid', 'on_duty', 'open_cases', 'handles_category', 'on_time_rate']);
    const scores = body.items.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // Parties covering the incident's region and category are offered too; none that does not handle it.
    const parties = body.items.filter((c) => c.kind === 'party');
    expect(parties.length).toBeGreaterThan(0);
    const registry = (await call<{ items: Party[] }>('GET', '/api/parties', admin)).body.items;
    for (const c of parties) expect(registry.find((p) => p.id === c.id)!.categories).toContain('garbage_exposed');

    // Leaders see worker names masked; walls and workers get nothing; bad limits are refused.
    const masked = await call<{ items: Candidate[] }>('GET', `/api/incidents/${incident.id}/candidates`, leader);
    expect(masked.body.items.find((c) => c.id === W.id)?.name).not.toBe(W.name);
    expect((await call('GET', `/api/incidents/${incident.id}/candidates`, wall)).status).toBe(403);
    expect((await call('GET', `/api/incidents/${incident.id}/candidates?limit=0`, dispatcher)).status).toBe(400);
    expect((await call('GET', `/api/incidents/INC-nope/candidates`, dispatcher)).status).toBe(404);
    expect((await call('GET', `/api/incidents/${incident.id}/candidates`, otherAdmin)).status).toBe(404);
  });

  it('lets the linked account accept a case dispatched to its roster id; counts it as an open case', async () => {
    const incident = (await call<{ items: Incident[] }>('GET', '/api/incidents?limit=1', admin)).body.items[0]!;
    let version = incident.version;
    for (const [action, extra] of [['verify', {}], ['file', {}], ['dispatch', { assigneeId: W.id }]] as const) {
      const r = await call<{ incident: Incident }>('POST', `/api/incidents/${incident.id}/actions`, dispatcher, { action, version, ...extra });
      expect(r.status, action).toBe(200);
      version = r.body.incident.version;
    }
    const stranger = await tokenOf('worker-unlinked', 'worker', W.gridId);
    expect((await actOn(incident.id, stranger, { action: 'accept', version })).status).toBe(403);
    const linked = (await login(app.url, 'worker-linked', 'password-123')) as LoginResponse;
    const accepted = await call<{ incident: Incident }>('POST', `/api/incidents/${incident.id}/actions`, linked.token, { action: 'accept', version });
    expect(accepted.status).toBe(200);
    expect(accepted.body.incident.status).toBe('in_progress');

    const workers = await call<{ items: WorkerSummary[] }>('GET', '/api/workers', dispatcher);
    expect(workers.status).toBe(200);
    expect(workers.body.items.find((w) => w.id === W.id)).toEqual({
      id: W.id, name: W.name, gridId: W.gridId, regionId: W.regionId, onDuty: true, openCases: 1, lastPosition: null, onPatrol: false,
    });
    const streetWorkers = await call<{ items: WorkerSummary[] }>('GET', '/api/workers', otherAdmin);
    expect(streetWorkers.body.items.every((w) => w.gridId.startsWith(OTHER_STREET))).toBe(true);
    expect((await call('GET', '/api/workers', wall)).status).toBe(403);
    expect((await call('GET', '/api/workers', stranger)).status).toBe(403);

    // A case in a neighbouring grid sent to W is W's too, though the account is scoped to W's own grid.
    const neighbour = roster.find((w) => w.gridId !== W.gridId && w.base)!;
    expect((await ingest(app.url, event(2, { location: neighbour.base!, reportedAt: new Date().toISOString() }))).status).toBe(202);
    const away = (await call<{ items: Incident[] }>('GET', `/api/incidents?limit=1&regionId=${neighbour.gridId}`, admin)).body.items[0]!;
    const partyOf = async (id: string) => (await call<{ items: Candidate[] }>('GET', `/api/incidents/${id}/candidates?limit=20`, dispatcher)).body.items.filter((c) => c.kind === 'party');
    const helper = (await partyOf(away.id))[0]!;
    const heldBefore = helper.reasons.find((r) => r.code === 'open_cases')!.value as number;
    for (const [action, extra] of [['verify', {}], ['file', {}], ['dispatch', { assigneeId: W.id, assistingPartyIds: [helper.id] }]] as const) {
      expect((await actOn(away.id, dispatcher, { action, ...extra })).status).toBe(200);
    }
    // The assisting part counts as a case the party holds.
    const helperAfter = (await partyOf(away.id)).find((c) => c.id === helper.id)!;
    expect(helperAfter.reasons).toContainEqual({ code: 'open_cases', value: heldBefore + 1 });
    expect((await actOn(away.id, stranger, { action: 'accept' })).status).toBe(404);
    expect((await actOn(away.id, linked.token, { action: 'accept' })).status).toBe(200);

    // The first closed by its deadline: only the neighbour's case left open, and a 30-day on-time rate of 100 %.
    expect((await actOn(incident.id, linked.token, { action: 'submit_feedback' })).status).toBe(200);
    for (const action of ['start_check', 'check_pass']) expect((await actOn(incident.id, dispatcher, { action })).status).toBe(200);
    const after = await call<{ items: Candidate[] }>('GET', `/api/incidents/${incident.id}/candidates`, dispatcher);
    const reasons = after.body.items.find((c) => c.id === W.id)!.reasons;
    expect(reasons).toContainEqual({ code: 'open_cases', value: 1 });
    expect(reasons).toContainEqual({ code: 'on_time_rate', value: 1 });
  });
});

/**
 * Community life end to end on the server (SQLite here, PostgreSQL in integration-pg): activities with
 * registrations, attendance and .ics; the care registry with its CSV import; visits ("needs help" opens an
 * elderly-care incident through the pipeline); the welfare sweep; indicators; and a scan of everything a wall
 * client receives (socket and REST) for person-level data.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareIndicatorsReply, WallCareReply } from '#common/care/indicators';
import type { Activity, CareResident, Visit } from '#common/care/types';
import type { Incident } from '#common/incidents/types';
import { gbkEncode } from '../fixtures/gbk';
import { connected, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

const GRID = '510108001001003';
const COMMUNITY = '510108001001';
const NAME = '欧阳秀英';
const PHONE = '13912345678';
const VISITOR = '司马志刚';
const ATTENDEE = '诸葛明月';
const ATTENDEE_PHONE = '13800001111';
const MEMBER = '上官婉清';
const SECRETS = [NAME, '欧**英', PHONE, '1234', VISITOR, ATTENDEE, ATTENDEE_PHONE, MEMBER, '幸福里7栋', '1940-03-05'];

let clock = new Date();
let app: Running;
let admin: string;
let wall: string;
let wallSocket: ClientSocket;
const wallSeen: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function api<T>(path: string, token: string, init: { method?: string; body?: unknown; type?: string } = {}): Promise<{ status: number; body: T; text: string }> {
  const raw = typeof init.body === 'string';
  const res = await fetch(`${app.url}/api${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { 'Content-Type': init.type ?? 'application/json' }) },
    body: init.body === undefined ? undefined : raw ? (init.body as string) : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body: body as T, text };
}

async function wallGet(path: string) {
  const r = await api<unknown>(path, wall);
  wallSeen.push(`${path} ${r.status} ${r.text}`);
  return r;
}

beforeAll(async () => {
  app = await startApp({}, undefined, { now: () => clock });
  admin = (await login(app.url)).token;
  wall = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
  wallSocket = socketFor(app.url, wall);
  wallSocket.onAny((name: string, payload: unknown) => wallSeen.push(`${name} ${JSON.stringify(payload)}`));
  await connected(wallSocket);
  await new Promise((resolve) => wallSocket.emit('scope:subscribe', {}, resolve));
});
afterAll(async () => {
  wallSocket?.disconnect();
  await app?.stop();
});

describe('community life', () => {
  let resident: CareResident;
  let activity: Activity;

  it('seeds a synthetic demo season once', async () => {
    const r = await api<{ residents: CareResident[] }>(`/care/residents?regionId=${COMMUNITY}`, admin);
    expect(r.body.residents.length).toBeGreaterThan(10);
    expect(r.body.residents.every((x) => x.synthetic)).toBe(true);
    const a = await api<{ activities: (Activity & { occurrences: unknown[] })[] }>(`/activities?regionId=${COMMUNITY}`, admin);
    expect(a.body.activities.length).toBeGreaterThanOrEqual(2);
    expect(a.body.activities.every((x) => x.synthetic)).toBe(true);
  });

  it('registers a lone 80+ resident (weekly tier) and shows them masked to a leader', async () => {
    const created = await api<CareResident>('/care/residents', admin, {
      body: { gridId: GRID, name: NAME, phone: PHONE, birthDate: '1940-03-05', livingAlone: true, address: '幸福里7栋' },
    });
    expect(created.status).toBe(201);
    resident = created.body;
    const sched = await api<{ schedule: { tier: string; resident: CareResident; overdue: boolean }[] }>(`/visits/schedule?regionId=${GRID}`, admin);
    expect(sched.body.schedule.find((s) => s.resident.id === resident.id)).toMatchObject({ tier: 'weekly', overdue: false });
    const leaderName = `leader-${randomUUID().slice(0, 6)}`;
    expect((await api('/users', admin, { body: { username: leaderName, displayName: '领导', password: 'leader-password-1', role: 'leader', regionId: COMMUNITY } })).status).toBe(201);
    const leader = (await login(app.url, leaderName, 'leader-password-1')).token;
    const masked = await api<{ residents: CareResident[] }>(`/care/residents?regionId=${GRID}`, leader);
    const mine = masked.body.residents.find((x) => x.id === resident.id)!;
    expect(mine).toMatchObject({ name: '欧**英', phone: '139****5678', birthDate: '1940-01-01' });
    expect(masked.text).not.toContain(PHONE);
    expect((await api(`/care/residents?regionId=510108002`, leader)).status).toBe(403);
  });

  it('creates an activity, records registrations and attendance, and exports it as iCalendar', async () => {
    const start = new Date(clock.getTime() - 2 * 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const created = await api<Activity>('/activities', admin, {
      body: { regionId: COMMUNITY, title: '测试书画班', kind: 'calligraphy', venue: { poiId: null, name: '双林社区党群服务中心' }, capacity: 3, start: start.toISOString(), rrule: 'FREQ=DAILY;COUNT=5', exdates: [new Date(start.getTime() + 86_400_000).toISOString()] },
    });
    expect(created.status).toBe(201);
    activity = created.body;
    const occurrence = start.toISOString();
    const reg = await api<{ id: string }>(`/activities/${activity.id}/registrations`, admin, { body: { occurrence, name: ATTENDEE, phone: ATTENDEE_PHONE, age: 72 } });
    expect(reg.status).toBe(201);
    const absent = await api<{ id: string }>(`/activities/${activity.id}/registrations`, admin, { body: { occurrence, name: '张三', age: 30 } });
    const noSuch = await api(`/activities/${activity.id}/registrations`, admin, { body: { occurrence: new Date(start.getTime() + 86_400_000).toISOString(), name: 'x' } });
    expect(noSuch.status).toBe(400); // the EXDATE
    const att = await api<{ attended: number }>(`/activities/${activity.id}/attendance`, admin, {
      body: { occurrence, attendedIds: [reg.body.id], walkIns: [{ name: '王五', age: 81, residentId: resident.id }] },
    });
    expect(att.body).toMatchObject({ attended: 2, walkIns: 1 });
    const full = await api(`/activities/${activity.id}/registrations`, admin, { body: { occurrence, name: '李四' } });
    expect(full.status).toBe(409); // capacity 3
    const regs = await api<{ registrations: { id: string; attended: boolean | null }[] }>(`/activities/${activity.id}/registrations`, admin);
    expect(regs.body.registrations.find((r) => r.id === absent.body.id)?.attended).toBe(false);
    const listed = await api<{ activities: { id: string; occurrences: { start: string; registered: number; attended: number }[] }[] }>(`/activities?regionId=${GRID}`, admin);
    const view = listed.body.activities.find((a) => a.id === activity.id)!;
    expect(view.occurrences.find((o) => o.start === occurrence)).toMatchObject({ registered: 3, attended: 2 });
    expect(view.occurrences).toHaveLength(4);

    const ics = await api<string>(`/activities.ics?regionId=${COMMUNITY}`, admin);
    expect(ics.text).toContain(`UID:${activity.uid}`);
    const again = await api<{ created: number; updated: number; errors: unknown[] }>(`/activities/import?regionId=${COMMUNITY}`, admin, { body: ics.text, type: 'text/calendar' });
    expect(again.body).toMatchObject({ created: 0, errors: [] });
    expect(again.body.updated).toBeGreaterThanOrEqual(1);
  });

  it('registers a person once: a form sent twice with its Idempotency-Key, or the same person again, holds one place', async () => {
    const start = new Date(clock.getTime() + 3 * 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const created = await api<Activity>('/activities', admin, { body: { regionId: COMMUNITY, title: '健康讲座', venue: { poiId: null, name: '活动室' }, capacity: 2, start: start.toISOString() } });
    const occurrence = start.toISOString();
    const send = (name: string, key?: string) =>
      fetch(`${app.url}/api/activities/${created.body.id}/registrations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
        body: JSON.stringify({ occurrence, name, phone: '13900001111' }),
      });
    const [first, resent] = await Promise.all([send('冯六', 'form-1'), send('冯六', 'form-1')]);
    expect([first.status, resent.status]).toEqual([201, 201]);
    expect(((await resent.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    const again = await send('冯六');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('care/already_registered');
    expect((await send('卫七')).status).toBe(201); // the second place is still free
    const regs = await api<{ registrations: unknown[] }>(`/activities/${created.body.id}/registrations`, admin);
    expect(regs.body.registrations).toHaveLength(2);
  });

  it('never overbooks an occurrence when many register at once, nor registers one person twice', async () => {
    const start = new Date(clock.getTime() + 4 * 86_400_000);
    start.setUTCMinutes(0, 0, 0);
    const created = await api<Activity>('/activities', admin, { body: { regionId: COMMUNITY, title: '合唱排练', venue: { poiId: null, name: '活动室' }, capacity: 3, start: start.toISOString() } });
    const occurrence = start.toISOString();
    const send = (name: string) => api<{ error?: { code: string } }>(`/activities/${created.body.id}/registrations`, admin, { body: { occurrence, name, phone: '13900002222' } });
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => send(`报名${String.fromCharCode(0x4e00 + i)}`)));
    expect(many.filter((r) => r.status === 201)).toHaveLength(3);
    expect(many.filter((r) => r.status === 409).every((r) => r.body.error?.code === 'care/full')).toBe(true);
    const twice = await Promise.all(Array.from({ length: 6 }, () => api(`/activities/${created.body.id}/registrations`, admin, { body: { occurrence: new Date(start.getTime()).toISOString(), name: '同一人', phone: '13900003333' } })));
    expect(twice.every((r) => r.status === 409)).toBe(true); // full already
    const regs = await api<{ registrations: unknown[] }>(`/activities/${created.body.id}/registrations`, admin);
    expect(regs.body.registrations).toHaveLength(3);
    const roomy = await api<Activity>('/activities', admin, { body: { regionId: COMMUNITY, title: '合唱排练二', venue: { poiId: null, name: '活动室' }, capacity: 50, start: start.toISOString() } });
    const same = await Promise.all(Array.from({ length: 6 }, () => api(`/activities/${roomy.body.id}/registrations`, admin, { body: { occurrence, name: '同一人', phone: '13900003333' } })));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    expect((await api<{ registrations: unknown[] }>(`/activities/${roomy.body.id}/registrations`, admin)).body.registrations).toHaveLength(1);
  });

  it('attendance sent twice with the same walk-ins (a resend) counts each walk-in once', async () => {
    const start = new Date(clock.getTime() - 2 * 3_600_000);
    start.setUTCMinutes(0, 0, 0);
    const created = await api<Activity>('/activities', admin, { body: { regionId: COMMUNITY, title: '广场舞', venue: { poiId: null, name: '广场' }, capacity: 30, start: start.toISOString() } });
    const occurrence = start.toISOString();
    const signed = await api<{ id: string }>(`/activities/${created.body.id}/registrations`, admin, { body: { occurrence, name: '褚八', phone: '13900004444', age: 66 } });
    const body = { occurrence, attendedIds: [], walkIns: [{ name: '蒋九', phone: '13900005555', age: 70 }, { name: '褚八', phone: '13900004444', age: 66 }] };
    const first = await api<{ attended: number }>(`/activities/${created.body.id}/attendance`, admin, { body });
    const again = await api<{ attended: number }>(`/activities/${created.body.id}/attendance`, admin, { body });
    expect([first.body.attended, again.body.attended]).toEqual([2, 2]);
    const regs = await api<{ registrations: { id: string; attended: boolean | null }[] }>(`/activities/${created.body.id}/registrations`, admin);
    expect(regs.body.registrations).toHaveLength(2);
    expect(regs.body.registrations.find((r) => r.id === signed.body.id)?.attended).toBe(true);
  });

  it('a "needs help" visit opens an elderly-care incident through the pipeline and credits volunteer hours', async () => {
    const team = `PTY-zy-${COMMUNITY}`;
    const before = await api<{ teams: { partyId: string; hours: number }[] }>(`/volunteers/hours?regionId=${COMMUNITY}`, admin);
    const v = await api<Visit>('/visits', admin, {
      body: { residentId: resident.id, visitedAt: clock.toISOString(), visitorKind: 'volunteer', visitorName: VISITOR, partyId: team, outcome: 'needs_help', note: `灶台漏气，请联系 ${PHONE}`, hours: 2 },
    });
    expect(v.status).toBe(201);
    expect(v.body.incidentId).toBeTruthy();
    const inc = await api<{ incident: Incident }>(`/incidents/${v.body.incidentId}`, admin);
    expect(inc.body.incident).toMatchObject({ category: 'elderly_care', gridId: GRID, connectorId: 'care', severity: 'high' });
    const after = await api<{ teams: { partyId: string; hours: number }[] }>(`/volunteers/hours?regionId=${COMMUNITY}`, admin);
    const h = (x: typeof before) => x.body.teams.find((t) => t.partyId === team)?.hours ?? 0;
    expect(h(after) - h(before)).toBeCloseTo(2);
    expect((await api('/volunteers/hours', admin, { body: { partyId: team, member: MEMBER, regionId: COMMUNITY, hours: 1.5, at: clock.toISOString() } })).status).toBe(201);
  });

  it('an overdue visit creates exactly one welfare task per due period', async () => {
    clock = new Date(clock.getTime() + 8 * 86_400_000); // weekly tier: a week after the visit
    const [a, b] = await Promise.all([app.care.service.sweep(GRID), app.care.service.sweep(GRID)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    const tasks = (await app.store.care.welfareTasks(GRID)).filter((t) => t.residentId === resident.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.incidentId).toBeTruthy();
    expect((await api<{ incident: Incident }>(`/incidents/${tasks[0]!.incidentId}`, admin)).body.incident.category).toBe('elderly_care');
    await app.care.service.sweep(GRID);
    expect((await app.store.care.welfareTasks(GRID)).filter((t) => t.residentId === resident.id)).toHaveLength(1);
    // Visited again, then overdue again a week later: a new period, a second task.
    await api('/visits', admin, { body: { residentId: resident.id, visitedAt: clock.toISOString(), visitorName: '网格员', outcome: 'well' } });
    clock = new Date(clock.getTime() + 8 * 86_400_000);
    await app.care.service.sweep(GRID);
    expect((await app.store.care.welfareTasks(GRID)).filter((t) => t.residentId === resident.id)).toHaveLength(2);
  });

  it('imports a care-registry CSV: bad rows reported by line and column, the rest imported', async () => {
    const csv = [
      '编号,网格编码,姓名,电话,出生日期,独居,空巢,状况,住址',
      `T-1,${GRID},赵大爷,13700000001,1938-02-01,是,否,,1栋`,
      `T-2,999999999999999,钱奶奶,,1941-05-05,1,0,,`,
      `T-3,${GRID},孙爷爷,,1950-13-01,0,0,,`,
      `T-4,${GRID},李奶奶,,1945-01-01,maybe,0,失智,`,
      `T-5,${GRID},,,1945-01-01,0,0,,`,
      `T-6,${GRID},周爷爷,,1944-04-04,0,1,残疾；特困,"2栋, 3单元"`,
      `T-7,${GRID},吴奶奶,,1944-04-04,0,1,失眠,`,
    ].join('\n');
    const r = await api<{ counts: { rows: number; accepted: number; rejected: number }; errors: { line: number; column: string; reason: string }[] }>('/care/residents/import', admin, { body: csv, type: 'text/csv' });
    expect(r.status).toBe(200);
    expect(r.body.counts).toEqual({ rows: 7, accepted: 2, rejected: 5, errors: 5 });
    // Each error carries a code the console says in the user's language.
    expect((r.body.errors as unknown as { code: string }[]).map((e) => e.code)).toEqual(['unknown_grid', 'bad_date', 'not_yes_no', 'invalid', 'unknown_condition']);
    expect(r.body.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'grid_id'],
      [4, 'birth_date'],
      [5, 'living_alone'],
      [6, 'name'],
      [8, 'conditions'],
    ]);
    const stored = await app.store.care.resident('T-6');
    expect(stored).toMatchObject({ emptyNest: true, conditions: ['disabled', 'tekun'], address: '2栋, 3单元' });
    expect(await app.store.care.resident('T-2')).toBeNull();
  });

  it('imports a GBK care-registry CSV sent without an encoding as GBK, not as mojibake names', async () => {
    const csv = gbkEncode(`编号,网格编码,姓名,出生日期\r\nG-1,${GRID},郑奶奶,1939-03-03\r\n`);
    const res = await fetch(`${app.url}/api/care/residents/import`, { method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/csv' }, body: new Uint8Array(csv) });
    expect(res.status).toBe(200);
    expect(await app.store.care.resident('G-1')).toMatchObject({ name: '郑奶奶' });
    // Said to be UTF-8 while it is not: refused with the reason, nothing stored.
    const said = await fetch(`${app.url}/api/care/residents/import?encoding=utf-8`, { method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'text/csv' }, body: new Uint8Array(gbkEncode(`编号,网格编码,姓名,出生日期\nG-2,${GRID},王爷爷,1939-03-03\n`)) });
    expect(said.status).toBe(400);
    expect(await app.store.care.resident('G-2')).toBeNull();
  });

  it('indicators: a visit to a never-reached lone resident lowers the grid isolation rate', async () => {
    const lone = await api<CareResident>('/care/residents', admin, { body: { gridId: GRID, name: '冯奶奶', birthDate: '1939-09-09', livingAlone: true } });
    const get = async () => (await api<CareIndicatorsReply>(`/care/indicators?regionId=${GRID}`, admin)).body.region;
    const before = await get();
    await api('/visits', admin, { body: { residentId: lone.body.id, visitedAt: clock.toISOString(), visitorName: '网格员', outcome: 'well' } });
    const after = await get();
    expect(after.livingAlone).toBe(before.livingAlone);
    expect(after.isolationRate!).toBeCloseTo(before.isolationRate! - 1 / before.livingAlone);
    const comm = await api<CareIndicatorsReply>(`/care/indicators?regionId=${COMMUNITY}`, admin);
    expect(comm.body.children.some((c) => c.regionId === GRID)).toBe(true);
    expect(comm.body.attendanceTrend).toHaveLength(8);
  });

  it('a resident who moved to another grid keeps the visits made before the move: not shown overdue nor isolated there', async () => {
    const NEW_GRID = '510108001002002';
    const lone = await api<CareResident>('/care/residents', admin, { body: { gridId: GRID, name: '冯爷爷', birthDate: '1938-02-02', livingAlone: true } });
    await api('/visits', admin, { body: { residentId: lone.body.id, visitedAt: clock.toISOString(), visitorName: '网格员', outcome: 'well' } });
    const moved = await api<CareResident>(`/care/residents/${lone.body.id}`, admin, { method: 'PUT', body: { gridId: NEW_GRID, name: '冯爷爷', birthDate: '1938-02-02', livingAlone: true } });
    expect(moved.status).toBe(200);
    const schedule = await api<{ schedule: { resident: { id: string }; lastVisitAt: string | null; overdue: boolean }[] }>(`/visits/schedule?regionId=${NEW_GRID}`, admin);
    expect(schedule.body.schedule.find((x) => x.resident.id === lone.body.id)).toMatchObject({ lastVisitAt: clock.toISOString(), overdue: false });
    const grid = (await api<CareIndicatorsReply>(`/care/indicators?regionId=${NEW_GRID}`, admin)).body.region;
    // The grid's own figures agree with the district's view of it, which sees the visit.
    const fromDistrict = (await api<CareIndicatorsReply>(`/care/indicators?regionId=510108`, admin)).body.children.find((c) => c.regionId === NEW_GRID);
    expect(fromDistrict).toBeDefined();
    expect({ isolation: grid.isolationRate, overdue: grid.overdueVisits }).toEqual({ isolation: fromDistrict?.isolationRate, overdue: fromDistrict?.overdueVisits });
  });

  it('a wall gets aggregates only: nothing person-level on its socket or in its REST replies', async () => {
    const ind = await wallGet(`/care/indicators`);
    expect(ind.status).toBe(200);
    const w = ind.body as WallCareReply;
    expect(w.children.length).toBeGreaterThan(24);
    const all = [w.region, ...w.children];
    expect(all.every((c) => ['residents', 'livingAlone', 'overdueVisits', 'visits30d'].every((k) => { const v = c[k as 'residents']; return v === '<5' || v === 0 || (typeof v === 'number' && v >= 5); }))).toBe(true);
    expect((await wallGet(`/activities?regionId=${COMMUNITY}`)).status).toBe(200);
    expect((await wallGet(`/activities.ics?regionId=${COMMUNITY}`)).status).toBe(200);
    expect((await wallGet(`/volunteers/hours`)).status).toBe(200);
    for (const p of [`/care/residents`, `/visits`, `/visits/schedule`, `/volunteers/entries`, `/activities/${activity.id}/registrations`]) expect((await wallGet(p)).status).toBe(403);
    expect((await wallGet(`/incidents?regionId=${GRID}`)).status).toBe(200);
    await sleep(300);
    const seen = wallSeen.join('\n');
    expect(seen).toContain('care:changed');
    expect(seen).toContain('elderly_care');
    for (const s of SECRETS) expect(seen, s).not.toContain(s);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentReport } from '#common/incidents/types';
import { ADMIN_PASSWORD, collectChanges, connected, event, ingest, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

/** Fri 2026-03-06 14:00 in China Standard Time: a 4-working-hour case dispatched now is due Mon 09:30. */
const cst = (local: string): Date => new Date(`${local}+08:00`);
let clock = cst('2026-03-06T14:00:00');

let app: Running;
let admin: string;
const headers = (token: string, more: Record<string, string> = {}) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...more });
const open: ClientSocket[] = [];

beforeAll(async () => {
  // The loop's own timer is slow here: the tests run its rounds themselves with tick(), at instants they choose.
  app = await startApp({ ESCALATION_INTERVAL_MS: '3600000', LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' }, undefined, { now: () => clock });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  for (const s of open) s.disconnect();
  await app.stop();
});

async function user(username: string, role: string): Promise<{ id: string; token: string }> {
  const res = await fetch(`${app.url}/api/users`, {
    method: 'POST',
    headers: headers(admin),
    body: JSON.stringify({ username, displayName: username, password: ADMIN_PASSWORD, role, regionId: app.regions.root.id }),
  });
  const created = (await res.json()) as { id: string };
  return { id: created.id, token: (await login(app.url, username, ADMIN_PASSWORD)).token };
}

async function read(id: string, token = admin) {
  const res = await fetch(`${app.url}/api/incidents/${id}`, { headers: headers(token) });
  return (await res.json()) as { incident: Incident; history: HistoryEntry[]; reports: IncidentReport[]; actors?: Record<string, string> };
}

interface ActReply {
  incident: Incident;
  entry: HistoryEntry;
  error?: { code: string; message: string; current?: Incident; lastChange?: { action: string; actorId: string; at: string } };
}

async function act(id: string, body: Record<string, unknown>, token = admin, key?: string) {
  const version = body.version ?? (await read(id, token)).incident.version;
  const res = await fetch(`${app.url}/api/incidents/${id}/actions`, {
    method: 'POST',
    headers: headers(token, key ? { 'Idempotency-Key': key } : {}),
    body: JSON.stringify({ ...body, version }),
  });
  return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as ActReply };
}

async function newIncident(n: number, over: Parameters<typeof event>[1] = {}): Promise<string> {
  const res = (await (await ingest(app.url, event(n, over))).json()) as { results: { id: string }[] };
  return res.results[0]!.id;
}

describe('optimistic concurrency', () => {
  it('numbers versions: 1 when created, +1 for a merged report and for every action, in REST and socket payloads', async () => {
    const s = socketFor(app.url, admin);
    open.push(s);
    await connected(s);
    await s.emitWithAck('scope:subscribe', {});
    const created = collectChanges(s, 1);
    const id = await newIncident(100);
    expect((await created)[0]!.incident.version).toBe(1);
    expect((await read(id)).incident).toMatchObject({ version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null });
    const merged = collectChanges(s, 1);
    await ingest(app.url, event(100, { externalId: 'ext-100-b' }));
    expect((await merged)[0]!.incident).toMatchObject({ id, version: 2, reportCount: 2 });
    const updated = collectChanges(s, 1);
    const r = await act(id, { action: 'verify', version: 2 });
    expect(r.body.incident.version).toBe(3);
    expect(r.body.entry.version).toBe(3);
    expect((await updated)[0]!.incident.version).toBe(3);
  });

  it('two dispatchers acting on one incident at once: exactly one succeeds, the other gets 409 incident/conflict naming who and how', async () => {
    const [d1, d2] = [await user('disp-one', 'dispatcher'), await user('disp-two', 'dispatcher')];
    for (let round = 0; round < 5; round++) {
      const id = await newIncident(200 + round);
      const { version } = (await read(id)).incident;
      const replies = await Promise.all([
        act(id, { action: 'verify', version }, d1.token),
        act(id, { action: 'verify', version }, d2.token),
      ]);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = replies.find((r) => r.status === 200)!;
      const loser = replies.find((r) => r.status === 409)!;
      expect(loser.body.error).toMatchObject({
        code: 'incident/conflict',
        current: { id, version: version + 1, status: 'verifying' },
        lastChange: { action: 'verify', actorId: winner.body.entry.actorId, actorName: winner.body.entry.actorId === d1.id ? 'disp-one' : 'disp-two', at: winner.body.entry.at },
      });
      expect([d1.id, d2.id]).toContain(winner.body.entry.actorId);
      const after = await read(id);
      expect(after.history.filter((h) => h.action === 'verify')).toHaveLength(1);
      // The history names who acted by display name, for the drawer.
      expect(after.actors).toEqual({ [winner.body.entry.actorId]: winner.body.entry.actorId === d1.id ? 'disp-one' : 'disp-two' });
    }
  });

  it('names a report merged in meanwhile as the last change, and projects the current incident for the caller', async () => {
    const leader = await user('leader-conflict', 'leader');
    const id = await newIncident(300, { reporter: { name: '张伟', phone: '13900001111' } });
    await ingest(app.url, event(300, { externalId: 'ext-300-b' }));
    const r = await act(id, { action: 'acknowledge', version: 1 }, leader.token);
    expect(r.status).toBe(409);
    expect(r.body.error?.lastChange).toMatchObject({ action: 'report_merged', actorId: 'hotline' });
    expect(r.body.error?.current?.reporter).toEqual({ name: '张*', phone: '139****1111' });
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for a retry and changes nothing twice, even for concurrent duplicates', async () => {
    const id = await newIncident(400);
    const first = await act(id, { action: 'verify', version: 1 }, admin, 'retry-400');
    expect(first.status).toBe(200);
    const again = await act(id, { action: 'verify', version: 1 }, admin, 'retry-400');
    expect(again).toMatchObject({ status: 200, replayed: 'true' });
    expect(again.body).toEqual(first.body);
    const burst = await Promise.all(Array.from({ length: 6 }, () => act(id, { action: 'file', version: 2 }, admin, 'burst-400')));
    expect(burst.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(new Set(burst.map((r) => JSON.stringify(r.body))).size).toBe(1);
    const { history, incident } = await read(id);
    expect(history.map((h) => h.action)).toEqual(['verify', 'file']);
    expect(incident.version).toBe(3);
  });

  it('refuses a key reused for another request, a malformed key, and keeps keys per user', async () => {
    const id = await newIncident(410);
    expect((await act(id, { action: 'verify', version: 1 }, admin, 'k-410')).status).toBe(200);
    expect((await act(id, { action: 'acknowledge', version: 2 }, admin, 'k-410')).body.error?.code).toBe('idempotency/mismatch');
    expect((await act(id, { action: 'acknowledge', version: 2 }, admin, 'x'.repeat(129))).body.error?.code).toBe('idempotency/bad_key');
    const other = await user('disp-keys', 'dispatcher');
    const theirs = await act(id, { action: 'acknowledge', version: 2 }, other.token, 'k-410');
    expect(theirs.status).toBe(200);
    expect(theirs.body.entry).toMatchObject({ action: 'acknowledge', actorId: other.id });
  });
});

describe('co-dispatch, merge and split', () => {
  it('dispatches with assisting parties, shown in the history entry; refuses a malformed party id', async () => {
    const id = await newIncident(500);
    await act(id, { action: 'verify' });
    await act(id, { action: 'file' });
    const bad = await act(id, { action: 'dispatch', assigneeId: 'gw-510108003002001', assistingPartyIds: ['物业 公司'] });
    expect(bad.body.error?.code).toBe('incident/unknown_party');
    const unknown = await act(id, { action: 'dispatch', assigneeId: 'gw-510108003002001', assistingPartyIds: ['PTY-none'] });
    expect(unknown.body.error?.code).toBe('incident/unknown_party');
    const parties = (await (await fetch(`${app.url}/api/parties`, { headers: headers(admin) })).json()) as { items: { id: string }[] };
    const ids = parties.items.slice(0, 2).map((p) => p.id);
    expect(ids).toHaveLength(2);
    const r = await act(id, { action: 'dispatch', assigneeId: 'gw-510108003002001', assistingPartyIds: ids });
    expect(r.status).toBe(200);
    expect(r.body.incident.assistingPartyIds).toEqual(ids);
    expect((await read(id)).history.at(-1)).toMatchObject({ action: 'dispatch', assistingPartyIds: ids });
  });

  it('merges one incident into another (it keeps the reports) and splits a report off again, both in both histories', async () => {
    const keep = await newIncident(600);
    await ingest(app.url, event(600, { externalId: 'ext-600-b' }));
    const dup = await newIncident(610, { severity: 'high' });
    const merged = await act(dup, { action: 'merge', targetId: keep, note: '同一事件' });
    expect(merged.status).toBe(200);
    expect(merged.body.incident).toMatchObject({ id: dup, status: 'rejected', mergedInto: keep });
    const kept = await read(keep);
    expect(kept.incident).toMatchObject({ reportCount: 3, severity: 'high', version: 3 });
    expect(kept.reports.map((r) => r.externalId)).toEqual(['ext-600', 'ext-600-b', 'ext-610']);
    expect(kept.reports.every((r) => r.incidentId === keep)).toBe(true);
    expect(kept.history.at(-1)).toMatchObject({ action: 'merge', relatedIncidentId: dup, note: '同一事件' });
    expect((await read(dup)).history.at(-1)).toMatchObject({ action: 'merge', relatedIncidentId: keep, to: 'rejected' });
    expect((await read(dup)).reports).toEqual([]);
    // A rejected (merged) incident cannot take part any more; nor can an incident merge into itself.
    expect((await act(dup, { action: 'merge', targetId: keep })).body.error?.code).toBe('incident/invalid_transition');
    expect((await act(keep, { action: 'merge', targetId: dup })).body.error?.code).toBe('incident/bad_target');
    expect((await act(keep, { action: 'merge', targetId: 'INC-00000000-999999' })).body.error?.code).toBe('incident/bad_target');

    const report = kept.reports.find((r) => r.externalId === 'ext-610')!;
    const split = await act(keep, { action: 'split', reportId: report.id, note: '误合并' });
    expect(split.status).toBe(200);
    expect(split.body.incident.reportCount).toBe(2);
    const newId = split.body.entry.relatedIncidentId!;
    const made = await read(newId);
    // ext-610 first opened `dup`, which still holds the key: the new incident leaves it to the report row.
    expect(made.incident).toMatchObject({ status: 'reported', connectorId: 'hotline', externalId: null, reportCount: 1, version: 1, assigneeId: null });
    expect(made.reports.map((r) => [r.externalId, r.incidentId])).toEqual([['ext-610', newId]]);
    expect(made.history).toMatchObject([{ action: 'split', relatedIncidentId: keep, reportId: report.id }]);
    expect((await read(keep)).reports.map((r) => r.externalId)).toEqual(['ext-600', 'ext-600-b']);
    expect((await act(keep, { action: 'split', reportId: '999999999' })).body.error?.code).toBe('incident/unknown_report');
    // The same upstream message delivered again is still a duplicate of the incident it now belongs to.
    const again = (await (await ingest(app.url, event(610, { severity: 'high' }))).json()) as { results: { id: string; duplicate: boolean }[] };
    expect(again.results[0]).toMatchObject({ id: newId, duplicate: true });
  });
});

describe('SLA escalation ladder with a controllable clock', () => {
  it('reminds, warns and escalates a 4-working-hour case dispatched on a Friday afternoon at the right working-time instants', async () => {
    clock = cst('2026-03-06T14:00:00');
    const worker = await user('worker-sla', 'worker');
    const leader = await user('leader-sla', 'leader');
    const sockets = { worker: socketFor(app.url, worker.token), leader: socketFor(app.url, leader.token), wall: socketFor(app.url, null) };
    const wallToken = ((await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string }).token;
    sockets.wall = socketFor(app.url, wallToken);
    open.push(...Object.values(sockets));
    await Promise.all(Object.values(sockets).map(connected));
    const got = { worker: [] as string[], leader: [] as string[], wall: [] as string[] };
    const id = await newIncident(700);
    for (const who of ['worker', 'leader', 'wall'] as const) {
      sockets[who].on('incident:escalated', (p) => {
        if (p.incidentId === id) got[who].push(`${p.stage}@${p.at}`);
      });
    }
    await act(id, { action: 'verify' });
    await act(id, { action: 'file' });
    const d = await act(id, { action: 'dispatch', assigneeId: worker.id });
    expect(d.body.incident.dueAt).toBe(cst('2026-03-09T09:30:00').toISOString());

    const at = async (local: string) => {
      clock = cst(local);
      await app.escalation.tick();
      await new Promise((r) => setTimeout(r, 100));
    };
    const stamp = (stage: string, local: string) => `${stage}@${cst(local).toISOString()}`;
    await at('2026-03-06T15:59:00');
    expect(got.worker).toEqual([]);
    await at('2026-03-06T16:00:00');
    expect(got.worker).toEqual([stamp('reminded', '2026-03-06T16:00:00')]);
    await at('2026-03-06T17:11:00');
    await at('2026-03-06T17:12:00');
    await at('2026-03-07T12:00:00'); // Saturday: nothing
    await at('2026-03-09T09:30:00'); // the deadline itself is still on time
    expect((await app.store.incidents.kpis(app.regions.root.id, clock)).overdue).toBe(0);
    await at('2026-03-09T09:31:00');
    await at('2026-03-09T10:00:00'); // nothing twice
    expect(got.leader).toEqual([
      stamp('reminded', '2026-03-06T16:00:00'),
      stamp('warned', '2026-03-06T17:12:00'),
      stamp('overdue', '2026-03-09T09:31:00'),
    ]);
    expect(got.worker).toEqual([stamp('reminded', '2026-03-06T16:00:00')]);
    expect(got.wall).toEqual([]);
    const { incident, history } = await read(id);
    expect(incident.slaStage).toBe('overdue');
    expect(history.filter((h) => h.action === 'escalate').map((h) => [h.slaStage, h.actorId, h.at])).toEqual([
      ['reminded', 'system', cst('2026-03-06T16:00:00').toISOString()],
      ['warned', 'system', cst('2026-03-06T17:12:00').toISOString()],
      ['overdue', 'system', cst('2026-03-09T09:31:00').toISOString()],
    ]);
    // The wall's 超期 KPI counts it: open incidents past their deadline, as the list says.
    const all = (await app.store.incidents.list({ regionId: app.regions.root.id }, { limit: 500 })).items;
    const pastDue = all.filter((i) => !['closed', 'rejected'].includes(i.status) && i.dueAt && Date.parse(i.dueAt) < clock.getTime());
    expect(pastDue.map((i) => i.id)).toContain(id);
    expect((await app.store.incidents.kpis(app.regions.root.id, clock)).overdue).toBe(pastDue.length);

    // A leader urges (督办): a history entry and an `urged` push to staff and the assignee.
    const urged = await act(id, { action: 'urge', note: '请今日办结' }, leader.token);
    expect(urged.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    expect(got.worker.at(-1)).toMatch(/^urged@/);
    expect(got.leader.at(-1)).toMatch(/^urged@/);

    // The worker asks for more time; the approved deadline restarts the ladder.
    expect((await act(id, { action: 'request_extension', note: '等待配件' }, worker.token)).status).toBe(200);
    const approved = await act(id, { action: 'approve_extension', dueAt: cst('2026-03-11T17:30:00').toISOString() }, leader.token);
    expect(approved.body.incident).toMatchObject({ slaStage: null, extension: null, dueAt: cst('2026-03-11T17:30:00').toISOString() });
    await at('2026-03-11T15:30:00');
    expect(got.worker.at(-1)).toBe(stamp('reminded', '2026-03-11T15:30:00'));
    expect(got.wall).toEqual([]);
  });
});

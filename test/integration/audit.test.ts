import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '#common/audit/types';
import type { Incident } from '#common/incidents/types';
import { collectChanges, connected, createPgSchema, event, ingest, login, requireEnv, socketFor, startApp, type PgSchema, type Running } from './helpers';
import { until } from '../fixtures/connectors/helpers';

/** The append-only audit log: unmasked reporter reads, admin actions, case actions; GET /api/audit (issue 13). */
let app: Running;
let admin: string;
let leader: string;
let incidentId: string;
let pgSchema: PgSchema | null = null;

beforeAll(async () => {
  // On PostgreSQL the test keeps the schema URL, to try an UPDATE behind the server's back.
  pgSchema = process.env.TEST_STORE === 'postgres' ? await createPgSchema(requireEnv('TEST_POSTGRES_URL')) : null;
  app = await startApp(pgSchema ? { DATABASE_URL: pgSchema.url } : {});
  admin = (await login(app.url)).token;
  const res = await call('/users', admin, 'POST', { username: 'leader1', displayName: '李组长', password: 'Password-123', role: 'leader', regionId: app.regions.root.id });
  expect(res.status).toBe(201);
  leader = (await login(app.url, 'leader1', 'Password-123')).token;
  const ing = await ingest(app.url, event(1, { reporter: { name: '刘德明', phone: '13900001111' }, address: '建设北路 9 号' }));
  incidentId = ((await ing.json()) as { results: { id: string }[] }).results[0]!.id;
});
afterAll(async () => {
  await app.stop();
  await pgSchema?.drop();
});

function call(path: string, token: string, method = 'GET', body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
async function audit(query: string, token = admin): Promise<AuditPage> {
  const res = await call(`/audit?${query}`, token);
  expect(res.status).toBe(200);
  return (await res.json()) as AuditPage;
}

describe('audit log', () => {
  it('an unmasked reporter read leaves an entry with actor, time, target, address and user agent; a masked read does not', async () => {
    const t0 = Date.now();
    const res = await call(`/incidents/${incidentId}`, admin, 'GET', undefined, { 'User-Agent': 'audit-test/1.0' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { incident: Incident }).incident.reporter?.phone).toBe('13900001111');
    const page = await audit(`action=incident.reporter_read&target=incident:${incidentId}`);
    expect(page.items).toHaveLength(1);
    const e = page.items[0]!;
    expect(e).toMatchObject({ actorName: 'admin', actorRole: 'admin', action: 'incident.reporter_read', target: `incident:${incidentId}`, userAgent: 'audit-test/1.0' });
    expect(e.ip).toMatch(/127\.0\.0\.1/);
    expect(Date.parse(e.at)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(e.detail).toEqual({ reporters: 1 });
    // A leader sees it masked: nothing to audit.
    expect((await call(`/incidents/${incidentId}`, leader)).status).toBe(200);
    expect((await audit(`action=incident.reporter_read&target=incident:${incidentId}`)).items).toHaveLength(1);
  });

  it('records unmasked reads of the care registry and of a worker\'s track; a masked read leaves none', async () => {
    const root = app.regions.root.id;
    const full = await call(`/care/residents?regionId=${root}`, admin);
    expect(full.status).toBe(200);
    const read = (await audit('action=care.care_resident_read')).items;
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ actorName: 'admin', target: `region:${root}` });
    expect((read[0]!.detail as { count: number }).count).toBeGreaterThan(0);
    expect((await call(`/care/residents?regionId=${root}`, leader)).status).toBe(200);
    expect((await audit('action=care.care_resident_read')).items).toHaveLength(1);

    const workers = (await (await call('/workers', admin)).json()) as { items: { id: string }[] };
    const w = workers.items[0]!.id;
    const day = new Date().toISOString().slice(0, 10);
    expect((await call(`/workers/${w}/track?date=${day}`, admin)).status).toBe(200);
    expect((await audit(`action=worker.track_read&target=worker:${w}`)).items).toHaveLength(1);
  });

  it('records case actions and admin actions with their outcome, and filters by actor, action prefix and time', async () => {
    const inc = ((await (await call(`/incidents/${incidentId}`, admin)).json()) as { incident: Incident }).incident;
    expect((await call(`/incidents/${incidentId}/actions`, admin, 'POST', { action: 'verify', version: inc.version, note: '已核实 13900001111' })).status).toBe(200);
    const me = ((await (await call('/auth/me', leader)).json()) as { id: string }).id;
    expect((await call(`/users/${me}`, admin, 'PATCH', { displayName: '李四' })).status).toBe(200);
    expect((await call(`/users/${me}`, admin, 'PATCH', { role: 'wall' })).status).toBe(400);

    const cases = await audit('action=case.*');
    expect(cases.items[0]).toMatchObject({ action: 'case.action', target: `incident:${incidentId}`, detail: { action: 'verify', version: inc.version, status: 200 } });
    // The note (which may name a resident) is not copied into the log.
    expect(JSON.stringify(cases.items)).not.toContain('13900001111');
    const updates = await audit(`action=user.update&target=user:${me}`);
    expect(updates.items.map((e) => e.detail)).toEqual([{ role: 'wall', status: 400 }, { displayName: '李四', status: 200 }]);
    expect((await audit('actor=admin&action=user.update')).items).toHaveLength(2);
    expect((await audit('actor=leader1')).items).toHaveLength(0);
    expect((await audit(`from=${new Date(Date.now() + 60_000).toISOString()}`)).items).toHaveLength(0);
    expect((await call('/audit?from=yesterday', admin)).status).toBe(400);
  });

  it('records an admin or case action however its path is spelled (Express routes /api/USERS/x/ to /users/x)', async () => {
    const res = await call('/users', admin, 'POST', { username: 'spelled1', displayName: '王五', password: 'Password-123', role: 'leader', regionId: app.regions.root.id });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { id: string }).id;
    expect((await call(`/USERS/${id}/`, admin, 'PATCH', { displayName: '王六' })).status).toBe(200);
    expect((await call(`/Users/${id}/Password-Reset/`, admin, 'POST')).status).toBe(200);
    const ing = await ingest(app.url, event(77));
    const caseId = ((await ing.json()) as { results: { id: string }[] }).results[0]!.id;
    const inc = ((await (await call(`/incidents/${caseId}`, admin)).json()) as { incident: Incident }).incident;
    expect((await call(`/Incidents/${caseId}/Actions/`, admin, 'POST', { action: 'verify', version: inc.version })).status).toBe(200);

    expect((await audit(`action=user.update&target=user:${id}`)).items.map((e) => e.detail)).toEqual([{ displayName: '王六', status: 200 }]);
    expect((await audit(`action=user.password_reset&target=user:${id}`)).items).toHaveLength(1);
    expect((await audit(`action=case.action&target=incident:${caseId}`)).items[0]).toMatchObject({ detail: { action: 'verify', status: 200 } });
  });

  it('pages newest first with a cursor, admins only', async () => {
    const all = await audit('limit=500');
    expect(all.items.length).toBeGreaterThanOrEqual(5);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: AuditPage = await audit(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((e) => e.id));
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect((await call('/audit', leader)).status).toBe(403);
  });

  it('is region-scoped: a street admin sees entries about their street and their own actions; a root admin sees all', async () => {
    const inc = ((await (await call(`/incidents/${incidentId}`, admin)).json()) as { incident: Incident }).incident;
    const home = inc.gridId!.slice(0, 9); // the incident's street
    const away = ['510108001', '510108002', '510108003'].find((s) => s !== home)!;
    for (const [username, regionId] of [['adm-home', home], ['adm-away', away]] as const) {
      expect((await call('/users', admin, 'POST', { username, displayName: username, password: 'Password-123', role: 'admin', regionId })).status).toBe(201);
    }
    const homeAdmin = (await login(app.url, 'adm-home', 'Password-123')).token;
    const awayAdmin = (await login(app.url, 'adm-away', 'Password-123')).token;
    // The away admin tries a case action outside their scope (refused, audited, about the incident's street),
    // and creates a worker in their own street.
    expect((await call(`/incidents/${incidentId}/actions`, awayAdmin, 'POST', { action: 'verify', version: inc.version })).status).toBe(404);
    expect((await call('/users', awayAdmin, 'POST', { username: 'worker-away', displayName: '网格员', password: 'Password-123', role: 'worker', regionId: away })).status).toBe(201);
    // A deployment-wide change by the root admin.
    expect((await call(`/holidays/2099`, admin, 'PUT', { days: [{ date: '2099-10-01', kind: 'holiday', name: '国庆节' }] })).status).toBe(200);

    const all = (await audit('limit=500')).items;
    expect(all.find((e) => e.action === 'holiday.update')).toMatchObject({ regionId: null });
    expect(all.find((e) => e.action === 'incident.reporter_read' && e.target === `incident:${incidentId}`)).toMatchObject({ regionId: inc.gridId });
    expect(all.find((e) => e.action === 'user.create' && e.target === 'username:adm-away')).toMatchObject({ regionId: away });

    const seenBy = async (token: string) => (await audit('limit=500', token)).items;
    const within = (id: string | null, scope: string) => id !== null && id.startsWith(scope);
    const homeSees = await seenBy(homeAdmin);
    const awaySees = await seenBy(awayAdmin);
    const meAway = ((await (await call('/auth/me', awayAdmin)).json()) as { id: string }).id;
    // Exactly the entries about their street, plus their own: nothing deployment-wide, nothing of the other street.
    expect(homeSees.map((e) => e.id)).toEqual(all.filter((e) => within(e.regionId, home)).map((e) => e.id));
    expect(awaySees.map((e) => e.id)).toEqual(all.filter((e) => within(e.regionId, away) || e.actorId === meAway).map((e) => e.id));
    expect(homeSees.some((e) => e.action === 'incident.reporter_read' && e.target === `incident:${incidentId}`)).toBe(true);
    expect(homeSees.some((e) => e.action === 'holiday.update')).toBe(false);
    // The away admin's refused attempt on the home street's case: the home admin sees it, and so does its actor.
    const attempt = (e: AuditEntry) => e.action === 'case.action' && e.actorId === meAway;
    expect(homeSees.filter(attempt)).toHaveLength(1);
    expect(awaySees.filter(attempt)).toHaveLength(1);
    expect(awaySees.some((e) => e.action === 'incident.reporter_read')).toBe(false);
    expect(awaySees.some((e) => e.action === 'user.create' && e.target === 'username:worker-away')).toBe(true);
    expect(homeSees.some((e) => e.action === 'user.create' && e.target === 'username:worker-away')).toBe(false);
    // Filters narrow within the scope; the root admin's view is the whole log.
    expect((await audit('action=holiday.update', homeAdmin)).items).toHaveLength(0);
    expect((await audit('action=holiday.update')).items).toHaveLength(1);
  });

  it('a list reply with unmasked reporters leaves one entry naming those incidents; a masked list leaves none', async () => {
    const before = (await audit('action=incident.reporter_list_read')).items.length;
    const list = (await (await call('/incidents?limit=50', admin)).json()) as { items: Incident[] };
    expect(list.items.find((i) => i.id === incidentId)?.reporter?.phone).toBe('13900001111');
    const entries = (await audit('action=incident.reporter_list_read')).items;
    expect(entries).toHaveLength(before + 1);
    const withReporter = list.items.filter((i) => i.reporter && (i.reporter.name !== null || i.reporter.phone !== null)).map((i) => i.id);
    expect(entries[0]).toMatchObject({ actorName: 'admin', regionId: app.regions.root.id, detail: { via: 'list', count: withReporter.length, ids: withReporter } });
    expect(withReporter).toContain(incidentId);
    // A leader's list is masked: nothing to audit.
    const masked = (await (await call('/incidents?limit=50', leader)).json()) as { items: Incident[] };
    expect(masked.items.find((i) => i.id === incidentId)?.reporter?.phone).toBe('139****1111');
    expect((await audit('action=incident.reporter_list_read')).items).toHaveLength(before + 1);

    // The replay is a list too: the admin's view of the open cases now names ours; the leader's leaves nothing.
    const at = encodeURIComponent(new Date().toISOString());
    expect((await call(`/replay?at=${at}`, leader)).status).toBe(200);
    expect((await audit('action=incident.reporter_list_read')).items).toHaveLength(before + 1);
    const replay = (await (await call(`/replay?at=${at}`, admin)).json()) as { incidents: Incident[] };
    expect(replay.incidents.find((i) => i.id === incidentId)?.reporter?.phone).toBe('13900001111');
    const [latest] = (await audit('action=incident.reporter_list_read')).items;
    expect(latest).toMatchObject({ actorName: 'admin', detail: { via: 'replay' } });
    expect((latest!.detail as { ids: string[] }).ids).toContain(incidentId);
  });

  it('sockets: snapshots and pushes with unmasked reporters are recorded coalesced, one entry per socket, each incident once', async () => {
    const watch = async (token: string) => {
      const s = socketFor(app.url, token);
      await connected(s);
      const snap = (await s.emitWithAck('scope:subscribe', { regionId: app.regions.root.id })) as { ok: boolean; data: { incidents: Incident[] } };
      expect(snap.ok).toBe(true);
      return { s, snapshot: snap.data.incidents };
    };
    const full = await watch(admin);
    const masked = await watch(leader);
    expect(full.snapshot.find((i) => i.id === incidentId)?.reporter?.phone).toBe('13900001111');
    expect(masked.snapshot.find((i) => i.id === incidentId)?.reporter?.phone).toBe('139****1111');
    const pushedFull = collectChanges(full.s, 3);
    const pushedMasked = collectChanges(masked.s, 3);
    const ids: string[] = [];
    for (const n of [40, 41, 42]) {
      const r = (await (await ingest(app.url, event(n, { reporter: { name: `王${n}号`, phone: `1390000${String(n).padStart(4, '0')}` } }))).json()) as { results: { id: string }[] };
      ids.push(r.results[0]!.id);
    }
    expect((await pushedFull).map((c) => c.incident.reporter?.name)).toEqual(['王40号', '王41号', '王42号']);
    await pushedMasked;
    const before = (await audit('action=incident.reporter_push')).items.length;
    expect(before).toBe(0); // held for the socket's window, not one entry per push
    full.s.disconnect();
    masked.s.disconnect();
    // The socket closed: its window is recorded at once.
    let entries: AuditEntry[] = [];
    await until(async () => (entries = (await audit('action=incident.reporter_push')).items).length > 0, 5000, 'socket entry');
    expect(entries).toHaveLength(1);
    const e = entries[0]!;
    expect(e).toMatchObject({ actorName: 'admin', actorRole: 'admin', regionId: app.regions.root.id });
    const d = e.detail as { ids: string[]; count: number; reads: number };
    expect(d.ids).toContain(incidentId);
    for (const id of ids) expect(d.ids).toContain(id);
    expect(new Set(d.ids).size).toBe(d.ids.length);
    expect(d.count).toBe(d.ids.length);
    expect(d.reads).toBeGreaterThanOrEqual(2); // the snapshot and at least one push, in one entry
    expect(entries.some((x) => x.actorRole === 'leader')).toBe(false);
  });

  it('is append-only in the database itself: UPDATE and DELETE are refused', async () => {
    if (app.store.kind === 'sqlite') {
      const db = new Database(join(app.dataDir, 'gridops.sqlite'));
      try {
        expect(() => db.prepare("UPDATE audit_log SET action = 'x'").run()).toThrow(/append-only/);
        expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
      } finally {
        db.close();
      }
    } else {
      const client = new pg.Client({ connectionString: pgSchema!.url });
      await client.connect();
      try {
        await expect(client.query("UPDATE audit_log SET action = 'x'")).rejects.toThrow(/append-only/);
        await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
        await expect(client.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
      } finally {
        await client.end();
      }
    }
    expect((await audit('limit=1')).items).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentReport } from '#common/incidents/types';
import { collectChanges, connected, event, ingest, login, socketFor, startApp, type Running } from './helpers';

let app: Running;
let admin: string;
const auth = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

async function get<T>(path: string, token = admin): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}${path}`, { headers: auth(token) });
  return { status: res.status, body: (await res.json()) as T };
}

/** An action on the incident's current version (read first) unless the body names one. */
async function act(id: string, body: Record<string, unknown>, token = admin) {
  if (body.version === undefined) {
    const current = await get<{ incident?: Incident }>(`/api/incidents/${id}`);
    body = { ...body, version: current.body.incident?.version ?? 1 };
  }
  const res = await fetch(`${app.url}/api/incidents/${id}/actions`, { method: 'POST', headers: auth(token), body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as { incident: Incident; entry: HistoryEntry; error?: { code: string } } };
}

describe('incidents: merge, read API, case flow', () => {
  it('makes one incident with two reports of a smoke alarm and a hotline call about one building', async () => {
    const now = Date.now();
    const res = await ingest(app.url, {
      externalId: 'smoke-7-1', source: 'iot', category: 'fire', title: '烟感报警 7栋', location: { lng: 104.1012, lat: 30.6712 },
      reportedAt: new Date(now - 4 * 60_000).toISOString(),
    });
    const first = (await res.json()) as { results: { id: string }[] };
    const s = socketFor(app.url, admin);
    await connected(s);
    await s.emitWithAck('scope:subscribe', {});
    const pushed = collectChanges(s, 1);
    const call = await ingest(app.url, {
      externalId: 'HL-20261125-0042', source: 'hotline', category: 'fire', title: '7栋冒烟', location: { lng: 104.1014, lat: 30.6713 },
      reportedAt: new Date(now).toISOString(), reporter: { name: '张伟', phone: '13900001111' },
    });
    const second = (await call.json()) as { results: { id: string; merged: boolean }[] };
    expect(second.results[0]).toMatchObject({ ok: true, merged: true, id: first.results[0]!.id });
    const [change] = await pushed;
    expect(change).toMatchObject({ type: 'updated', incident: { id: first.results[0]!.id, reportCount: 2 } });
    const one = await get<{ incident: Incident; reports: IncidentReport[] }>(`/api/incidents/${first.results[0]!.id}`);
    expect(one.body.incident.reportCount).toBe(2);
    expect(one.body.reports.map((r) => [r.source, r.externalId])).toEqual([['iot', 'smoke-7-1'], ['hotline', 'HL-20261125-0042']]);
    s.disconnect();
  });

  it('makes one incident of the same upstream message delivered twice', async () => {
    const a = (await (await ingest(app.url, event(500))).json()) as { results: { id: string; duplicate: boolean }[] };
    const b = (await (await ingest(app.url, event(500))).json()) as { results: { id: string; duplicate: boolean }[] };
    expect(b.results[0]).toMatchObject({ id: a.results[0]!.id, duplicate: true });
    const list = await get<{ items: Incident[] }>(`/api/incidents?connector=hotline&limit=500`);
    expect(list.body.items.filter((i) => i.externalId === 'ext-500')).toHaveLength(1);
  });

  it('lists with filters and cursor paging, newest first, every item once', async () => {
    await ingest(app.url, Array.from({ length: 45 }, (_, i) => event(600 + i, { category: i % 3 === 0 ? 'dispute' : 'garbage_exposed' })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Incident[]; nextCursor: string | null } } = await get(`/api/incidents?category=dispute&limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      // Titles are category · place; the upstream's title opens the description.
      seen.push(...page.body.items.map((i) => i.description));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 15 }, (_, k) => `测试事件 ${600 + 42 - 3 * k}`));
    expect((await get(`/api/incidents?status=nope`)).status).toBe(400);
    expect((await get(`/api/incidents?cursor=garbage`)).status).toBe(400);
    const ranged = await get<{ items: Incident[] }>(`/api/incidents?from=${encodeURIComponent(event(610).reportedAt!)}&to=${encodeURIComponent(event(613).reportedAt!)}`);
    expect(ranged.body.items.map((i) => i.description)).toEqual(['测试事件 612', '测试事件 611', '测试事件 610']);
  });

  it('exports a filtered list as CSV with Chinese headers, formulas neutralised', async () => {
    await ingest(app.url, event(700, { address: '=HYPERLINK("x")', category: 'noise' }));
    const res = await fetch(`${app.url}/api/incidents.csv?category=noise`, { headers: auth(admin) });
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\n');
    expect(lines[0]).toMatch(/^事件编号,上报时间,来源,类别/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
    expect(lines[1]).toContain('噪音扰民');
  });

  it('runs the case flow with guards and keeps the full history', async () => {
    const created = (await (await ingest(app.url, event(800))).json()) as { results: { id: string }[] };
    const id = created.results[0]!.id;
    expect((await act(id, { action: 'dispatch', assigneeId: 'gw-510108003002001' })).body.error?.code).toBe('incident/invalid_transition');
    const unversioned = await fetch(`${app.url}/api/incidents/${id}/actions`, { method: 'POST', headers: auth(admin), body: JSON.stringify({ action: 'verify' }) });
    expect(unversioned.status).toBe(400);
    expect((await act(id, { action: 'verify' })).status).toBe(200);
    expect((await act(id, { action: 'reject' })).body.error?.code).toBe('incident/note_required');
    expect((await act(id, { action: 'file' })).status).toBe(200);
    expect((await act(id, { action: 'dispatch', assigneeId: 'nobody' })).body.error?.code).toBe('incident/unknown_assignee');
    const dispatched = await act(id, { action: 'dispatch', assigneeId: 'gw-510108003002001', note: '请尽快处理' });
    expect(dispatched.status).toBe(200);
    expect(dispatched.body.incident).toMatchObject({ status: 'dispatched', assigneeId: 'gw-510108003002001' });
    expect(Date.parse(dispatched.body.incident.dueAt!)).toBeGreaterThan(Date.now());
    const wall = (await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string };
    expect((await act(id, { action: 'return', note: 'x' }, wall.token)).status).toBe(403);
    const one = await get<{ history: HistoryEntry[] }>(`/api/incidents/${id}`);
    expect(one.body.history.map((h) => [h.action, h.from, h.to])).toEqual([
      ['verify', 'reported', 'verifying'],
      ['file', 'verifying', 'filed'],
      ['dispatch', 'filed', 'dispatched'],
    ]);
    expect(one.body.history[2]).toMatchObject({ note: '请尽快处理', actorRole: 'admin' });
  });
});

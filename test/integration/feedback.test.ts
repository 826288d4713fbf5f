/**
 * 回访: the hotline's callback result, the Open311 reporter's one-time link (/f/{token}) and what the analytics
 * make of them (满意率, 回复率).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsResponse } from '#common/analytics/api';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident } from '#common/incidents/types';
import { HOTLINE_KEY, KEYS, OPEN311_KEY } from '../fixtures/connectors/helpers';
import { login, startApp, type Running } from './helpers';

let app: Running;
let token: string;
let offsetMs = 0;
const run = randomBytes(4).toString('hex');
const now = () => new Date(Date.now() + offsetMs);
const WORKER = 'gw-510108001001001';

beforeAll(async () => {
  // The connector keys, and a clock the expiry test moves.
  app = await startApp({ INGEST_KEYS: KEYS }, undefined, { now });
  token = (await login(app.url)).token;
});
afterAll(async () => {
  await app.stop();
});

const auth = () => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });

async function act(id: string, action: string, input: Record<string, unknown> = {}): Promise<Incident> {
  const cur = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident };
  const res = await fetch(`${app.url}/api/incidents/${id}/actions`, { method: 'POST', headers: auth(), body: JSON.stringify({ action, version: cur.incident.version, ...input }) });
  const body = (await res.json()) as { incident: Incident };
  expect(res.status, `${action}: ${JSON.stringify(body)}`).toBe(200);
  return body.incident;
}

async function closeCase(id: string): Promise<Incident> {
  await act(id, 'verify');
  await act(id, 'file');
  await act(id, 'dispatch', { assigneeId: WORKER });
  await act(id, 'accept');
  await act(id, 'submit_feedback');
  await act(id, 'start_check');
  return act(id, 'check_pass');
}

async function hotlineCase(n: number): Promise<{ id: string; orderNo: string }> {
  const orderNo = `CB${run}${n}`;
  const res = await fetch(`${app.url}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY },
    body: JSON.stringify({
      orderNo, orderType: '投诉', category: '城市管理/市容环卫/垃圾清运不及时', content: `垃圾未清运 ${n}`,
      location: { lng: 104.1025 + n * 0.003, lat: 30.6676 }, coordSystem: 'WGS84',
    }),
  });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { results: { id: string }[] };
  return { id: body.results[0]!.id, orderNo };
}

async function open311Case(n: number): Promise<string> {
  const form = new URLSearchParams({ api_key: OPEN311_KEY, service_code: 'manhole_cover', lat: String(30.67 + n * 0.003), long: '104.1', description: `井盖缺失 ${run} ${n}`, device_id: `dev-${run}-${n}` });
  const res = await fetch(`${app.url}/open311/v2/requests.json`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  expect(res.status).toBe(200);
  return ((await res.json()) as { service_request_id: string }[])[0]!.service_request_id;
}

const callback = (orderNo: string, result: string) =>
  fetch(`${app.url}/api/ingest/hotline/callback`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY }, body: JSON.stringify({ orderNo, result }) });

type Open311Request = { service_request_id: string; status: string; status_notes: string };
const request311 = async (id: string, key: string | null): Promise<Open311Request> => {
  const res = await fetch(`${app.url}/open311/v2/requests/${id}.json${key ? `?api_key=${key}` : ''}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Open311Request[])[0]!;
};
const LINK = /\/f\/([A-Za-z0-9_-]{16,64})/;

/** The token the reporter's app reads from the closed request's status notes (made right after the closure). */
async function linkOf(closed: Incident): Promise<string> {
  for (let i = 0; ; i++) {
    const m = LINK.exec((await request311(closed.id, OPEN311_KEY)).status_notes);
    if (m) return m[1]!;
    if (i > 40) throw new Error(`no feedback link in the status notes of ${closed.id}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The link is made right after the closure is published: wait for it. */
async function getPage(t: string, want = 200): Promise<Response> {
  for (let i = 0; ; i++) {
    const res = await fetch(`${app.url}/f/${t}`);
    if (res.status === want || i > 40) return res;
    await new Promise((r) => setTimeout(r, 50));
  }
}

const answer = (t: string, result: string) =>
  fetch(`${app.url}/f/${t}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `result=${result}` });

describe('回访 through the hotline callback', () => {
  it('不满意 reopens the closed case (发回重办), in its history; a second callback on the open case is refused', async () => {
    const { id, orderNo } = await hotlineCase(1);
    const closed = await closeCase(id);
    const res = await callback(orderNo, '不满意');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, id, status: 'dispatched' });
    const body = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident };
    expect(body.incident).toMatchObject({ status: 'dispatched', assigneeId: WORKER, dueAt: closed.dueAt, verdict: { result: 'unsatisfied', channel: 'hotline' } });
    const { history } = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { history: HistoryEntry[] };
    expect(history.at(-1)).toMatchObject({ action: 'revisit_rework', from: 'closed', to: 'dispatched', actorId: 'hotline', actorRole: 'system', verdict: { result: 'unsatisfied' } });
    const again = await callback(orderNo, '满意');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: 'hotline/not_closed' } });
  });

  it('满意 is recorded on the closed case; unknown orders and other keys are refused', async () => {
    const { id, orderNo } = await hotlineCase(2);
    await closeCase(id);
    const res = await callback(orderNo, '基本满意');
    expect(await res.json()).toMatchObject({ ok: true, id, status: 'closed' });
    expect((await callback(`nope-${run}`, '满意')).status).toBe(404);
    expect((await callback(orderNo, '还行')).status).toBe(400);
    const wrongKey = await fetch(`${app.url}/api/ingest/hotline/callback`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': OPEN311_KEY }, body: JSON.stringify({ orderNo, result: '满意' }) });
    expect(wrongKey.status).toBe(403);
  });
});

describe('回访 through the one-time feedback link', () => {
  it('answers once, then refuses', async () => {
    const id = await open311Case(1);
    const closed = await closeCase(id);
    const t = await linkOf(closed);
    const page = await getPage(t);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('满意');
    expect(html).toContain('不满意');
    expect(html).toContain(`action="/f/${t}"`);
    const first = await answer(t, 'satisfied');
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('感谢');
    const second = await answer(t, 'unsatisfied');
    expect(second.status).toBe(410);
    expect((await fetch(`${app.url}/f/${t}`)).status).toBe(410);
    const inc = ((await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident }).incident;
    expect(inc).toMatchObject({ status: 'closed', verdict: { result: 'satisfied', channel: 'open311' } });
    expect((await fetch(`${app.url}/f/${'x'.repeat(32)}`)).status).toBe(404);
  });

  it('a link older than 7 days is refused', async () => {
    const id = await open311Case(2);
    const closed = await closeCase(id);
    const t = await linkOf(closed);
    expect((await getPage(t)).status).toBe(200);
    offsetMs = 7 * 86_400_000 + 60_000;
    try {
      expect((await request311(id, OPEN311_KEY)).status_notes).toBe('已结案');
      expect((await fetch(`${app.url}/f/${t}`)).status).toBe(410);
      const res = await answer(t, 'unsatisfied');
      expect(res.status).toBe(410);
      expect(await res.text()).toContain('过期');
    } finally {
      offsetMs = 0;
    }
    const inc = ((await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident }).incident;
    expect(inc.status).toBe('closed');
  });

  it('a dispatcher records a phone callback; the analytics count replies and satisfaction', async () => {
    const { id } = await hotlineCase(3);
    await closeCase(id);
    const bad = await fetch(`${app.url}/api/incidents/${id}/actions`, { method: 'POST', headers: auth(), body: JSON.stringify({ action: 'record_verdict', version: 99, verdict: { result: 'satisfied', channel: 'hotline' } }) });
    expect(bad.status).toBe(400);
    await act(id, 'record_verdict', { verdict: { result: 'satisfied', channel: 'phone' } });

    const day = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const res = await fetch(`${app.url}/api/analytics?from=${day}&to=${day}&groupBy=source&compare=1`, { headers: auth() });
    expect(res.status).toBe(200);
    const a = (await res.json()) as AnalyticsResponse;
    // Five cases closed today before their deadlines; one was sent back and is open again; three have a
    // verdict (基本满意, 满意 by link, 满意 by phone), all satisfied.
    expect(a.total).toMatchObject({ received: 5, closed: 4, replied: 3, satisfied: 3, satisfactionRate: 1, replyRate: 0.75, reworked: 0 });
    expect(a.items.map((i) => i.key).sort()).toEqual(['hotline', 'open311']);
    expect(a.total.change).toBeDefined();
    const byRegion = (await (await fetch(`${app.url}/api/analytics?from=${day}&to=${day}`, { headers: auth() })).json()) as AnalyticsResponse;
    expect(byRegion.items.reduce((s, i) => s + i.received, 0)).toBe(5);
    expect(byRegion.items.every((i) => i.key.length === 9 && i.name)).toBe(true);
    // p90 of time to close for every grouping (per source here), not only totals and regions.
    expect(a.items.every((i) => i.closed > 0 && i.p90CloseMinutes !== null && i.p90CloseMinutes >= 0)).toBe(true);
    expect((await fetch(`${app.url}/api/analytics?from=${day}&to=${day}&regionId=999999`, { headers: auth() })).status).toBe(403);
  });
});

describe('回访 delivered through Open311', () => {
  it('report → dispatch → close: the request GET (with the app key) carries the link; it answers once', async () => {
    const id = await open311Case(4);
    expect((await request311(id, OPEN311_KEY)).status_notes).not.toMatch(LINK);
    const closed = await closeCase(id);
    const t = await linkOf(closed);
    const withKey = await request311(id, OPEN311_KEY);
    expect(withKey).toMatchObject({ service_request_id: id, status: 'closed' });
    // A path on this server's origin, never a host.
    expect(withKey.status_notes).toContain(` /f/${t}`);
    expect(withKey.status_notes).not.toMatch(/https?:|\/\//);
    // The list view and the XML rendering carry it too.
    const list = (await (await fetch(`${app.url}/open311/v2/requests.json?service_request_id=${id}&api_key=${OPEN311_KEY}`)).json()) as Open311Request[];
    expect(list[0]!.status_notes).toContain(`/f/${t}`);
    expect(await (await fetch(`${app.url}/open311/v2/requests/${id}.xml?api_key=${OPEN311_KEY}`)).text()).toContain(`/f/${t}`);
    // The public view (no key: anyone can list requests) does not: a stranger could answer for the reporter.
    expect((await request311(id, null)).status_notes).toBe('已结案');
    expect((await request311(id, HOTLINE_KEY)).status_notes).toBe('已结案');

    const page = await getPage(t);
    expect(page.status).toBe(200);
    const first = await answer(t, 'basic');
    expect(first.status).toBe(200);
    const inc = ((await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident }).incident;
    expect(inc).toMatchObject({ status: 'closed', verdict: { result: 'basic', channel: 'open311' } });
    const second = await answer(t, 'unsatisfied');
    expect(second.status).toBe(410);
    expect(await second.text()).toContain('已评价');
    // Answered: the notes no longer offer it.
    expect((await request311(id, OPEN311_KEY)).status_notes).toBe('已结案');
  });
});

// After the analytics test above: these add cases of today that it would count.
describe('refused hotline callbacks', () => {
  it('a result that is only a name on every object (toString, __proto__ …) is refused, not recorded without a result', async () => {
    const { id, orderNo } = await hotlineCase(5);
    await closeCase(id);
    for (const result of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'SATISFIED', '满 意']) {
      const res = await callback(orderNo, result);
      expect(res.status, result).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'hotline/bad_callback' } });
    }
    const inc = ((await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident }).incident;
    expect(inc.verdict ?? null).toBeNull();
    // Whitespace around a known value is fine.
    expect(await (await callback(orderNo, ' 满意\u3000')).json()).toMatchObject({ ok: true, id, status: 'closed' });
  });

  it('a refused callback is kept as a dead letter with its reason, contact data masked', async () => {
    const res = await fetch(`${app.url}/api/ingest/hotline/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': HOTLINE_KEY },
      body: JSON.stringify({ orderNo: `DL${run}`, result: '非常满意', callerPhone: '13812345678' }),
    });
    expect(res.status).toBe(400);
    expect((await callback(`DL-unknown-${run}`, '满意')).status).toBe(404);
    const { items } = (await (await fetch(`${app.url}/api/ingest/rejected?limit=50`, { headers: auth() })).json()) as { items: { connectorId: string; reason: string; payload: string }[] };
    const bad = items.find((i) => i.payload.includes(`DL${run}`) && i.reason.startsWith('hotline/bad_callback'));
    expect(bad, JSON.stringify(items)).toBeDefined();
    expect(bad!.payload).toContain('非常满意');
    expect(bad!.payload).not.toContain('13812345678');
    expect(items.some((i) => i.payload.includes(`DL-unknown-${run}`) && i.reason.startsWith('hotline/unknown_order'))).toBe(true);
  });
});

describe('a link that no longer speaks for the closure', () => {
  it('reopened by 不满意 and closed again: the old link is refused, the new one answers', async () => {
    const id = await open311Case(6);
    const t1 = await linkOf(await closeCase(id));
    await act(id, 'revisit_rework', { verdict: { result: 'unsatisfied', channel: 'phone' } });
    expect((await fetch(`${app.url}/f/${t1}`)).status).toBe(410);
    await act(id, 'accept');
    await act(id, 'submit_feedback');
    await act(id, 'start_check');
    const reclosed = await act(id, 'check_pass');
    let t2 = await linkOf(reclosed);
    for (let i = 0; t2 === t1 && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 50));
      t2 = await linkOf(reclosed);
    }
    expect(t2).not.toBe(t1);
    expect((await fetch(`${app.url}/f/${t1}`)).status).toBe(410);
    const old = await answer(t1, 'satisfied');
    expect(old.status).toBe(410);
    expect(await old.text()).toContain('失效');
    expect((await answer(t2, 'basic')).status).toBe(200);
    const { incident, history } = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident; history: HistoryEntry[] };
    expect(incident.verdict).toMatchObject({ result: 'basic', channel: 'open311' });
    expect(history.filter((h) => h.action === 'record_verdict')).toHaveLength(1);
  });

  it('a verdict taken by phone closes the link and the status notes stop offering it', async () => {
    const id = await open311Case(7);
    const t = await linkOf(await closeCase(id));
    await act(id, 'record_verdict', { verdict: { result: 'satisfied', channel: 'phone' } });
    expect((await fetch(`${app.url}/f/${t}`)).status).toBe(410);
    expect((await answer(t, 'unsatisfied')).status).toBe(410);
    expect((await request311(id, OPEN311_KEY)).status_notes).toBe('已结案');
    const inc = ((await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { incident: Incident }).incident;
    expect(inc).toMatchObject({ status: 'closed', verdict: { result: 'satisfied', channel: 'phone' } });
  });

  it('a post without one of the three choices asks again and keeps the link', async () => {
    const id = await open311Case(9);
    const t = await linkOf(await closeCase(id));
    for (const body of ['', 'result=', 'result=excellent', 'result=toString']) {
      const res = await fetch(`${app.url}/f/${t}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
      expect(res.status, body).toBe(400);
      expect(await res.text()).toContain(`action="/f/${t}"`);
    }
    expect((await answer(t, 'satisfied')).status).toBe(200);
  });

  it('two answers posted at once record one verdict', async () => {
    const id = await open311Case(8);
    const t = await linkOf(await closeCase(id));
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => answer(t, i % 2 ? 'unsatisfied' : 'satisfied')));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 410, 410, 410, 410, 410]);
    const { history } = (await (await fetch(`${app.url}/api/incidents/${id}`, { headers: auth() })).json()) as { history: HistoryEntry[] };
    expect(history.filter((h) => h.action === 'record_verdict' || h.action === 'revisit_rework')).toHaveLength(1);
  });
});

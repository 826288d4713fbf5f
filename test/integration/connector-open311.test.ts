import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSocket, Running } from './helpers';
import { login } from './helpers';
import { HOTLINE_KEY, OPEN311_KEY, incidentsOf, reportsOf, nextCreated, pool, rejectedOf, runId, shuffle, startConnectorApp, subscribedSocket } from '../fixtures/connectors/helpers';

let app: Running;
let token: string;
let socket: ClientSocket;
const run = runId();
const base = () => `${app.url}/open311/v2`;

beforeAll(async () => {
  app = await startConnectorApp();
  token = (await login(app.url)).token;
  socket = await subscribedSocket(app, token);
});
afterAll(async () => {
  socket.disconnect();
  await app.stop();
});

/** The spec's example request, with our service code and a point in the demo district. */
function specBody(over: Record<string, string | undefined> = {}): string {
  const fields: Record<string, string | undefined> = {
    api_key: OPEN311_KEY,
    jurisdiction_id: 'chenghua.gov.cn',
    service_code: 'manhole_cover',
    lat: '30.6700',
    long: '104.1000',
    address_string: '建设北路 12 号',
    email: 'zhang.san@example.com',
    device_id: `tt222111-${run}`,
    account_id: '123456',
    first_name: '三',
    last_name: '张',
    phone: '13912348888',
    description: `井盖缺失，夜间行人易跌落 ${run}`,
    media_url: 'http://photos.example.com/2212426634_5ed477a060.jpg',
    ...over,
  };
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`)
    .join('&');
}

function postForm(body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base()}/requests.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body,
  });
}

type Created = { service_request_id: string; service_notice: string; account_id: string | null }[];
type Req = Record<string, unknown> & { service_request_id: string; status: string; status_notes: string };

describe('Open311 GeoReport v2', () => {
  it('lists our categories as services', async () => {
    const res = await fetch(`${base()}/services.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const services = (await res.json()) as Record<string, unknown>[];
    expect(services.find((s) => s.service_code === 'garbage_exposed')).toMatchObject({
      service_name: '暴露垃圾',
      metadata: false,
      type: 'realtime',
      group: '市容环境',
    });
    expect(services.every((s) => typeof s.description === 'string' && typeof s.keywords === 'string')).toBe(true);
    expect(services.some((s) => s.service_code === 'elderly_alone_anomaly')).toBe(false);
  });

  it('creates a request from the spec form post, pushes it to sockets, and serves it without personal data', async () => {
    const pushed = nextCreated(socket, 'open311');
    const res = await postForm(specBody());
    expect(res.status).toBe(200);
    const [created] = (await res.json()) as Created;
    expect(created).toMatchObject({ account_id: '123456' });
    expect(created!.service_notice).toContain('处置时限');
    const [change] = await pushed;
    expect(change!.incident).toMatchObject({ id: created!.service_request_id, source: 'open311', category: 'manhole_cover', address: '建设北路 12 号' });
    expect(change!.incident.location).toEqual({ lng: 104.1, lat: 30.67 });
    expect((await app.store.incidents.get(created!.service_request_id))?.reporter).toEqual({ name: '张三', phone: '13912348888' });

    const one = await fetch(`${base()}/requests/${created!.service_request_id}.json`);
    expect(one.status).toBe(200);
    const text = await one.text();
    for (const secret of ['13912348888', 'zhang.san', '张三', '123456', 'tt222111']) expect(text).not.toContain(secret);
    const [req] = JSON.parse(text) as Req[];
    expect(req).toMatchObject({
      service_request_id: created!.service_request_id,
      status: 'open',
      status_notes: '已受理，待核实',
      service_code: 'manhole_cover',
      service_name: '井盖缺失/破损',
      // The place from our region tree, not the citizen's address (it may name a flat).
      address: app.regions.get(change!.incident.gridId!)!.name,
      lat: 30.67,
      long: 104.1,
      expected_datetime: null,
    });
    expect(req!.description).toContain('井盖缺失');
    expect(typeof req!.agency_responsible).toBe('string');
    expect(req!.requested_datetime).toMatch(/Z$|[+-]\d\d:\d\d$/);

    // Our stages project onto open/closed.
    await app.store.incidents.update(created!.service_request_id, (cur) => ({ ...cur, status: 'closed' }), new Date());
    const closed = (await (await fetch(`${base()}/requests/${created!.service_request_id}.json`)).json()) as Req[];
    expect(closed[0]).toMatchObject({ status: 'closed', status_notes: '已结案' });
  });

  it('answers a retried identical post, or one with the same Idempotency-Key, with the same request', async () => {
    const body = specBody({ description: `重复提交 ${run}` });
    const a = (await (await postForm(body)).json()) as Created;
    const b = (await (await postForm(body)).json()) as Created;
    expect(b[0]!.service_request_id).toBe(a[0]!.service_request_id);
    const key = `idem-${run}`;
    const c = (await (await postForm(specBody({ description: `带幂等键 ${run}` }), { 'Idempotency-Key': key })).json()) as Created;
    const d = (await (await postForm(specBody({ description: `带幂等键 ${run} (edited)` }), { 'Idempotency-Key': key })).json()) as Created;
    expect(d[0]!.service_request_id).toBe(c[0]!.service_request_id);
    expect((await incidentsOf(app, 'open311')).filter((i) => i.id === c[0]!.service_request_id)).toHaveLength(1);
  });

  it('answers errors as the spec shows them', async () => {
    const missing = await postForm(specBody({ api_key: undefined }));
    expect(missing.status).toBe(403);
    expect(((await missing.json()) as { code: number; description: string }[])[0]).toMatchObject({ code: 403 });
    expect((await postForm(specBody({ api_key: HOTLINE_KEY }))).status).toBe(403);
    const noCode = await postForm(specBody({ service_code: undefined }));
    expect(noCode.status).toBe(400);
    expect(((await noCode.json()) as { code: number; description: string }[])[0]!.description).toMatch(/service_code/);
    expect((await postForm(specBody({ service_code: 'flying_saucer' }))).status).toBe(404);
    // Neither coordinates nor an address to locate (with address_string alone, see parked-reports.test.ts).
    expect((await postForm(specBody({ lat: undefined, long: undefined, address_string: undefined }))).status).toBe(400);
    expect((await fetch(`${base()}/requests/INC-nope.json`)).status).toBe(404);
    expect((await fetch(`${base()}/requests.json?start_date=yesterday`)).status).toBe(400);
    expect((await fetch(`${base()}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`)).status).toBe(400);
    const dead = await rejectedOf(app, token, 'open311', 20);
    expect(dead.some((d) => d.reason.includes('service_code'))).toBe(true);
    for (const d of dead) expect(d.payload).not.toContain('13912348888');
  });

  it('filters GET requests.json by id, service_code, status and dates, and hides community cases', async () => {
    const mk = async (code: string) => ((await (await postForm(specBody({ service_code: code, description: `${code} ${run} ${Math.random()}` }))).json()) as Created)[0]!.service_request_id;
    const light = await mk('streetlight_out');
    const noise = await mk('noise');
    const q = async (qs: string) => (await (await fetch(`${base()}/requests.json?${qs}`)).json()) as Req[];
    const byId = await q(`service_request_id=${light},${noise}`);
    expect(byId.map((r) => r.service_request_id).sort()).toEqual([light, noise].sort());
    expect(byId.find((r) => r.service_request_id === noise)).toMatchObject({ address: null, lat: null, long: null, description: null });
    const lights = await q('service_code=streetlight_out&status=open');
    expect(lights.map((r) => r.service_request_id)).toContain(light);
    expect(lights.every((r) => r.service_code === 'streetlight_out' && r.status === 'open')).toBe(true);
    const all = await q('');
    expect(all.some((r) => r.service_request_id === noise)).toBe(false);
    expect(all.some((r) => r.service_request_id === light)).toBe(true);
    expect((await q('status=closed')).every((r) => r.status === 'closed')).toBe(true);
    expect(await q('start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).toEqual([]);
  });

  it('takes 1,000 good posts mixed with 1,000 malformed ones: each good one once, each bad one kept with a reason', { timeout: 180_000 }, async () => {
    const before = (await incidentsOf(app, 'open311')).length;
    const rejectedBefore = (await rejectedOf(app, token, 'open311')).length;
    const badKinds: Record<string, string | undefined>[] = [
      { service_code: undefined },
      { service_code: 'no_such_service' },
      { service_code: 'elderly_alone_anomaly' },
      { lat: undefined, long: undefined, address_string: undefined },
      { long: undefined },
      { lat: 'north', long: '104.1' },
      { lat: '95', long: '104.1' },
      { media_url: 'javascript:alert(1)' },
      { description: 'x'.repeat(4001) },
      { title: undefined, service_code: '' },
    ];
    // On a 32 × 32 lattice 220 m apart, so no two are merged as one happening (merge.ts).
    const at = (i: number) => ({ lat: (30.6 + Math.floor(i / 32) * 0.002).toFixed(4), long: (104.05 + (i % 32) * 0.0023).toFixed(4) });
    const good = Array.from({ length: 1000 }, (_, i) => specBody({ service_code: i % 2 ? 'garbage_exposed' : 'illegal_parking', description: `good ${run} #${i}`, ...at(i) }));
    const bad = Array.from({ length: 1000 }, (_, i) => specBody({ ...badKinds[i % badKinds.length], description: badKinds[i % badKinds.length]!.description ?? `bad ${run} #${i}` }));
    const mixed = shuffle([...good.map((b) => ({ b, good: true })), ...bad.map((b) => ({ b, good: false }))], 11);
    const statuses = await pool(mixed.map(({ b }) => async () => (await postForm(b)).status), 24);
    mixed.forEach((m, i) => expect(m.good ? statuses[i] === 200 : statuses[i] === 400 || statuses[i] === 404).toBe(true));

    const mine = await incidentsOf(app, 'open311');
    expect(mine.length - before).toBe(1000);
    const reports = (await reportsOf(app, 'open311')).filter((r) => r.description?.includes(`good ${run} #`));
    expect(reports).toHaveLength(1000);
    const descriptions = new Set(mine.map((i) => i.description.split('\n')[0]));
    for (let i = 0; i < 1000; i++) expect(descriptions.has(`good ${run} #${i}`)).toBe(true);
    const dead = await rejectedOf(app, token, 'open311');
    expect(dead.length - rejectedBefore).toBe(1000);
    expect(dead.every((d) => d.reason.startsWith('open311/'))).toBe(true);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

/** The text of every `<name>…</name>` in an XML document, unescaped (our documents are flat: no nesting inside). */
function xmlValues(xml: string, name: string): string[] {
  const unescape = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => unescape(m[1]!));
}

function postXml(body: string): Promise<Response> {
  return fetch(`${base()}/requests.xml`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
}

describe('XML format', () => {
  const isXml = (res: Response) => expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');

  it('lists the same services in services.xml as in services.json', async () => {
    const res = await fetch(`${base()}/services.xml`);
    expect(res.status).toBe(200);
    isXml(res);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\s*<services><service><service_code>/);
    expect(xml.trimEnd()).toMatch(/<\/service><\/services>$/);
    const json = (await (await fetch(`${base()}/services.json`)).json()) as Record<string, unknown>[];
    expect(xmlValues(xml, 'service_code')).toEqual(json.map((s) => s.service_code));
    expect(xmlValues(xml, 'service_name')).toEqual(json.map((s) => s.service_name));
    expect(xmlValues(xml, 'keywords')).toEqual(json.map((s) => s.keywords));
    expect(new Set(xmlValues(xml, 'metadata'))).toEqual(new Set(['false']));
    expect(new Set(xmlValues(xml, 'type'))).toEqual(new Set(['realtime']));
  });

  it('creates a request from a form post to requests.xml and serves it as XML with the same fields as JSON', async () => {
    const res = await postXml(specBody({ service_code: 'graffiti', lat: '30.6900', long: '104.0700', description: `XML 涂鸦 ${run}` }));
    expect(res.status).toBe(200);
    isXml(res);
    const created = await res.text();
    expect(created).toMatch(/<service_requests><request><service_request_id>[^<]+<\/service_request_id><service_notice>/);
    const [id] = xmlValues(created, 'service_request_id');
    expect(xmlValues(created, 'account_id')).toEqual(['123456']);
    expect(xmlValues(created, 'service_notice')[0]).toContain('处置时限');
    expect(await app.store.incidents.get(id!)).toMatchObject({ source: 'open311', category: 'graffiti' });

    const one = await fetch(`${base()}/requests/${id}.xml`);
    expect(one.status).toBe(200);
    isXml(one);
    const xml = await one.text();
    for (const secret of ['13912348888', 'zhang.san', '张三', '123456', 'tt222111']) expect(xml).not.toContain(secret);
    expect(xml).toMatch(/<service_requests><request><service_request_id>/);
    const [json] = (await (await fetch(`${base()}/requests/${id}.json`)).json()) as Req[];
    // Every JSON field is an element, in the same order, with the same text (null ↔ empty).
    const fields = [...xml.matchAll(/<request>(.*)<\/request>/gs)][0]![1]!.match(/<([a-z_]+)>/g)!.map((t) => t.slice(1, -1));
    expect(fields).toEqual(Object.keys(json!));
    for (const [k, v] of Object.entries(json!)) expect(xmlValues(xml, k)).toEqual([v === null ? '' : String(v)]);
    expect(xmlValues(xml, 'status')).toEqual(['open']);
    expect(xmlValues(xml, 'description')[0]).toContain(`XML 涂鸦 ${run}`);

    const list = await (await fetch(`${base()}/requests.xml?service_request_id=${id}`)).text();
    expect(xmlValues(list, 'service_request_id')).toEqual([id]);
    expect(xmlValues(list, 'description')).toEqual(xmlValues(xml, 'description'));
  });

  it('answers errors as <errors><error> with the same HTTP statuses as JSON', async () => {
    const bad = await postXml(specBody({ api_key: HOTLINE_KEY }));
    expect(bad.status).toBe(403);
    isXml(bad);
    const text = await bad.text();
    expect(text).toMatch(/<errors><error><code>403<\/code><description>Invalid api_key[^<]*<\/description><\/error><\/errors>/);
    expect(xmlValues(text, 'description')[0]).toBe("Invalid api_key -- can't proceed with create_request.");
    expect((await postXml(specBody({ api_key: undefined }))).status).toBe(403);
    const noCode = await postXml(specBody({ service_code: undefined }));
    expect(noCode.status).toBe(400);
    expect(xmlValues(await noCode.text(), 'code')).toEqual(['400']);
    expect((await postXml(specBody({ service_code: 'flying_saucer' }))).status).toBe(404);
    const missing = await fetch(`${base()}/requests/INC-nope.xml`);
    expect(missing.status).toBe(404);
    isXml(missing);
    expect(xmlValues(await missing.text(), 'code')).toEqual(['404']);
    expect((await fetch(`${base()}/requests.xml?start_date=yesterday`)).status).toBe(400);
    const unknown = await fetch(`${base()}/nothing.xml`);
    expect(unknown.status).toBe(404);
    isXml(unknown);
  });

  it('escapes markup and drops characters XML 1.0 does not allow', async () => {
    const res = await postXml(specBody({ service_code: 'illegal_posting', lat: '30.6950', long: '104.0800', description: `XSS <script>&"' \u0007bell ${run}` }));
    expect(res.status).toBe(200);
    const [id] = xmlValues(await res.text(), 'service_request_id');
    for (const url of [`${base()}/requests/${id}.xml`, `${base()}/requests.xml?service_request_id=${id}`]) {
      const xml = await (await fetch(url)).text();
      expect(xml).toContain('&lt;script&gt;&amp;&quot;&apos;');
      expect(xml).not.toContain('<script>');
      expect(xml).not.toContain('\u0007');
      expect(xmlValues(xml, 'description')[0]).toContain(`XSS <script>&"' bell ${run}`);
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '#server/metrics/index';
import { connected, event, ingest, login, socketFor, startApp, type ClientSocket, type Running } from './helpers';

/** GET /metrics: Prometheus text, token or address protected (issue 13). */
const TOKEN = 'metrics-token-0123456789';
let app: Running;
let socket: ClientSocket;

beforeAll(async () => {
  // The test runs on loopback, so the allow list names another subnet to prove the token path.
  app = await startApp({ METRICS_TOKEN: TOKEN, METRICS_ALLOW: '10.0.0.0/8' });
  const admin = (await login(app.url)).token;
  socket = socketFor(app.url, admin);
  await connected(socket);
  expect((await ingest(app.url, [event(1), event(2), event(2), event(3, { category: 'no_such_category' })])).status).toBe(202);
});
afterAll(async () => {
  socket?.disconnect();
  await app.stop();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the Prometheus text format 0.0.4: every line is a HELP, a TYPE or a sample; anything else throws. */
function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleRe = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (-?(?:[0-9.e+-]+|NaN|\\+Inf|-Inf))(?: -?\\d+)?$`);
  const labelRe = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"$/;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = line.match(new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`));
    if (meta) {
      if (meta[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3]!)) throw new Error(`bad TYPE: ${line}`);
        types.set(meta[2]!, meta[3]!);
      }
      continue;
    }
    const m = line.match(sampleRe);
    if (!m) throw new Error(`not Prometheus text: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      for (const part of m[2].match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? []) {
        const l = part.match(labelRe);
        if (!l) throw new Error(`bad label in ${line}`);
        labels[l[1]!] = l[2]!;
      }
    }
    const value = Number(m[3]!.replace('+Inf', 'Infinity').replace('-Inf', '-Infinity'));
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`bad value in ${line}`);
    samples.push({ name: m[1]!, labels, value });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

describe('GET /metrics', () => {
  it('refuses an address outside METRICS_ALLOW without the token', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(403);
    expect((await fetch(`${app.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(403);
  });

  it('behind a reverse proxy without TRUST_PROXY, the proxy\'s loopback address does not stand for the client', async () => {
    const local = await startApp({ METRICS_TOKEN: TOKEN }); // METRICS_ALLOW: loopback, the default
    try {
      const get = (headers: Record<string, string> = {}) => fetch(`${local.url}/metrics`, { headers }).then((r) => r.status);
      expect(await get()).toBe(200);
      // nginx on the same machine: the peer is 127.0.0.1, the client is anywhere.
      expect(await get({ 'X-Forwarded-For': '203.0.113.9' })).toBe(403);
      expect(await get({ Forwarded: 'for=203.0.113.9' })).toBe(403);
      expect(await get({ 'X-Real-IP': '203.0.113.9' })).toBe(403);
      expect(await get({ 'X-Forwarded-For': '203.0.113.9', Authorization: `Bearer ${TOKEN}` })).toBe(200);
    } finally {
      await local.stop();
    }
    const proxied = await startApp({ TRUST_PROXY: 'loopback' });
    try {
      const get = (headers: Record<string, string> = {}) => fetch(`${proxied.url}/metrics`, { headers }).then((r) => r.status);
      expect(await get({ 'X-Forwarded-For': '203.0.113.9' })).toBe(403);
      expect(await get({ 'X-Forwarded-For': '127.0.0.1' })).toBe(200);
    } finally {
      await proxied.stop();
    }
  });

  it('serves Prometheus text with ingest, rejects, latency histograms, sockets per role, push lag, event-loop lag, SLA and store errors', async () => {
    const res = await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const { samples, types } = parsePrometheus(await res.text());
    expect(value(samples, 'gridops_ingest_events_total', { source: 'hotline', outcome: 'created' })).toBe(2);
    expect(value(samples, 'gridops_ingest_events_total', { source: 'hotline', outcome: 'duplicate' })).toBe(1);
    expect(value(samples, 'gridops_ingest_rejects_total', { source: 'hotline' })).toBe(1);
    for (const h of ['gridops_pipeline_seconds', 'gridops_store_commit_seconds', 'gridops_push_lag_seconds']) {
      expect(types.get(h)).toBe('histogram');
      expect(value(samples, `${h}_count`)).toBeGreaterThan(0);
      expect(samples.some((s) => s.name === `${h}_bucket` && s.labels.le === '+Inf')).toBe(true);
    }
    expect(value(samples, 'gridops_store_commit_seconds_count', { op: 'ingest' })).toBeGreaterThan(0);
    expect(value(samples, 'gridops_sockets', { role: 'admin' })).toBe(1);
    expect(value(samples, 'gridops_sockets', { role: 'wall' })).toBe(0);
    expect(types.get('gridops_nodejs_eventloop_lag_seconds')).toBe('gauge');
    expect(types.get('gridops_sla_overdue_incidents')).toBe('gauge');
    expect(types.get('gridops_store_errors_total')).toBe('counter');
    expect(types.get('gridops_dead_letters_total')).toBe('counter');
  });

  it('the strict parser refuses what is not Prometheus text', () => {
    expect(() => parsePrometheus('<html>nope</html>')).toThrow('not Prometheus text');
    expect(() => parsePrometheus('# TYPE x widget')).toThrow('bad TYPE');
  });
});

describe('METRICS_ALLOW', () => {
  it('takes addresses, subnets and loopback', () => {
    const list = parseAllowList('loopback,10.1.0.0/16,192.168.1.5');
    expect(list.check('127.0.0.1', 'ipv4')).toBe(true);
    expect(list.check('::1', 'ipv6')).toBe(true);
    expect(list.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(list.check('10.2.0.1', 'ipv4')).toBe(false);
    expect(list.check('192.168.1.5', 'ipv4')).toBe(true);
    expect(() => parseAllowList('not-an-address')).toThrow('METRICS_ALLOW');
  });
});

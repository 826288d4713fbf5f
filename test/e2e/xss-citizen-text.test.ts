/**
 * Citizen text (and staff text that quotes it) rendered on every screen as text, never as HTML: a hotline order, an
 * Open311 request and a worker's street report carry markup in every free field; an activity, a party and a care
 * resident carry it in their names. The wall, the console (queue and drawer), the leader's screen, the community
 * and party screens and the worker app are opened with the page's CSP bypassed (so the CSP cannot hide an
 * injection); no injected element exists and no handler ran.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, login, newPage, startServer, type ServerHandle } from './harness.ts';

const INGEST_KEY = 'e2e-xss-ingest-key-0123456789';
const OPEN311_KEY = 'e2e-xss-open311-key-0123456789';
/** Markup that would run if inserted as HTML (the image's src is a same-origin 404, so onerror fires). */
const XSS = (tag: string) => `<img src="/x-${tag}.png" data-xss="${tag}" onerror="window.__xss=(window.__xss||[]).concat('${tag}')"><b data-xss="${tag}">粗体</b>`;
/** A short one for fields capped at 64 characters (names). */
const XSS_SHORT = (tag: string) => `<b data-xss="${tag}">张</b><svg/onload=__xss=['${tag}']>`;
const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string; regionId: string; base: { lng: number; lat: number } }[] }).workers;
const home = roster[3]!;
const WORKER = { username: 'gw-xss', password: 'worker-password-123' };
const LEADER = { username: 'leader-xss', password: 'leader-password-123' };

async function call<T>(server: ServerHandle, token: string, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const out = { status: res.status, body: (await res.json().catch(() => null)) as T };
  return out;
}

describe('citizen text renders as text on every screen', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;
  let incidentId: string;
  const sessions: Record<string, unknown> = {};

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `hotline:${INGEST_KEY},open311:${OPEN311_KEY}` } });
    browser = await launchBrowser();
    admin = await login(server);
    const root = (await call<{ id: string }>(server, admin, '/api/regions')).body;
    expect((await call(server, admin, '/api/users', { ...LEADER, displayName: '领导', role: 'leader', regionId: root.id })).status).toBe(201);
    expect((await call(server, admin, '/api/users', { ...WORKER, displayName: '网格员', role: 'worker', regionId: home.gridId, workerId: home.id })).status).toBe(201);
    for (const [who, cred] of [['admin', { username: 'admin', password: server.adminPassword }], ['leader', LEADER], ['worker', WORKER]] as const) {
      const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(cred) });
      sessions[who] = await res.json();
    }

    const order = await fetch(`${server.url}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY },
      body: JSON.stringify({
        orderNo: 'XSS-1', orderType: '投诉', category: '暴露垃圾', title: XSS('order-title'), content: XSS('order-content'), address: XSS('order-address'),
        location: { lng: home.base.lng, lat: home.base.lat }, coordSystem: 'WGS84', callerName: XSS_SHORT('caller'), callerPhone: '13900001111', urgent: true,
      }),
    });
    expect(order.status).toBe(202);
    incidentId = ((await order.json()) as { results: { id: string }[] }).results[0]!.id;
    const form = new URLSearchParams({ api_key: OPEN311_KEY, service_code: 'garbage_exposed', lat: String(home.base.lat + 0.01), long: String(home.base.lng), description: XSS('o311'), first_name: XSS_SHORT('o311-name'), address_string: XSS('o311-addr') });
    expect((await fetch(`${server.url}/open311/v2/requests.json`, { method: 'POST', body: form })).status).toBe(200);
    // Through the case flow to the worker, with notes quoting the caller.
    for (const [action, extra] of [['verify', {}], ['file', {}], ['dispatch', { assigneeId: home.id, note: XSS('dispatch-note') }], ['urge', { note: XSS('urge-note') }]] as const) {
      const now = (await call<{ incident: { version: number } }>(server, admin, `/api/incidents/${incidentId}`)).body.incident;
      expect((await call(server, admin, `/api/incidents/${incidentId}/actions`, { action, version: now.version, ...extra })).status).toBe(200);
    }
    const worker = (sessions.worker as { token: string }).token;
    const inc = (await call<{ incident: { version: number } }>(server, worker, `/api/incidents/${incidentId}`)).body.incident;
    expect((await call(server, worker, `/api/incidents/${incidentId}/actions`, { action: 'request_extension', version: inc.version, note: XSS('extension') })).status).toBe(200);
    expect((await call(server, worker, '/api/me/reports', { id: 'xss-report-0001', category: 'garbage_exposed', note: XSS('patrol-note'), location: { lng: home.base.lng + 0.02, lat: home.base.lat } })).status).toBe(201);
    const start = new Date(Date.now() + 3_600_000).toISOString();
    expect((await call(server, admin, '/api/activities', { regionId: home.regionId.slice(0, 12), title: XSS_SHORT('activity'), venue: { poiId: null, name: XSS_SHORT('venue') }, start, description: XSS('activity-desc') })).status).toBe(201);
    expect((await call(server, admin, '/api/parties', { kind: 'volunteer_team', name: XSS_SHORT('party'), categories: ['garbage_exposed'], regionIds: [root.id], contact: { name: XSS_SHORT('contact'), phone: '13900002222' } })).status).toBeLessThan(300);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const screens: [string, string | null, string][] = [
    ['wall', null, '/'],
    ['console', 'admin', '/console'],
    ['drawer', 'admin', '/console'],
    ['leader', 'leader', '/leader'],
    ['parties', 'admin', '/console/parties'],
    ['community', 'admin', '/console/community'],
    ['worker tasks', 'worker', '/m'],
    ['worker task', 'worker', '/m/tasks/'],
    ['worker reports', 'worker', '/m/reports'],
  ];
  for (const [name, who, path] of screens) {
    it(`${name}: no injected markup`, { timeout: 60_000 }, async () => {
      const session = who ? `localStorage.setItem('gridops.session', ${JSON.stringify(JSON.stringify(sessions[who]))});` : '';
      const url = `${server.url}${path}${path.endsWith('/tasks/') ? incidentId : ''}`;
      const { page, context } = await newPage(browser, url, { bypassCSP: true, initScript: session, viewport: path.startsWith('/m') ? { width: 390, height: 844 } : undefined });
      try {
        if (name === 'drawer') {
          const row = page.getByTestId('queue-row').first();
          await row.waitFor({ timeout: 15_000 });
          await row.click();
        }
        await page.waitForTimeout(4000);
        const found = await page.evaluate(() => ({
          ran: (window as unknown as { __xss?: string[] }).__xss ?? [],
          nodes: document.querySelectorAll('[data-xss]').length,
          // Tags shown as text: the markup is there, inert.
          shown: [...new Set([...document.body.innerText.matchAll(/data-xss="([a-z0-9-]+)"/g)].map((m) => m[1]!))].sort(),
        }));
        expect(found.ran).toEqual([]);
        expect(found.nodes).toBe(0);
        // A wall shows no citizen text at all: only staff-written names (the activity and its venue) may appear.
        if (name === 'wall') expect(found.shown.filter((t) => t !== 'activity' && t !== 'venue')).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

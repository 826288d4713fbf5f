import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const INGEST_KEY = 'e2e-console-ingest-key-0123456789';
// Different categories far enough apart that the ingest's merge rule keeps them separate incidents.
const SEED_CATEGORIES = ['illegal_parking', 'streetlight_out', 'graffiti', 'street_vending', 'construction_noise', 'illegal_posting'];
const SEED_TITLES = ['占道停车', '路灯不亮', '墙面涂鸦', '流动摊贩', '夜间施工噪声', '乱张贴'];
const DISPATCHER = { username: 'duty1', password: 'duty-password-123' };

/**
 * Records calls to the tone (AudioContext / OscillatorNode) and speech (speechSynthesis) APIs, then calls
 * through to the real ones, so the test sees what the page asked the browser to do.
 */
const OBSERVE_AUDIO = `(() => {
  const calls = (window.__calls = { audioContext: 0, oscillator: 0, getVoices: 0, speak: [], zhVoice: false });
  const AC = window.AudioContext;
  if (AC) {
    window.AudioContext = class extends AC {
      constructor(...a) { super(...a); calls.audioContext++; }
      createOscillator() { calls.oscillator++; return super.createOscillator(); }
    };
  }
  const synth = window.speechSynthesis;
  if (synth) {
    const getVoices = synth.getVoices.bind(synth);
    const speak = synth.speak.bind(synth);
    synth.getVoices = () => { calls.getVoices++; const v = getVoices(); calls.zhVoice = v.some((x) => x.lang.toLowerCase().startsWith('zh')); return v; };
    synth.speak = (u) => { calls.speak.push(u.text); return speak(u); };
  }
})();`;

interface Calls { audioContext: number; oscillator: number; getVoices: number; speak: string[]; zhVoice: boolean }
const calls = (page: Page) => page.evaluate(() => (window as unknown as { __calls: Calls }).__calls);

async function ingest(url: string, body: unknown): Promise<Response> {
  // A key speaks for its own source only (common/ingest/claims.ts): one key per kind, picked by the first item's source.
  const source = (Array.isArray(body) ? body[0] : body).source as string;
  return fetch(`${url}/api/ingest/events`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Api-Key': `${INGEST_KEY}-${source}` }, body: JSON.stringify(body) });
}

/** Web-Mercator pixel of a place on the map element, from the centre and zoom it records at idle (512-px tiles). */
async function pixelOf(page: Page, lng: number, lat: number): Promise<{ x: number; y: number }> {
  const map = page.getByTestId('map');
  await expect.poll(() => map.getAttribute('data-map-state'), { timeout: 10_000 }).toBe('idle');
  const [cLng, cLat] = (await map.getAttribute('data-map-center'))!.split(',').map(Number) as [number, number];
  const scale = 512 * 2 ** Number(await map.getAttribute('data-map-zoom'));
  const mx = (x: number) => ((x + 180) / 360) * scale;
  const my = (y: number) => ((1 - Math.log(Math.tan(Math.PI / 4 + (y * Math.PI) / 360)) / Math.PI) / 2) * scale;
  const box = (await map.boundingBox())!;
  return { x: box.x + box.width / 2 + mx(lng) - mx(cLng), y: box.y + box.height / 2 + my(lat) - my(cLat) };
}

/** Click an incident's point on the map; a cluster there zooms in first, so click again until the drawer opens it. */
async function openFromMap(page: Page, id: string, lng: number, lat: number): Promise<void> {
  const drawer = page.getByTestId('drawer');
  for (let attempt = 0; attempt < 6; attempt++) {
    const { x, y } = await pixelOf(page, lng, lat);
    await page.mouse.click(x, y);
    try {
      await expect.poll(() => drawer.getAttribute('data-id'), { timeout: 1500 }).toBe(id);
      return;
    } catch {
      // A cluster: the map eases in; wait for it to settle and click the point again.
      await page.waitForTimeout(300);
    }
  }
  throw new Error(`incident ${id} could not be opened from the map`);
}

describe('dispatch console', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: ['hotline', 'patrol', 'iot'].map((k) => `${k}:${INGEST_KEY}-${k}`).join(',') } });
    browser = await launchBrowser();
    admin = await login(server);
    const root = (await (await fetch(`${server.url}/api/regions`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { id: string };
    const res = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...DISPATCHER, displayName: '值班员一', role: 'dispatcher', regionId: root.id }),
    });
    expect(res.status).toBe(201);
    // Some work already on the desk, from the snapshot (these must not alert).
    const now = Date.now();
    const seed = Array.from({ length: 12 }, (_, n) => ({
      externalId: `seed-${n}`, source: n % 2 ? 'hotline' : 'patrol', category: SEED_CATEGORIES[n % SEED_CATEGORIES.length], severity: n % 4 ? 'medium' : 'high',
      title: `${SEED_TITLES[n % SEED_TITLES.length]} ${n + 1}`, location: { lng: 104.095 + (n % 4) * 0.004, lat: 30.665 + Math.floor(n / 4) * 0.004 },
      reportedAt: new Date(now - (n + 1) * 240_000).toISOString(),
    }));
    for (const item of seed) expect((await ingest(server.url, item)).status).toBe(202);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('alerts on a new critical incident and takes it from intake to dispatch', { timeout: 120_000 }, async () => {
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/console`, { viewport: { width: 1440, height: 900 }, initScript: OBSERVE_AUDIO });
    try {
      await page.waitForURL(/\/login/);
      await page.locator('input[name=username]').fill(DISPATCHER.username);
      await page.locator('input[name=password]').fill(DISPATCHER.password);
      await page.locator('button[type=submit]').click();
      await page.waitForURL(/\/console/);
      await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await expect(page.getByTestId('alert-toast').count()).resolves.toBe(0);

      // A critical incident arrives: queue, alert toast and the tone within 2 s.
      const sent = Date.now();
      const res = await ingest(server.url, { externalId: 'crit-1', source: 'iot', category: 'pipe_burst', severity: 'critical', title: '燃气泄漏 建设路 28 号', address: '建设路 28 号', location: { lng: 104.1012, lat: 30.6688 }, reportedAt: new Date().toISOString() });
      expect(res.status).toBe(202);
      // Titles are the server's own "category · place" (no citizen words on any screen's headline).
      const critId = ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
      const critDetail = await fetch(`${server.url}/api/incidents/${critId}`, { headers: { Authorization: `Bearer ${admin}` } });
      const title = ((await critDetail.json()) as { incident: { title: string } }).incident.title;
      expect(title).toContain('供水管道爆裂 · ');
      const row = page.getByTestId('queue-row').filter({ hasText: title });
      await Promise.all([row.waitFor({ timeout: 2000 }), page.getByTestId('alert-toast').filter({ hasText: title }).waitFor({ timeout: 2000 })]);
      const shownAfter = Date.now() - sent;
      expect(shownAfter).toBeLessThan(2000);
      await expect.poll(async () => (await calls(page)).oscillator, { timeout: 1000 }).toBeGreaterThan(0);
      const c = await calls(page);
      expect(c.audioContext).toBeGreaterThan(0);
      expect(c.oscillator).toBeGreaterThan(0);
      expect(c.getVoices).toBeGreaterThan(0);
      // Speech only when the browser has a Chinese voice (headless Chromium often has none).
      if (c.zhVoice) expect(c.speak).toContain(title);
      else expect(c.speak).toEqual([]);

      // Open it from the map (a cluster first when the points are close, then the point): the drawer opens and the
      // queue marks the same selection.
      const map = page.getByTestId('map');
      await expect.poll(async () => Number(await map.getAttribute('data-rendered-incidents')), { timeout: 10_000 }).toBeGreaterThan(0);
      await openFromMap(page, critId, 104.1012, 30.6688);
      const drawer = page.getByTestId('drawer');
      await expect.poll(() => drawer.getAttribute('data-status')).toBe('reported');
      await expect.poll(() => row.getAttribute('class')).toContain('sel');
      await page.getByTestId('drawer-reports').waitFor();

      // Verify with the keyboard, file with a button.
      await page.keyboard.press('v');
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('verifying');
      await drawer.locator('[data-action=file]').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('filed');

      // Dispatch to the top recommended worker, with one assisting party (co-dispatch).
      const panel = page.getByTestId('dispatch-panel');
      await panel.waitFor();
      const id = await drawer.getAttribute('data-id');
      const cand = (await (await fetch(`${server.url}/api/incidents/${id}/candidates`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { items: { kind: string; id: string }[] };
      const topWorker = cand.items.find((c) => c.kind === 'worker')!.id;
      const party = page.getByTestId('parties').locator('input[type=checkbox]').first();
      await party.check();
      await page.getByTestId('dispatch-top').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('dispatched');
      const sent1 = (await (await fetch(`${server.url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { incident: { assigneeId: string; assistingPartyIds: string[] } };
      expect(sent1.incident.assigneeId).toBe(topWorker);
      expect(sent1.incident.assistingPartyIds).toHaveLength(1);
      await expect(drawer.textContent()).resolves.toContain('协办');
      await expect(page.getByTestId('drawer-sla').textContent()).resolves.toMatch(/剩 \d/);
      await expect.poll(() => page.getByTestId('drawer-history').locator('li').count()).toBeGreaterThanOrEqual(3);

      await screenshot(page, 'console-dispatch-drawer');

      // Acknowledge the alert; when the server knows the action, the history records it.
      await page.getByTestId('alert-ack').click();
      await expect.poll(() => page.getByTestId('alert-toast').count()).toBe(0);
      const detail = (await (await fetch(`${server.url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { history: { action: string }[] };
      expect(detail.history.filter((h) => h.action === 'acknowledge')).toHaveLength(1);

      // The grid worker it went to signs in (REST), accepts and reports back.
      const headers = (token: string) => ({ Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' });
      const read = async () =>
        ((await (await fetch(`${server.url}/api/incidents/${id}`, { headers: headers(admin) })).json()) as { incident: { assigneeId: string; version: number } }).incident;
      const rosterId = (await read()).assigneeId;
      const roster = (await (await fetch(`${server.url}/api/workers`, { headers: headers(admin) })).json()) as { items: { id: string; gridId: string | null; regionId: string | null }[] };
      const worker = roster.items.find((w) => w.id === rosterId)!;
      expect(worker).toBeDefined();
      const account = await fetch(`${server.url}/api/users`, {
        method: 'POST',
        headers: headers(admin),
        body: JSON.stringify({ username: 'gridworker1', displayName: '网格员', password: 'worker-pass-1', role: 'worker', regionId: worker.gridId ?? worker.regionId, workerId: rosterId }),
      });
      expect(account.status).toBe(201);
      const signIn = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'gridworker1', password: 'worker-pass-1' }) });
      const workerToken = ((await signIn.json()) as { token: string }).token;
      for (const [action, note] of [['accept', null], ['submit_feedback', '已清理完毕']] as const) {
        const r = await fetch(`${server.url}/api/incidents/${id}/actions`, {
          method: 'POST', headers: headers(workerToken), body: JSON.stringify({ action, version: (await read()).version, ...(note ? { note } : {}) }),
        });
        expect(r.status, action).toBe(200);
      }

      // The dispatcher sees the feedback live, checks and closes from the drawer; a wall screen open meanwhile
      // counts one open case fewer and one more closed today.
      const wall = await newPage(browser, `${server.url}/`);
      const kpi = (k: string) => wall.page.locator(`[data-kpi="${k}"] .value`).textContent().then(Number);
      await expect.poll(() => wall.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
      await expect.poll(() => kpi('open'), { timeout: 10_000 }).toBeGreaterThan(0);
      const [openBefore, closedBefore] = [await kpi('open'), await kpi('closedToday')];
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('feedback');
      await drawer.locator('[data-action=start_check]').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('checking');
      await drawer.locator('[data-action=check_pass]').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('closed');
      await expect.poll(() => kpi('open'), { timeout: 5000 }).toBe(openBefore - 1);
      await expect.poll(() => kpi('closedToday'), { timeout: 5000 }).toBe(closedBefore + 1);
      expect(wall.pageErrors).toEqual([]);
      expectNoExternal(wall.external);
      await wall.context.close();

      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('flags on the wall a critical alert nobody acknowledged for a minute, until someone on duty does', { timeout: 60_000 }, async () => {
    const wall = await newPage(browser, `${server.url}/`, { viewport: { width: 1920, height: 1080 } });
    try {
      await expect.poll(() => wall.page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
      // The seeded high cases nobody acknowledged are flagged already; count them first.
      const flagged = async () => {
        const el = wall.page.getByTestId('feed-unacked');
        return (await el.count()) ? Number((await el.textContent())!.replace(/\D/g, '')) : 0;
      };
      await wall.page.getByTestId('incident-item').first().waitFor();
      const before = await flagged();
      // Reported two minutes ago by the sensor, and nobody has acknowledged it.
      const res = await ingest(server.url, { externalId: 'crit-unacked', source: 'iot', category: 'pipe_burst', severity: 'critical', title: '爆管', location: { lng: 104.0932, lat: 30.6612 }, reportedAt: new Date(Date.now() - 120_000).toISOString() });
      const id = ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
      const item = wall.page.locator(`[data-testid=incident-item][data-incident-id="${id}"]`);
      await item.getByTestId('unacked-flag').waitFor({ timeout: 5000 });
      await expect(wall.page.getByTestId('feed-unacked').textContent()).resolves.toContain('未确认告警');
      expect(await flagged()).toBe(before + 1);
      await screenshot(wall.page, 'wall-unacked-alert');
      const version = ((await (await fetch(`${server.url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${admin}` } })).json()) as { incident: { version: number } }).incident.version;
      const ack = await fetch(`${server.url}/api/incidents/${id}/actions`, {
        method: 'POST', headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ action: 'acknowledge', version }),
      });
      expect(ack.status).toBe(200);
      await expect.poll(() => item.getByTestId('unacked-flag').count(), { timeout: 5000 }).toBe(0);
      await expect.poll(flagged).toBe(before);
      expect(wall.pageErrors).toEqual([]);
      expectNoExternal(wall.external);
    } finally {
      await wall.context.close();
    }
  });
});

import { readFileSync } from 'node:fs';
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

/** Without GET /api/workers: the roster grid worker of the incident's own grid, from the synthetic dataset. */
async function workerFor(url: string, token: string, id: string): Promise<string> {
  const { incident } = (await (await fetch(`${url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { incident: { gridId: string } };
  const roster = JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: { id: string; gridId: string }[] };
  return roster.workers.find((w) => w.gridId === incident.gridId)!.id;
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

      // Open it from the queue: drawer, and the map flies to it and shows the point.
      await row.click();
      const drawer = page.getByTestId('drawer');
      await drawer.waitFor();
      await expect.poll(() => drawer.getAttribute('data-status')).toBe('reported');
      const map = page.getByTestId('map');
      await expect.poll(async () => Number(await map.getAttribute('data-rendered-incidents')), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.getByTestId('drawer-reports').waitFor();

      // Verify with the keyboard, file with a button.
      await page.keyboard.press('v');
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('verifying');
      await drawer.locator('[data-action=file]').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('filed');

      // Dispatch: to the top candidate when the server recommends, else to a roster worker or a typed id.
      const panel = page.getByTestId('dispatch-panel');
      await panel.waitFor();
      const id = await drawer.getAttribute('data-id');
      const cand = await fetch(`${server.url}/api/incidents/${id}/candidates`, { headers: { Authorization: `Bearer ${admin}` } });
      if (cand.ok) {
        await page.getByTestId('dispatch-top').click();
      } else {
        await page.getByTestId('candidates-missing').waitFor({ timeout: 5000 });
        const select = page.getByTestId('worker-select');
        if (await select.count()) await select.selectOption({ index: 1 });
        else await page.getByTestId('worker-input').fill(await workerFor(server.url, admin, id!));
        await page.getByTestId('dispatch-send').click();
      }
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('dispatched');
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

      // The dispatcher sees the feedback live, checks and closes from the drawer.
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('feedback');
      await drawer.locator('[data-action=start_check]').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('checking');
      await drawer.locator('[data-action=check_pass]').click();
      await expect.poll(() => drawer.getAttribute('data-status'), { timeout: 5000 }).toBe('closed');

      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });
});

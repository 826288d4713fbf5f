import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import { CST_OFFSET_MS } from '#common/time';
import { createSqliteStore } from '../../server/store/sqlite/index.ts';
import type { NewIncident } from '../../server/store/types.ts';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const DAY_MS = 86_400_000;
const RESIDENT_PHONE = '13912345678';
const LEADER = { username: 'leader-replay', password: 'leader-replay-password-1' };
/** Yesterday in China Standard Time: a whole past day, whatever the hour the test runs. */
const day = new Date(Date.now() + CST_OFFSET_MS - DAY_MS).toISOString().slice(0, 10);
const at = (hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`);

function report(n: number, hhmm: string): NewIncident {
  return {
    source: 'hotline', connectorId: 'hotline-12345', externalId: `replay-${n}`, category: 'garbage_exposed', severity: n === 3 || n === 7 ? 'high' : 'low',
    title: `垃圾暴露 · 回放${n}`, description: '', location: { lng: 104.1 + n * 0.004, lat: 30.665 + n * 0.002 }, address: null,
    gridId: '510108003002001', reportedAt: at(hhmm).toISOString(),
    // A resident's phone: the leader's replay must carry it masked (the server's projection for the role).
    ...(n === 5 ? { reporter: { name: '王小明', phone: RESIDENT_PHONE } } : {}),
  };
}

/**
 * The day is written straight into the store with past clocks (the event log's times are the writes' own),
 * then the server is started on it: the wall's replay slider at 10:00 must show exactly what the log says
 * was open then.
 */
describe('day replay on the wall and the leader view', () => {
  let server: ServerHandle;
  let browser: Browser;
  let dir: string;
  let file: string;
  /** Incident ids by the numbers of `report`. */
  const ids: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gridops-replay-'));
    file = join(dir, 'gridops.sqlite');
    const store = createSqliteStore(file, '510108');
    const add = async (n: number, hhmm: string) => {
      const [out] = await store.incidents.ingest([report(n, hhmm)], at(hhmm));
      ids[n] = out!.kind === 'duplicate' ? out!.incidentId : out!.change.incident.id;
    };
    const set = (n: number, status: Incident['status'], hhmm: string) =>
      store.incidents.update(ids[n]!, (c) => ({ ...c, status, updatedAt: at(hhmm).toISOString(), version: c.version + 1 }), at(hhmm));
    for (const n of [1, 2, 3, 4]) await add(n, '08:00');
    await add(5, '09:00');
    await set(1, 'closed', '09:30');
    await set(3, 'dispatched', '09:45');
    await add(6, '10:15');
    await set(2, 'closed', '10:30');
    // A high alert nobody acknowledges: at 10:40 it is brand new, from 10:41 a minute unacknowledged.
    await add(7, '10:40');
    await set(3, 'closed', '11:00');
    await store.close();
    server = await startServer({ env: { SIMULATOR: 'off', DATA_DIR: dir } });
    browser = await launchBrowser();
    const admin = await login(server);
    const made = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...LEADER, displayName: '街道领导', role: 'leader', regionId: '510108' }),
    });
    expect(made.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Independently of the server's code: the latest event of each incident at or before `ms`, not finished. */
  function openInLog(ms: number): string[] {
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare(
        `SELECT e.incident_id AS id, json_extract(e.data, '$.status') AS status FROM events e
         WHERE e.seq = (SELECT max(seq) FROM events x WHERE x.incident_id = e.incident_id AND x.at_ms <= ?)`,
      ).all(ms) as { id: string; status: string }[];
      return rows.filter((r) => r.status !== 'closed' && r.status !== 'rejected').map((r) => r.id).sort();
    } finally {
      db.close();
    }
  }

  function allInLog(): string[] {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT DISTINCT incident_id AS id FROM events').all() as { id: string }[]).map((r) => r.id).sort();
    } finally {
      db.close();
    }
  }

  /** Pick the day as a date picker does (Playwright's fill of a date input does not reach Vue's change handler here). */
  async function pickDay(page: Page): Promise<void> {
    await page.getByTestId('replay-day').evaluate((el, d) => {
      (el as HTMLInputElement).value = d;
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, day);
    await expect.poll(() => page.getByTestId('replay').getAttribute('data-at'), { timeout: 10_000 }).toBe(at('00:00').toISOString());
  }

  async function signInAsLeader(page: Page): Promise<void> {
    await page.waitForURL(/\/login/);
    await page.locator('input[name=username]').fill(LEADER.username);
    await page.locator('input[name=password]').fill(LEADER.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/leader/);
  }

  /** Boxes of the situation tab's parts, none overlapping another nor leaving the viewport. */
  async function expectLaidOut(page: Page, size: { width: number; height: number }): Promise<void> {
    const boxes = await Promise.all(['leader-tabs', 'kpis', 'replay', 'map', 'incident-feed'].map(async (id) => ({ id, box: (await page.getByTestId(id).boundingBox())! })));
    for (const { id, box } of boxes) {
      expect(box, id).not.toBeNull();
      expect(box.width, id).toBeGreaterThan(100);
      expect(box.x + box.width, id).toBeLessThanOrEqual(size.width + 0.5);
      expect(box.y + box.height, id).toBeLessThanOrEqual(size.height + 0.5);
    }
    for (const [n, a] of boxes.entries()) {
      for (const b of boxes.slice(n + 1)) {
        const overlap = a.box.x < b.box.x + b.box.width - 0.5 && b.box.x < a.box.x + a.box.width - 0.5 && a.box.y < b.box.y + b.box.height - 0.5 && b.box.y < a.box.y + a.box.height - 0.5;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  }

  it('moved to 10:00 shows the incidents open then, and one button brings the live state back', async () => {
    const expected = openInLog(at('10:00').getTime());
    expect(expected).toHaveLength(4);
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/`);
    try {
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 15_000 }).toBe('live');
      const feedIds = () => page.getByTestId('incident-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-incident-id')!).sort());
      /** Feed rows flagged 未确认. */
      const flagged = () => page.locator('[data-testid=incident-item]:has([data-testid=unacked-flag])').evaluateAll((els) => els.map((e) => e.getAttribute('data-incident-id')!).sort());
      // Live: the wall lists recent cases, finished ones too (with their status).
      await expect.poll(feedIds, { timeout: 15_000 }).toEqual(allInLog());

      await page.getByTestId('replay-open').click();
      await expect.poll(() => page.getByTestId('replay-slider').isEnabled(), { timeout: 10_000 }).toBe(true);
      await pickDay(page);
      const slider = page.getByTestId('replay-slider');
      await slider.fill(String(10 * 60));
      await expect.poll(() => page.getByTestId('replay').getAttribute('data-at')).toBe(at('10:00').toISOString());
      await expect.poll(feedIds).toEqual(expected);
      expect(await page.getByTestId('replay-time').textContent()).toBe('10:00:00');
      expect(Number(await page.locator('[data-kpi="open"] .value').textContent())).toBe(4);
      expect(Number(await page.locator('[data-kpi="urgentOpen"] .value').textContent())).toBe(1);
      // The feed says which instant it shows, in both languages.
      const title = page.getByTestId('feed-title');
      await expect.poll(() => title.textContent()).toBe('回放 · 10:00:00');
      // So does the connection indicator: the screen is not live while it replays.
      const conn = page.getByTestId('connection-status');
      await expect.poll(() => conn.textContent()).toContain('回放 · 10:00:00');
      expect(await conn.getAttribute('data-replay')).toBe('true');
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => title.textContent()).toBe('Replay · 10:00:00');
      await expect.poll(() => conn.textContent()).toContain('Replay · 10:00:00');
      await page.getByTestId('lang-switch').click();
      await expect.poll(() => title.textContent()).toBe('回放 · 10:00:00');
      // 3 (high, reported at 08:00) is two hours unacknowledged at 10:00.
      expect(await flagged()).toEqual([ids[3]]);
      await screenshot(page, 'wall-replay-1000');

      // Scrub on: at 10:40, 2 has closed and 6 and 7 have come in.
      await slider.fill(String(10 * 60 + 40));
      await expect.poll(feedIds).toEqual(openInLog(at('10:40').getTime()));
      expect(await feedIds()).toContain(ids[7]);
      // 7 (high) was reported at 10:40: judged at the replayed instant it is not yet a minute unacknowledged
      // (judged at today's clock it would be a day late); a minute on, it is flagged.
      expect(await flagged()).toEqual([ids[3]]);
      await slider.fill(String(10 * 60 + 41));
      await expect.poll(flagged).toEqual([ids[3], ids[7]].sort());

      // Play at 600×: ten minutes of the day pass each real second.
      await page.getByTestId('replay-play-600').click();
      await expect.poll(async () => Date.parse((await page.getByTestId('replay').getAttribute('data-at'))!), { timeout: 5_000 }).toBeGreaterThan(at('10:55').getTime());
      await page.getByTestId('replay-play-600').click();
      await expect.poll(feedIds).toEqual(openInLog(Date.parse((await page.getByTestId('replay').getAttribute('data-at'))!)));

      await page.getByTestId('replay-live').click();
      expect(await page.getByTestId('replay').getAttribute('data-active')).toBe('false');
      await expect.poll(feedIds).toEqual(allInLog());
      await expect.poll(() => title.textContent()).toBe('实时事件');
      await expect.poll(() => conn.textContent()).toContain('实时');
      expect(await conn.getAttribute('data-replay')).toBe('false');
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('on the leader view the map, the feed and the KPIs show 10:00, masked for the role, and one button brings back live', { timeout: 180_000 }, async () => {
    const expected = openInLog(at('10:00').getTime());
    const { page, context, external, pageErrors } = await newPage(browser, `${server.url}/leader`);
    try {
      await signInAsLeader(page);
      await page.getByTestId('leader-tab-situation').click();
      await page.waitForURL(/view=situation/);
      await expect.poll(() => page.getByTestId('connection-status').getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
      const map = page.getByTestId('map');
      const feedIds = () => page.getByTestId('incident-item').evaluateAll((els) => els.map((e) => e.getAttribute('data-incident-id')!).sort());
      await expect.poll(feedIds, { timeout: 15_000 }).toEqual(allInLog());

      await page.getByTestId('replay-open').click();
      await expect.poll(() => page.getByTestId('replay-slider').isEnabled(), { timeout: 10_000 }).toBe(true);
      const dayAnswer = page.waitForResponse((r) => r.url().includes('/api/replay/day') && r.url().includes(day));
      await pickDay(page);
      // The leader's day comes masked: the resident's phone is never in it, only its masked form.
      const body = await (await dayAnswer).text();
      expect(body).not.toContain(RESIDENT_PHONE);
      expect(body).toMatch(/139\*+5678/);

      await page.getByTestId('replay-slider').fill(String(10 * 60));
      await expect.poll(() => page.getByTestId('replay').getAttribute('data-at')).toBe(at('10:00').toISOString());
      await expect.poll(feedIds).toEqual(expected);
      expect(await page.getByTestId('replay-time').textContent()).toBe('10:00:00');
      await expect.poll(() => page.getByTestId('feed-title').textContent()).toBe('回放 · 10:00:00');
      // The connection indicator no longer reads 实时 (live): it says which instant is replayed.
      const conn = page.getByTestId('connection-status');
      await expect.poll(() => conn.textContent()).toContain('回放 · 10:00:00');
      expect(await conn.getAttribute('data-replay')).toBe('true');
      expect(await conn.textContent()).not.toContain('实时');
      expect(Number(await page.locator('[data-kpi="open"] .value').textContent())).toBe(4);
      expect(Number(await page.locator('[data-kpi="urgentOpen"] .value').textContent())).toBe(1);
      // The map drew the four incidents open then (counted by the map itself once it is idle).
      await expect.poll(async () => (await map.getAttribute('data-map-state')) === 'idle' && Number(await map.getAttribute('data-rendered-incidents')), { timeout: 20_000 }).toBe(4);
      await expectLaidOut(page, { width: 1920, height: 1080 });
      await screenshot(page, 'leader-replay-1920x1080');

      await page.getByTestId('replay-live').click();
      expect(await page.getByTestId('replay').getAttribute('data-active')).toBe('false');
      await expect.poll(feedIds).toEqual(allInLog());
      await expect.poll(async () => Number(await page.locator('[data-kpi="open"] .value').textContent())).toBe(openInLog(Date.now()).length);
      await expect.poll(() => conn.textContent()).toContain('实时');
      expect(await conn.getAttribute('data-replay')).toBe('false');
      expect(pageErrors).toEqual([]);
      expectNoExternal(external);
    } finally {
      await context.close();
    }
  });

  it('lays out the leader replay on a 1024×768 tablet', { timeout: 120_000 }, async () => {
    const size = { width: 1024, height: 768 };
    const { page, context, pageErrors } = await newPage(browser, `${server.url}/leader?view=situation`, { viewport: size });
    try {
      await signInAsLeader(page);
      await page.getByTestId('replay-open').click();
      await pickDay(page);
      await page.getByTestId('replay-slider').fill(String(10 * 60));
      await expect.poll(() => page.getByTestId('incident-item').count()).toBe(4);
      const map = page.getByTestId('map');
      await expect.poll(async () => (await map.getAttribute('data-map-state')) === 'idle' && Number(await map.getAttribute('data-rendered-incidents')), { timeout: 20_000 }).toBe(4);
      await expectLaidOut(page, size);
      await screenshot(page, 'leader-replay-1024x768');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

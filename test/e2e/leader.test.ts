import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoExternal, launchBrowser, login, newPage, screenshot, startServer, type ServerHandle } from './harness.ts';

const INGEST_KEY = 'e2e-leader-ingest-key-0123456789';
const LEADER = { username: 'leader1', password: 'leader-password-123' };
const CATEGORIES = ['illegal_parking', 'streetlight_out', 'graffiti', 'street_vending', 'construction_noise', 'illegal_posting'];

interface RosterWorker { id: string; gridId: string; base?: { lng: number; lat: number } }

describe('leader view', () => {
  let server: ServerHandle;
  let browser: Browser;
  let admin: string;
  let seeded: { id: string; worker: string; gridId: string }[] = [];

  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const act = async (id: string, action: string, input: Record<string, unknown> = {}) => {
    const cur = (await api(`/api/incidents/${id}`)).body as { incident: { version: number } };
    const r = await api(`/api/incidents/${id}/actions`, { action, version: cur.incident.version, ...input });
    expect(r.status, `${action} ${JSON.stringify(r.body)}`).toBe(200);
  };

  beforeAll(async () => {
    server = await startServer({ env: { SIMULATOR: 'off', INGEST_KEYS: `patrol:${INGEST_KEY}` } });
    browser = await launchBrowser();
    admin = await login(server);
    const root = (await api('/api/regions')).body as { id: string };
    expect((await api('/api/users', { ...LEADER, displayName: '街道领导', role: 'leader', regionId: root.id })).status).toBe(201);
    // A case at the base of every 9th roster worker (spread over the streets), each dispatched to that worker;
    // a third of them closed, a third accepted.
    const roster = (JSON.parse(readFileSync('geo/data/workers.json', 'utf8')) as { workers: RosterWorker[] }).workers.filter((w) => w.base);
    const picks = roster.filter((_, n) => n % 9 === 0);
    const now = Date.now();
    for (const [n, w] of picks.entries()) {
      const res = await fetch(`${server.url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY },
        body: JSON.stringify({ externalId: `lead-${n}`, source: 'patrol', category: CATEGORIES[n % CATEGORIES.length], severity: 'medium', title: `巡查 ${n}`, location: w.base, reportedAt: new Date(now - (n + 1) * 60_000).toISOString() }),
      });
      expect(res.status).toBe(202);
      const id = ((await res.json()) as { results: { id: string }[] }).results[0]!.id;
      seeded.push({ id, worker: w.id, gridId: w.gridId });
    }
    seeded = seeded.filter((s) => s.id);
    for (const [n, s] of seeded.entries()) {
      await act(s.id, 'verify');
      await act(s.id, 'file');
      await act(s.id, 'dispatch', { assigneeId: s.worker });
      if (n % 3 === 0) {
        for (const a of ['accept', 'submit_feedback', 'start_check', 'check_pass']) await act(s.id, a);
      } else if (n % 3 === 1) await act(s.id, 'accept');
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a leader signs in, switches the period, drills street → community → grid → worker and opens the filtered queue', { timeout: 120_000 }, async () => {
    const { page, external, pageErrors } = await newPage(browser, `${server.url}/leader`);
    await page.waitForURL(/\/login/);
    await page.locator('input[name=username]').fill(LEADER.username);
    await page.locator('input[name=password]').fill(LEADER.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/leader/);
    const received = page.locator('[data-kpi=received] .value');
    await expect.poll(() => received.textContent(), { timeout: 20_000 }).toBe(String(seeded.length));
    await expect.poll(() => page.locator('[data-kpi=closed] .value').textContent()).toBe(String(seeded.filter((_, n) => n % 3 === 0).length));

    // Period switch: today holds the same cases; the range shown follows.
    const monthRange = await page.getByTestId('range').textContent();
    await page.locator('[data-period=today]').click();
    await expect.poll(() => page.getByTestId('range').textContent()).not.toBe(monthRange);
    await expect.poll(() => received.textContent()).toBe(String(seeded.length));
    await page.locator('[data-period=year]').click();
    await expect.poll(() => page.locator('[data-period=year]').getAttribute('class')).toContain('on');
    await expect.poll(() => page.locator('[data-testid=crumbs] .muted').count()).toBe(0);
    await screenshot(page, 'leader-1920x1080');

    // Drill: the first street, its first community, its first grid → the grid's workers.
    const rows = page.locator('[data-testid=ranking] tbody tr');
    const crumbs = page.locator('[data-testid=crumbs] button');
    for (const depth of [2, 3, 4]) {
      await rows.first().waitFor();
      const key = await rows.first().getAttribute('data-key');
      await rows.first().locator('button.name').click();
      await expect.poll(() => crumbs.count()).toBe(depth);
      await expect.poll(() => rows.first().getAttribute('data-key'), { timeout: 10_000 }).not.toBe(key);
      const level = { 2: 12, 3: 15, 4: 0 }[depth]!;
      if (level) await expect.poll(async () => (await rows.first().getAttribute('data-key'))!.length).toBe(level);
    }
    const workerId = (await rows.first().getAttribute('data-key'))!;
    expect(workerId).toMatch(/^gw-/);
    const mine = seeded.filter((s) => s.worker === workerId);
    expect(mine.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=crumbs] .muted').count()).toBe(0);
    await screenshot(page, 'leader-drill-worker-1920x1080');

    // A number → the console queue of that worker's cases in hand.
    await rows.first().locator('[data-num=received]').click();
    await page.waitForURL(/\/console\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('assigneeId')).toBe(workerId);
    expect(url.searchParams.get('tab')).toBe('inHand');
    await page.getByTestId('queue').waitFor();
    const open = mine.filter((s) => seeded.indexOf(s) % 3 !== 0);
    await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 15_000 }).toBe(open.length);
    expect(pageErrors).toEqual([]);
    expectNoExternal(external);
  });

  it('saves the monthly report of the place on screen as PDF and XLSX; the workbook holds the API\'s figures', { timeout: 120_000 }, async () => {
    const { page, external, pageErrors } = await newPage(browser, `${server.url}/login?next=/leader`);
    await page.locator('input[name=username]').fill(LEADER.username);
    await page.locator('input[name=password]').fill(LEADER.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/leader/);
    await expect.poll(() => page.locator('[data-kpi=received] .value').textContent(), { timeout: 20_000 }).toBe(String(seeded.length));
    const month = await page.getByTestId('report-month').inputValue();
    expect(month).toMatch(/^\d{4}-\d{2}$/);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-xlsx').click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await xlsx.path())!);
    const sheet = wb.getWorksheet('概况')!;
    expect(String(sheet.getCell('A2').value)).toMatch(/^\d{4}年\d{1,2}月，成华区共受理事件 \d+ 件/);
    const leader = await login(server, LEADER.username, LEADER.password);
    const [y, m] = month.split('-').map(Number) as [number, number];
    const to = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
    const api = (await (await fetch(`${server.url}/api/analytics?from=${month}-01&to=${to}`, { headers: { Authorization: `Bearer ${leader}` } })).json()) as { total: Record<string, number | null> };
    const figures: Record<string, number | null> = {};
    sheet.eachRow((row, n) => {
      if (n > 4) figures[String(row.getCell(1).value)] = (row.getCell(2).value as number | null) ?? null;
    });
    expect(figures).toMatchObject({ 受理: api.total.received, 应结: api.total.due, 结案: api.total.closed, 超期: api.total.overdue, 结案率: api.total.closureRate });

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-pdf').click()]);
    expect(readFileSync((await pdf.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.suggestedFilename()).toMatch(new RegExp(`^report-\\d+-${month}\\.pdf$`));
    await screenshot(page, 'leader-report-1920x1080');
    expect(pageErrors).toEqual([]);
    expectNoExternal(external);
  });

  it('lays out on a 1024×768 tablet', { timeout: 60_000 }, async () => {
    const { page, external } = await newPage(browser, `${server.url}/login?next=/leader`, { viewport: { width: 1024, height: 768 } });
    await page.locator('input[name=username]').fill(LEADER.username);
    await page.locator('input[name=password]').fill(LEADER.password);
    await page.locator('button[type=submit]').click();
    await page.waitForURL(/\/leader/);
    await expect.poll(() => page.locator('[data-kpi=received] .value').textContent(), { timeout: 20_000 }).toBe(String(seeded.length));
    await page.locator('[data-testid=ranking] tbody tr').first().waitFor();
    // Nothing wider than the screen: no horizontal scrolling on the tablet.
    expect(await page.evaluate(() => document.querySelector('[data-testid=leader]')!.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'leader-1024x768');
    await page.locator('[data-testid=leader]').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await screenshot(page, 'leader-1024x768-lower');
    expectNoExternal(external);
  });
});

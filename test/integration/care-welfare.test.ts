/**
 * The welfare sweep dispatches: two nodes on one store (a SQLite file here; one PostgreSQL schema under
 * integration-pg), a clock the test moves, both nodes sweeping at once several times. Each overdue resident
 * gets one welfare task per due period, its incident walked through the case flow (verify, file, dispatch)
 * once and sent to the grid's worker; the next period makes a new one.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareResident } from '#common/care/types';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident } from '#common/incidents/types';
import { createPgSchema, login, requireEnv, startApp, type Running } from './helpers';

const GRID = '510108002001002';
const WORKER = 'gw-510108002001002'; // the grid's worker in geo/data/workers.json
const DAY = 86_400_000;
let clock = new Date();
let dir: string;
let a: Running;
let b: Running;
let token: string;

const get = async <T>(url: string) => (await (await fetch(url, { headers: { Authorization: `Bearer ${token}` } })).json()) as T;
const sweepBoth = async () => (await Promise.all([a.care.service.sweep(GRID), b.care.service.sweep(GRID), a.care.service.sweep(GRID), b.care.service.sweep(GRID)])).reduce((x, y) => x + y, 0);

describe('welfare tasks go to the grid worker (two nodes)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridops-welfare-'));
    a = await startApp({}, dir, { now: () => clock });
    b = await startApp({}, dir, { now: () => clock });
    token = (await login(a.url)).token;
  }, 180_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    rmSync(dir, { recursive: true, force: true });
    // The nodes share the schema named after the directory; stop() keeps it for a restart, so drop it here.
    if (process.env.TEST_STORE === 'postgres') await (await createPgSchema(requireEnv('TEST_POSTGRES_URL'), `gridops_test_${createHash('sha256').update(dir).digest('hex').slice(0, 12)}`)).drop();
  });

  it('an overdue visit creates exactly one welfare task, dispatched once to the grid worker', async () => {
    const ids: string[] = [];
    // Two lone 80+ residents (weekly) far enough apart that their reports are not one happening.
    for (const [name, lng] of [['甲奶奶', 104.0405], ['乙爷爷', 104.0445]] as const) {
      const res = await fetch(`${a.url}/api/care/residents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ gridId: GRID, name, birthDate: '1938-01-01', livingAlone: true, location: { lng, lat: 30.645 } }),
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as CareResident).id);
    }
    expect(await sweepBoth()).toBe(0); // not due yet
    clock = new Date(clock.getTime() + 8 * DAY);
    const before = (await a.store.care.welfareTasks(GRID)).length;
    const created = await sweepBoth();
    const all = await a.store.care.welfareTasks(GRID);
    expect(created).toBe(all.length - before);
    const tasks = all.filter((t) => ids.includes(t.residentId));
    expect(tasks.map((t) => t.residentId).sort()).toEqual([...ids].sort());
    expect(new Set(tasks.map((t) => t.incidentId)).size).toBe(2);
    for (const t of tasks) {
      const body = await get<{ incident: Incident; history: HistoryEntry[]; reports: { externalId: string }[] }>(`${b.url}/api/incidents/${t.incidentId}`);
      expect(body.incident).toMatchObject({ status: 'dispatched', category: 'elderly_care', assigneeId: WORKER });
      expect(body.history.map((h) => h.action).filter((x) => x === 'verify' || x === 'file' || x === 'dispatch')).toEqual(['verify', 'file', 'dispatch']);
      expect(body.reports.filter((r) => r.externalId.startsWith(`welfare:${t.residentId}|`))).toHaveLength(1);
    }
    // The grid worker sees it among their cases.
    const mine = await get<{ items: Incident[] }>(`${a.url}/api/incidents?assigneeId=${WORKER}&status=dispatched&limit=200`);
    for (const t of tasks) expect(mine.items.map((i) => i.id)).toContain(t.incidentId);
  });

  it('the same period never makes a second task; after a visit, the next missed period makes one more', async () => {
    const mineOf = async (id: string) => (await b.store.care.welfareTasks(GRID)).filter((t) => t.residentId === id);
    const [first] = (await a.store.care.welfareTasks(GRID)).filter((t) => t.incidentId).slice(-1);
    const id = first!.residentId;
    clock = new Date(clock.getTime() + 3 * DAY); // still the same missed visit
    await sweepBoth();
    expect(await mineOf(id)).toHaveLength(1);
    const visit = await fetch(`${a.url}/api/visits`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ residentId: id, visitedAt: clock.toISOString(), visitorName: '网格员', outcome: 'well' }),
    });
    expect(visit.status).toBe(201);
    clock = new Date(clock.getTime() + 8 * DAY);
    await sweepBoth();
    const tasks = await mineOf(id);
    expect(tasks).toHaveLength(2);
    expect(tasks[1]!.incidentId).not.toBe(tasks[0]!.incidentId);
    const body = await get<{ incident: Incident }>(`${a.url}/api/incidents/${tasks[1]!.incidentId}`);
    expect(body.incident).toMatchObject({ status: 'dispatched', assigneeId: WORKER });
  });
});

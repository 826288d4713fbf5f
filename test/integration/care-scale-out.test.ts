/**
 * The welfare sweep on two nodes sharing one PostgreSQL database, both sweeping at the same instant, several
 * times: each overdue resident gets exactly one welfare task (and one incident) per due period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareResident } from '#common/care/types';
import { createPgSchema, login, requireEnv, serviceUrl, startApp, type PgSchema, type Running } from './helpers';

const pgSkip = serviceUrl('TEST_POSTGRES_URL', 'care scale-out').skip;
const GRID = '510108002001002';
let clock = new Date();

describe.skipIf(pgSkip)('welfare tasks on two nodes (PostgreSQL)', () => {
  let schema: PgSchema;
  const nodes: Running[] = [];

  beforeAll(async () => {
    schema = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
    const start = () => startApp({ DATABASE_URL: schema.url }, undefined, { now: () => clock });
    nodes.push(...(await Promise.all([start(), start()])));
  });
  afterAll(async () => {
    for (const n of nodes) await n.stop();
    await schema?.drop();
  });

  it('one task per resident and due period however many sweeps race', async () => {
    const [a, b] = nodes as [Running, Running];
    expect(await a.store.care.countResidents()).toBe(await b.store.care.countResidents()); // one seed, shared
    const token = (await login(a.url)).token;
    const ids: string[] = [];
    for (const name of ['甲奶奶', '乙爷爷', '丙奶奶']) {
      const res = await fetch(`${a.url}/api/care/residents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ gridId: GRID, name, birthDate: '1938-01-01', livingAlone: true }),
      });
      ids.push(((await res.json()) as CareResident).id);
    }
    clock = new Date(clock.getTime() + 8 * 86_400_000);
    const created = await Promise.all([a.care.service.sweep(GRID), b.care.service.sweep(GRID), a.care.service.sweep(GRID), b.care.service.sweep(GRID)]);
    const tasks = (await a.store.care.welfareTasks(GRID)).filter((t) => ids.includes(t.residentId));
    expect(tasks.map((t) => t.residentId).sort()).toEqual([...ids].sort());
    expect(created.reduce((x, y) => x + y, 0)).toBe((await a.store.care.welfareTasks(GRID)).length);
    expect(tasks.every((t) => t.incidentId)).toBe(true);
    // Each resident's task is its own incident report, ingested once: one report per (care, welfare:<resident>|<due>).
    for (const t of tasks) {
      const res = await fetch(`${b.url}/api/incidents/${t.incidentId}`, { headers: { Authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { reports: { externalId: string }[] };
      expect(body.reports.filter((r) => r.externalId.startsWith(`welfare:${t.residentId}|`))).toHaveLength(1);
    }
  });
});

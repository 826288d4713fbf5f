/**
 * Rollups kept with every event equal a rebuild from the event log, after a random mix of 10,000 case-flow
 * actions and ingests (merges included), on the store under test (SQLite; PostgreSQL in integration-pg).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyString, type RollupRow } from '#common/analytics/rollup';
import { sumRows } from '#common/analytics/sum';
import { absorbInto } from '#common/incidents/case-ops';
import { applyAction, availableActions, type Actor } from '#common/incidents/lifecycle';
import type { IncidentAction } from '#common/incidents/history';
import type { Incident } from '#common/incidents/types';
import { createPostgresStore } from '#server/store/postgres/index';
import { createSqliteStore } from '#server/store/sqlite/index';
import type { NewIncident, Store } from '#server/store/types';
import { createPgSchema, requireEnv, type PgSchema } from './helpers.ts';

const ROOT = '510108';
const GRIDS = ['510108001001001', '510108001001002', '510108001002001', '510108002001001', null];
const CATEGORIES = ['garbage_exposed', 'road_damage', 'noise', 'illegal_parking'];
const SOURCES = ['hotline', 'patrol', 'open311', 'iot'] as const;
const ASSIGNEES = ['gw-510108001001001', 'gw-510108001001002', 'PTY-test-1'];
const ACTIONS = 10_000;

/** Deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const asMap = (rows: RollupRow[]) => new Map(rows.map((r) => [keyString(r), r.c]));

describe(`analytics rollups (${process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'})`, () => {
  let store: Store;
  let dir: string;
  let pg: PgSchema | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridops-rollup-'));
    if (process.env.TEST_STORE === 'postgres') {
      pg = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
      store = await createPostgresStore(pg.url, ROOT);
    } else store = createSqliteStore(':memory:', ROOT);
  });
  afterAll(async () => {
    await store?.close();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`incremental rollups equal a rebuild after ${ACTIONS} random actions`, async () => {
    const rand = rng(20261129);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    let clock = Date.parse('2026-03-25T08:00:00+08:00');
    const admin: Actor = { id: 'admin', role: 'admin' };
    const open: string[] = [];
    let n = 0;
    const newIncident = (): NewIncident => {
      n++;
      const grid = pick(GRIDS);
      return {
        source: pick(SOURCES), connectorId: 'test', externalId: `ext-${n}`, category: pick(CATEGORIES), severity: 'low',
        title: `t${n}`, description: '', location: { lng: 104.1 + rand() * 0.01, lat: 30.67 + rand() * 0.01 }, address: null,
        gridId: grid, reportedAt: new Date(clock - rand() * 3_600_000).toISOString(), reporter: null,
      };
    };
    let done = 0;
    let merges = 0;
    while (done < ACTIONS) {
      clock += Math.floor(rand() * 50 * 60_000);
      const now = new Date(clock);
      if (open.length < 20 || rand() < 0.15) {
        const outcomes = await store.incidents.ingest([newIncident(), newIncident()], now);
        for (const o of outcomes) if (o.kind === 'created') open.push(o.change.incident.id);
        done++;
        continue;
      }
      const id = pick(open);
      const inc = (await store.incidents.get(id))!;
      const choices = availableActions(inc, admin).filter((a) => a !== 'split' && a !== 'escalate');
      if (!choices.length) {
        open.splice(open.indexOf(id), 1);
        continue;
      }
      const action: IncidentAction = pick(choices);
      if (action === 'merge') {
        const targetId = pick(open.filter((o) => o !== id));
        const r = await store.incidents.merge(id, targetId, (source, target) => {
          const a = applyAction(source, 'merge', admin, { targetId }, now);
          if (!a.ok) return a;
          const b = absorbInto(target, source, admin, null, now);
          if (!b.ok) return b;
          return { ok: true, source: { incident: a.incident, entry: a.event }, target: { incident: b.incident, entry: b.event } };
        }, now);
        if (r?.ok) merges++;
        done++;
        continue;
      }
      const input = {
        note: 'n',
        assigneeId: pick(ASSIGNEES),
        dueAt: new Date(clock + (1 + rand() * 72) * 3_600_000).toISOString(),
      };
      const res = await store.incidents.transition(id, (cur: Incident) => {
        const a = applyAction(cur, action, admin, input, now);
        return a.ok ? { ok: true, incident: a.incident, entry: a.event } : a;
      }, now);
      expect(res?.ok, `${action} on ${inc.status}`).toBe(true);
      done++;
    }
    expect(merges).toBeGreaterThan(10);

    const incremental = await store.analytics.allRows();
    const incrementalMap = asMap(incremental);
    await store.analytics.rebuild();
    const rebuilt = asMap(await store.analytics.allRows());
    expect(rebuilt.size).toBeGreaterThan(1000);
    expect(incrementalMap.size).toBe(rebuilt.size);
    for (const [k, c] of rebuilt) expect(incrementalMap.get(k), k).toEqual(c);

    // The stores' SQL sums agree with summing the rows in memory, for a range of whole months and odd ends.
    const day = (d: string) => Math.round(Date.parse(`${d}T00:00:00Z`) / 86_400_000);
    const range = { from: day('2026-04-17'), to: day('2026-08-05') };
    const want = sumRows(incremental, range, 'c', (r) => (r.grid.startsWith('510108001') ? r.value : null));
    const got = await store.analytics.sum({ regionId: '510108001', range, kind: 'c', group: { by: 'value' } });
    expect(new Map([...got].filter(([, c]) => c.received || c.due || c.durN || c.filed || c.dispatched))).toEqual(
      new Map([...want].filter(([, c]) => c.received || c.due || c.durN || c.filed || c.dispatched)),
    );
    const total = await store.analytics.sum({ regionId: ROOT, range, kind: '', group: { by: 'total' } });
    expect(total.get('')!.received).toBe(sumRows(incremental, range, '', () => '').get('')!.received);
    expect(total.get('')!.due).toBeGreaterThan(20);
  }, 900_000);
});

/**
 * The incident list on the store under test (SQLite; PostgreSQL in integration-pg): every filter shape, at the
 * root and below it, pages (cursor by cursor) to exactly the reference — the stored incidents filtered in
 * memory, newest reported first, ties newest inserted first. And on SQLite, which plans without statistics,
 * each shape's EXPLAIN QUERY PLAN goes through the index server/store/sqlite/list.ts means it to, never a walk
 * of the whole table (issue 14: a category filter scanned a million rows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentStatus } from '#common/incidents/types';
import { openSqlite } from '#server/store/sqlite/open';
import { listSql } from '#server/store/sqlite/list';
import { createPostgresStore } from '#server/store/postgres/index';
import { createSqliteStore } from '#server/store/sqlite/index';
import type { IncidentFilter, NewIncident, Store } from '#server/store/types';
import { createPgSchema, requireEnv, type PgSchema } from './helpers.ts';

const ROOT = '510108';
const GRIDS = ['510108001001001', '510108001001002', '510108001002001', '510108002001001', null];
const CATEGORIES = ['garbage_exposed', 'road_damage', 'noise', 'illegal_parking'];
const T0 = Date.parse('2026-06-01T08:00:00+08:00');
const onPostgres = process.env.TEST_STORE === 'postgres';

describe(`incident list (${onPostgres ? 'postgres' : 'sqlite'})`, () => {
  let store: Store;
  let pg: PgSchema | null = null;
  /** Every stored incident, in insertion order. */
  const stored: Incident[] = [];

  beforeAll(async () => {
    if (onPostgres) {
      pg = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
      store = await createPostgresStore(pg.url, ROOT);
    } else store = createSqliteStore(':memory:', ROOT);
    // 240 incidents over 60 instants (four share each: ties broken by insertion), over five regions (one the
    // root: outside every grid), four categories, three statuses.
    for (let batch = 0; batch < 6; batch++) {
      const events = Array.from({ length: 40 }, (_, j): NewIncident => {
        const n = batch * 40 + j;
        return {
          source: 'iot', connectorId: 'list-test', externalId: `l-${n}`, category: CATEGORIES[n % 4]!, severity: 'low',
          title: `t${n}`, description: '', location: { lng: 104.1 + n * 1e-4, lat: 30.67 }, address: null,
          gridId: GRIDS[(n * 7) % 5]!, reportedAt: new Date(T0 + ((n * 13) % 60) * 60_000).toISOString(), reporter: null,
        };
      });
      for (const outcome of await store.incidents.ingest(events, new Date(T0 + 3_600_000), { merge: false })) {
        if (outcome.kind !== 'created') throw new Error(`expected created, got ${outcome.kind}`);
        stored.push(outcome.change.incident);
      }
    }
    for (const [i, inc] of stored.entries()) {
      const status: IncidentStatus = (['reported', 'dispatched', 'closed'] as const)[(i * 5) % 3]!;
      if (status === 'reported') continue;
      const change = await store.incidents.update(inc.id, (cur) => ({ ...cur, status }), new Date(T0 + 7_200_000));
      stored[i] = change!.incident;
    }
  });
  afterAll(async () => {
    await store?.close();
    await pg?.drop();
  });

  const inScope = (inc: Incident, regionId: string) => {
    const region = inc.gridId ?? ROOT;
    return region.startsWith(regionId) && (regionId === ROOT || region !== ROOT);
  };
  const reference = (f: IncidentFilter) =>
    stored
      .map((inc, order) => ({ inc, order, ms: Date.parse(inc.reportedAt) }))
      .filter(({ inc, ms }) =>
        inScope(inc, f.regionId) &&
        (!f.statuses || f.statuses.includes(inc.status)) &&
        (!f.categories || f.categories.includes(inc.category)) &&
        (!f.from || ms >= f.from.getTime()) &&
        (!f.to || ms < f.to.getTime()))
      .sort((a, b) => b.ms - a.ms || b.order - a.order)
      .map(({ inc }) => inc.id);

  const window = { from: new Date(T0 + 10 * 60_000), to: new Date(T0 + 40 * 60_000) };
  const shapes: Omit<IncidentFilter, 'regionId'>[] = [
    {},
    { statuses: ['dispatched'] },
    { statuses: ['reported', 'dispatched'] },
    { categories: ['noise'] },
    { categories: ['noise', 'road_damage'] },
    window,
    { statuses: ['closed'], categories: ['garbage_exposed'] },
    { statuses: ['reported', 'closed'], categories: ['road_damage', 'illegal_parking'], ...window },
  ];
  const regions = [ROOT, '510108001', '510108001001', '510108001001001', '510108009'];

  it('pages every filter shape at every scope to exactly the reference, in order', async () => {
    let compared = 0;
    for (const regionId of regions) {
      for (const shape of shapes) {
        const filter: IncidentFilter = { regionId, ...shape };
        const ids: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<Store['incidents']['list']>> = await store.incidents.list(filter, { limit: 7, cursor });
          expect(page.items.length).toBeLessThanOrEqual(7);
          ids.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(ids, JSON.stringify(filter)).toEqual(reference(filter));
        compared += ids.length;
      }
    }
    // Not vacuous: the shapes return rows, and the empty street returns none.
    expect(compared).toBeGreaterThan(1000);
    expect(reference({ regionId: '510108009' })).toEqual([]);
  });

  it.skipIf(onPostgres)('plans each shape on the index it is written for, never a walk of the table (SQLite)', () => {
    const db = openSqlite(':memory:');
    const plan = (filter: IncidentFilter, after: [number, number] | null) => {
      const { sql, params } = listSql(filter, after, 101, ROOT);
      return db.prepare<[Record<string, unknown>], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((r) => r.detail);
    };
    const expected = (f: IncidentFilter) =>
      f.regionId !== ROOT ? 'incidents_region_reported' : f.categories ? 'incidents_category_reported' : f.statuses ? 'incidents_status' : 'incidents_reported';
    for (const regionId of regions) {
      for (const shape of shapes) {
        for (const after of [null, [T0, 5] as [number, number]]) {
          const filter: IncidentFilter = { regionId, ...shape };
          const lines = plan(filter, after).filter((l) => / incidents\b/.test(l));
          const what = `${JSON.stringify(filter)} after ${JSON.stringify(after)}: ${lines.join(' | ')}`;
          expect(lines, what).toHaveLength(1);
          expect(lines[0], what).toMatch(new RegExp(`^(SEARCH|SCAN) incidents USING INDEX ${expected(filter)}\\b`));
          if (regionId === ROOT && !shape.statuses && !shape.categories) expect(lines.join(), what).not.toMatch(/TEMP B-TREE/);
        }
      }
    }
    db.close();
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '#server/store/postgres/index';
import { MIGRATIONS as PG_MIGRATIONS } from '#server/store/postgres/schema';
import { createSqliteStore } from '#server/store/sqlite/index';
import { MIGRATIONS as SQLITE_MIGRATIONS } from '#server/store/sqlite/schema';
import { createPgSchema, requireEnv, serviceUrl } from './helpers';

/** An incident as stored before the case-flow fields existed. */
const OLD = {
  id: 'INC-20261101-000001', source: 'hotline', connectorId: 'hotline', externalId: 'HL-1', category: 'garbage_exposed', severity: 'low',
  title: '旧事件', description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: null, status: 'dispatched',
  reportedAt: '2026-11-01T01:00:00.000Z', updatedAt: '2026-11-01T02:00:00.000Z', dueAt: '2026-11-01T06:00:00.000Z',
  assigneeId: 'gw-1', reportCount: 1,
};
const mine = (list: string[]) => list.findIndex((m) => m.trimStart().startsWith('-- dispatch-flow:'));

describe('the dispatch-flow migration back-fills stored incidents', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('SQLite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridops-mig-'));
    dirs.push(dir);
    const file = join(dir, 'gridops.sqlite');
    const db = new Database(file);
    const upTo = mine(SQLITE_MIGRATIONS);
    expect(upTo).toBeGreaterThan(0);
    for (let i = 0; i < upTo; i++) db.exec(SQLITE_MIGRATIONS[i]!);
    db.pragma(`user_version = ${upTo}`);
    db.prepare(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, lng, lat, data)
       VALUES (?, 'hotline', 'HL-1', 'dispatched', 'low', '510108', 0, 0, 0, 104.1, 30.67, ?)`,
    ).run(OLD.id, JSON.stringify(OLD));
    db.close();
    const store = createSqliteStore(file, '510108');
    try {
      expect(await store.incidents.get(OLD.id)).toMatchObject({ ...OLD, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null });
      // Migration 22's category column is filled from the JSON of rows stored before it.
      expect((await store.incidents.list({ regionId: '510108', categories: ['garbage_exposed'] }, { limit: 10 })).items.map((i) => i.id)).toEqual([OLD.id]);
    } finally {
      await store.close();
    }
    const raw = new Database(file, { readonly: true });
    const data = JSON.parse((raw.prepare('SELECT data FROM incidents').get() as { data: string }).data) as Record<string, unknown>;
    raw.close();
    expect(data).toMatchObject({ version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, title: '旧事件' });
  });

  it.skipIf(serviceUrl('TEST_POSTGRES_URL', 'case-flow migration').skip)('PostgreSQL', async () => {
    const schema = await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
    try {
      const client = new pg.Client({ connectionString: schema.url });
      await client.connect();
      const upTo = mine(PG_MIGRATIONS);
      expect(upTo).toBeGreaterThan(0);
      await client.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_ms bigint NOT NULL)');
      for (let i = 0; i < upTo; i++) {
        await client.query(PG_MIGRATIONS[i]!);
        await client.query('INSERT INTO schema_migrations VALUES ($1, 0)', [i + 1]);
      }
      await client.query(
        `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, created_seq, lng, lat, data)
         VALUES ($1, 'hotline', 'HL-1', 'dispatched', 'low', '510108', 0, 0, 0, 1, 104.1, 30.67, $2)`,
        [OLD.id, JSON.stringify(OLD)],
      );
      const store = await createPostgresStore(schema.url, '510108', () => undefined);
      try {
        expect(await store.incidents.get(OLD.id)).toMatchObject({ ...OLD, version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null });
        expect((await store.incidents.list({ regionId: '510108', categories: ['garbage_exposed'] }, { limit: 10 })).items.map((i) => i.id)).toEqual([OLD.id]);
      } finally {
        await store.close();
      }
      const data = JSON.parse((await client.query<{ data: string }>('SELECT data FROM incidents')).rows[0]!.data) as Record<string, unknown>;
      expect(data).toMatchObject({ version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, title: '旧事件' });
      await client.end();
    } finally {
      await schema.drop();
    }
  });
});

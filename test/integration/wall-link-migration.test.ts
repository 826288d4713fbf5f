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

/** Before links had regions every wall showed the wall account's region: a link recorded then keeps it. */
const WALL_REGION = '510108001';
const mine = (list: string[]) => list.findIndex((m) => m.trimStart().startsWith('-- wall links: the region each shows'));
const USER = ['u-wall', 'wall', '大屏', 'wall', WALL_REGION, 'x', 0] as const;
const LINK = ['link-1', '指挥大厅', null, 1_700_000_000_000, 4_000_000_000_000] as const;
const KEPT = { id: 'link-1', label: '指挥大厅', regionId: WALL_REGION, tokenGen: 0, reissuedAt: null, revokedAt: null, rotation: null };

describe('the wall-link region migration keeps the region existing links had', () => {
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
    db.prepare('INSERT INTO users (id, username, display_name, role, region_id, password_hash, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)').run(...USER);
    db.prepare('INSERT INTO wall_links (id, label, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(...LINK);
    db.close();
    const store = createSqliteStore(file, '510108');
    try {
      expect(await store.wallLinks.get('link-1')).toMatchObject(KEPT);
    } finally {
      await store.close();
    }
  });

  it.skipIf(serviceUrl('TEST_POSTGRES_URL', 'wall-link migration').skip)('PostgreSQL', async () => {
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
      await client.query('INSERT INTO users (id, username, display_name, role, region_id, password_hash, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)', [...USER]);
      await client.query('INSERT INTO wall_links (id, label, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [...LINK]);
      await client.end();
      const store = await createPostgresStore(schema.url, '510108', () => undefined);
      try {
        expect(await store.wallLinks.get('link-1')).toMatchObject(KEPT);
      } finally {
        await store.close();
      }
    } finally {
      await schema.drop();
    }
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupSqlite, checkDatabase, restoreSqlite } from '#server/ops/backup';
import { event, ingest, login, startApp, type Running } from './helpers';

/** npm run backup / restore on SQLite: a backup taken under ingest holds every incident acknowledged before it. */
const onPostgres = process.env.TEST_STORE === 'postgres';
const dirs: string[] = [];
const apps: Running[] = [];
afterAll(async () => {
  for (const a of apps) await a.stop().catch(() => undefined);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(onPostgres)('SQLite backup and restore', () => {
  it('restores a backup taken while ingest runs and finds every incident acknowledged before it', async () => {
    const app = await startApp();
    apps.push(app);
    const acked = new Map<string, number>(); // incident id → time its 202 arrived
    let n = 0;
    let stop = false;
    // Four writers ingesting batches of 20 as fast as the server takes them.
    const writers = Array.from({ length: 4 }, async (_, w) => {
      while (!stop) {
        const batch = Array.from({ length: 20 }, () => event(10_000 + w * 100_000 + ++n, { title: `备份测试 ${w}-${n}` }));
        const res = await ingest(app.url, batch);
        expect(res.status).toBe(202);
        const body = (await res.json()) as { results: { ok: boolean; id: string }[] };
        const at = Date.now();
        for (const r of body.results) if (r.ok) acked.set(r.id, at);
      }
    });
    await new Promise((r) => setTimeout(r, 800));
    const backupStarted = Date.now();
    const saved = mkdtempSync(join(tmpdir(), 'gridops-backups-'));
    dirs.push(saved);
    const report = await backupSqlite(app.dataDir, join(saved, 'under-ingest.sqlite'));
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await Promise.all(writers);
    const before = [...acked].filter(([, at]) => at < backupStarted).map(([id]) => id);
    expect(before.length).toBeGreaterThan(100);
    expect(report.incidents).toBeGreaterThanOrEqual(before.length);
    expect(acked.size).toBeGreaterThan(before.length); // ingest really ran during the backup
    await app.stop();
    apps.pop();

    // Restore into a fresh DATA_DIR and start a server on it.
    const dir = mkdtempSync(join(tmpdir(), 'gridops-restore-'));
    dirs.push(dir);
    expect(restoreSqlite(dir, report.file).incidents).toBe(report.incidents);
    const restored = await startApp({}, dir);
    apps.push(restored);
    const { token } = await login(restored.url);
    const missing: string[] = [];
    for (const id of before) {
      const res = await fetch(`${restored.url}/api/incidents/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      if (res.status !== 200) missing.push(id);
    }
    expect(missing).toEqual([]);
  });

  it('the npm scripts back up and restore, keeping the replaced database aside', async () => {
    const own = mkdtempSync(join(tmpdir(), 'gridops-scripts-'));
    dirs.push(own);
    const app = await startApp({}, own);
    apps.push(app);
    expect((await ingest(app.url, [event(1), event(2)])).status).toBe(202);
    const file = join(app.dataDir, 'manual.sqlite');
    const env = { ...process.env, DATA_DIR: app.dataDir, DATABASE_URL: '' };
    const backup = spawnSync('npx', ['tsx', 'scripts/backup.ts', file], { env, encoding: 'utf8' });
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(/2 incidents, integrity ok/);
    expect(checkDatabase(file).incidents).toBe(2);
    await app.stop();
    apps.pop();
    const restore = spawnSync('npx', ['tsx', 'scripts/restore.ts', file], { env, encoding: 'utf8' });
    expect(restore.stdout).toMatch(/restored .* \(2 incidents\); the previous database is kept as .*before-restore/);
    // A file that is not a database is refused before anything is touched.
    const refused = spawnSync('npx', ['tsx', 'scripts/restore.ts', join(import.meta.dirname, 'helpers.ts')], { env, encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(checkDatabase(join(app.dataDir, 'gridops.sqlite')).incidents).toBe(2);
  });

  it('the database, its WAL, DATA_DIR and backups are readable by the server\'s account only (they hold the token secret and residents\' data)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'gridops-modes-'));
    dirs.push(parent);
    const dataDir = join(parent, 'data'); // made by the server, as ./data is on a first start
    const app = await startApp({}, dataDir);
    apps.push(app);
    expect((await ingest(app.url, [event(3)])).status).toBe(202);
    const open = (path: string) => (statSync(path).mode & 0o077).toString(8);
    expect(open(dataDir)).toBe('0');
    for (const suffix of ['', '-wal', '-shm']) expect(open(join(dataDir, `gridops.sqlite${suffix}`))).toBe('0');
    const report = await backupSqlite(dataDir);
    expect(open(report.file)).toBe('0');
    expect(open(join(dataDir, 'backups'))).toBe('0');
    await app.stop();
    apps.pop();
    const restored = join(parent, 'restored');
    restoreSqlite(restored, report.file);
    expect(open(restored)).toBe('0');
    expect(open(join(restored, 'gridops.sqlite'))).toBe('0');
    expect(existsSync(join(restored, 'gridops.sqlite.restoring'))).toBe(false);
  });
});

import Database from 'better-sqlite3';
import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ownerOnly } from '../store/sqlite/open.ts';

export const DB_FILE = 'gridops.sqlite';

export interface BackupReport {
  file: string;
  bytes: number;
  incidents: number;
  ms: number;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');

/** Integrity and size of a database file; throws when it is not a healthy GridOps database. */
export function checkDatabase(file: string): { incidents: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const ok = db.pragma('integrity_check', { simple: true });
    if (ok !== 'ok') throw new Error(`${file}: integrity check failed: ${String(ok)}`);
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'incidents'").get();
    if (!hasTable) throw new Error(`${file}: not a GridOps database (no incidents table)`);
    return { incidents: (db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n };
  } finally {
    db.close();
  }
}

/**
 * An online backup of the running server's SQLite file with SQLite's backup API (better-sqlite3 `db.backup()`),
 * from a connection of its own. After the first step every remaining page is copied in one step, inside one
 * read transaction: the copy is the database as of one commit, whatever the server writes meanwhile (WAL
 * readers do not block the writer, nor it them). The copy is integrity-checked before it is reported.
 */
export async function backupSqlite(dataDir: string, dest?: string, now = new Date()): Promise<BackupReport> {
  const source = join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  const file = dest ?? join(dataDir, 'backups', `gridops-${stamp(now)}.sqlite`);
  if (existsSync(file)) throw new Error(`${file} exists; choose another name`);
  ownerOnly(file); // a backup holds what the database does: for the operator only
  const t0 = Date.now();
  const db = new Database(source, { readonly: true, fileMustExist: true });
  let bytes = 0;
  try {
    db.pragma('busy_timeout = 5000');
    const done = await db.backup(file, { progress: () => 0x7fffffff });
    bytes = done.totalPages * (db.pragma('page_size', { simple: true }) as number);
  } catch (err) {
    rmSync(file, { force: true });
    throw err;
  } finally {
    db.close();
  }
  const { incidents } = checkDatabase(file);
  return { file, bytes, incidents, ms: Date.now() - t0 };
}

/**
 * Put a backup in place of DATA_DIR's database (the server must be stopped). The backup is checked first;
 * the current database (with its WAL) is moved aside as `gridops.sqlite.before-restore-<time>`, never deleted.
 */
export function restoreSqlite(dataDir: string, backup: string, now = new Date()): { incidents: number; previous: string | null } {
  const { incidents } = checkDatabase(backup);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = join(dataDir, DB_FILE);
  const staged = `${target}.restoring`;
  copyFileSync(backup, staged);
  chmodSync(staged, 0o600); // the copy takes the backup file's mode otherwise
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${stamp(now)}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, previous + suffix);
  }
  renameSync(staged, target);
  return { incidents, previous };
}

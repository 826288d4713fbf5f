import { loadConfig } from '../server/config.ts';
import { backupSqlite } from '../server/ops/backup.ts';

/** `npm run backup [-- <file.sqlite>]`: online backup of DATA_DIR's SQLite database while the server runs. */
const config = loadConfig(process.env);
if (config.DATABASE_URL) {
  console.error('DATABASE_URL is set: back PostgreSQL up with pg_dump (see README, "Backups").');
  process.exit(2);
}
const report = await backupSqlite(config.DATA_DIR, process.argv[2]);
console.log(`backup ${report.file}: ${(report.bytes / 1024 / 1024).toFixed(1)} MB, ${report.incidents} incidents, integrity ok, ${report.ms} ms`);

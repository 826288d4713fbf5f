import { loadConfig } from '../server/config.ts';
import { restoreSqlite } from '../server/ops/backup.ts';

/** `npm run restore -- <backup.sqlite>`: put a backup in place of DATA_DIR's database. Stop the server first. */
const file = process.argv[2];
if (!file) {
  console.error('usage: npm run restore -- <backup.sqlite>   (stop the server first)');
  process.exit(2);
}
const config = loadConfig(process.env);
const { incidents, previous } = restoreSqlite(config.DATA_DIR, file);
console.log(`restored ${file} into ${config.DATA_DIR} (${incidents} incidents)${previous ? `; the previous database is kept as ${previous}` : ''}`);

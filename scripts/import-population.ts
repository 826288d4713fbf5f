/**
 * `npm run import:population -- <file.csv> [--data-dir DIR] [--encoding utf-8|gbk|gb18030] [--format person|aggregate]`
 *
 * Imports a population-registry export into the store of DATA_DIR (or DATABASE_URL): person rows are
 * reduced to per-(grid, month) counts while the file streams by and never kept; every (grid, month) in the
 * file replaces the stored one. Progress goes to stderr, then one line per rejected row
 * (`line N, column C: reason`) and a JSON summary on stdout. A running server notices the import within
 * seconds and pushes the new figures to its screens. Exit code 0 when every row was accepted, 2 when some
 * were rejected, 1 on failure.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { geoDirFor, readRegions } from '../server/geo/dataset.ts';
import { Regions } from '../server/geo/regions.ts';
import { importPopulation } from '../server/population/import.ts';
import { createPostgresStore } from '../server/store/postgres/index.ts';
import { createSqliteStore } from '../server/store/sqlite/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'data-dir': { type: 'string' },
    encoding: { type: 'string', default: 'utf-8' },
    format: { type: 'string' },
  },
});
const file = positionals[0];
const encoding = values.encoding;
const format = values.format;
if (!file || !['utf-8', 'gbk', 'gb18030'].includes(encoding) || (format && format !== 'person' && format !== 'aggregate')) {
  console.error('usage: npm run import:population -- <file.csv> [--data-dir DIR] [--encoding utf-8|gbk|gb18030] [--format person|aggregate]');
  process.exit(1);
}

const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
const regions = new Regions(readRegions(geoDirFor(config.DATA_DIR)));
const store = config.DATABASE_URL
  ? await createPostgresStore(config.DATABASE_URL, regions.root.id)
  : createSqliteStore(join(config.DATA_DIR, 'gridops.sqlite'), regions.root.id);

const started = Date.now();
try {
  const result = await importPopulation(file, { store, regions }, {
    encoding: encoding as 'utf-8',
    format: format as 'person' | 'aggregate' | undefined,
    progressEvery: 50_000,
    onProgress: (rows, bytes, total) => {
      const pct = total ? ` (${((bytes / total) * 100).toFixed(1)} %)` : '';
      process.stderr.write(`\r[import] ${rows.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB${pct}   `);
    },
  });
  process.stderr.write('\n');
  for (const e of result.errors) process.stderr.write(`line ${e.line}, column ${e.column ?? '(row)'}: ${e.reason}\n`);
  if (result.counts.errors > result.errors.length) process.stderr.write(`… and ${result.counts.errors - result.errors.length} more errors\n`);
  console.log(JSON.stringify({ format: result.format, counts: result.counts, seconds: (Date.now() - started) / 1000 }));
  process.exitCode = result.counts.rejected > 0 || result.format === null ? 2 : 0;
} catch (err) {
  console.error(`[import] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await store.close();
}

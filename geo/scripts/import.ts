/**
 * npm run geo:import -- <file> --crs wgs84|cgcs2000|gcj02|bd09 [--level street|community|grid]
 *   [--id-field id] [--name-field name] [--name-en-field nameEn] [--parent-field parentId]
 *   [--encoding utf-8|gbk] [--data-dir ./data] [--dry-run]
 *
 * Imports real street / community / grid boundaries into <data-dir>/geo/regions.geojson.
 * All or nothing: any bad feature is reported and nothing is written (exit code 1).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CRS_LIST, isCrs } from '../../common/geo/crs.ts';
import { REGION_LEVELS, type RegionLevel } from '../../common/geo/types.ts';
import { formatProblem, importBoundaries, type ImportOptions } from './import/index.ts';
import { DEFAULT_MAX_AREA_CHANGE } from './import/repair.ts';

export const USAGE = `usage: npm run geo:import -- <file.geojson|file.json|file.shp> --crs ${CRS_LIST.join('|')}
  [--level ${REGION_LEVELS.slice(1).join('|')}]   level of every feature (default: from the id length)
  [--id-field id] [--name-field name] [--name-en-field nameEn] [--parent-field parentId]
  [--encoding utf-8]    dBASE encoding of a shapefile (default: its .cpg, else utf-8; e.g. gbk)
  [--data-dir ./data]   output: <data-dir>/geo/regions.geojson (default: $DATA_DIR or ./data)
  [--tolerance 1]       metres a vertex may stick out of its parent region
  [--repair]            fix repeated vertices and self-intersections, reporting each repair
  [--max-area-change 0.01]  with --repair: refuse a repair changing an area by more than this share
  [--dry-run]           validate and report only`;

/** Parse the command line into import options, or an error message. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = process.env): ImportOptions | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        crs: { type: 'string' },
        level: { type: 'string' },
        'id-field': { type: 'string' },
        'name-field': { type: 'string' },
        'name-en-field': { type: 'string' },
        'parent-field': { type: 'string' },
        encoding: { type: 'string' },
        'data-dir': { type: 'string' },
        tolerance: { type: 'string' },
        'dry-run': { type: 'boolean' },
        repair: { type: 'boolean' },
        'max-area-change': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return (err as Error).message;
  }
  const { values: v, positionals } = parsed;
  if (v.help) return '';
  if (positionals.length !== 1) return 'expected exactly one input file';
  if (!isCrs(v.crs)) return `--crs is required: one of ${CRS_LIST.join(', ')}`;
  let level: RegionLevel | undefined;
  if (v.level !== undefined) {
    if (!(REGION_LEVELS as readonly string[]).includes(v.level)) {
      return `--level must be one of ${REGION_LEVELS.join(', ')}`;
    }
    level = v.level as RegionLevel;
  }
  let toleranceM: number | undefined;
  if (v.tolerance !== undefined) {
    toleranceM = Number(v.tolerance);
    if (!Number.isFinite(toleranceM) || toleranceM < 0) return '--tolerance must be a non-negative number of metres';
  }
  const maxAreaChange = v['max-area-change'] === undefined ? DEFAULT_MAX_AREA_CHANGE : Number(v['max-area-change']);
  if (!Number.isFinite(maxAreaChange) || maxAreaChange < 0 || maxAreaChange > 1) return '--max-area-change must be a share between 0 and 1';
  return {
    ...(v.repair ? { repair: { maxAreaChange } } : {}),
    file: positionals[0] as string,
    crs: v.crs,
    level,
    idField: v['id-field'],
    nameField: v['name-field'],
    nameEnField: v['name-en-field'],
    parentField: v['parent-field'],
    encoding: v.encoding,
    dataDir: v['data-dir'] ?? env.DATA_DIR ?? './data',
    toleranceM,
    dryRun: v['dry-run'] ?? false,
  };
}

export async function main(argv: string[]): Promise<number> {
  const opts = parseCli(argv);
  if (typeof opts === 'string') {
    if (opts) process.stderr.write(`geo:import: ${opts}\n`);
    process.stderr.write(`${USAGE}\n`);
    return opts ? 2 : 0;
  }
  const result = await importBoundaries(opts);
  if (!result.ok) {
    const n = result.problems.length;
    process.stderr.write(`geo:import: ${n} problem${n === 1 ? '' : 's'} in ${opts.file}:\n`);
    for (const p of result.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
    process.stderr.write(`nothing was written (${result.output} unchanged)\n`);
    return 1;
  }
  return 0;
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`geo:import: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

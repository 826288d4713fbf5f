/**
 * Deterministic synthetic demo dataset for GridOps.
 *   npm run geo:generate                              → geo/data/ (220 grids)
 *   npm run geo:generate -- --grids 30000 [--out dir] → data/bench-geo/ by default (city scale, regions only + roads, workers)
 * Options: --grids N, --seed S, --out DIR, --details / --no-details (buildings, POIs, devices).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_GRIDS, DEFAULT_SEED, generateDataset, serializeDataset } from './dataset.ts';

export { generateDataset, serializeDataset } from './dataset.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function parseArgs(argv: string[]): { grids: number; seed: number; out: string; details?: boolean } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  };
  const grids = Number(get('grids') ?? DEFAULT_GRIDS);
  const seed = Number(get('seed') ?? DEFAULT_SEED);
  if (!Number.isInteger(grids) || grids < 1 || grids > 200_000) throw new Error(`bad --grids ${get('grids')}`);
  if (!Number.isInteger(seed)) throw new Error(`bad --seed ${get('seed')}`);
  const isDefault = grids === DEFAULT_GRIDS && seed === DEFAULT_SEED;
  const out = resolve(get('out') ?? resolve(ROOT, isDefault ? 'geo/data' : 'data/bench-geo'));
  const details = argv.includes('--details') ? true : argv.includes('--no-details') ? false : undefined;
  return { grids, seed, out, details };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const data = generateDataset({ grids: args.grids, seed: args.seed, details: args.details });
  const files = serializeDataset(data);
  mkdirSync(args.out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(resolve(args.out, name), text);
  const ms = Math.round(performance.now() - t0);
  const c = data.meta.counts;
  console.log(`geo:generate → ${args.out} in ${ms} ms: ${c.streets} streets, ${c.communities} communities, ${c.grids} grids, ` +
    `${c.roads} roads, ${c.buildings} buildings, ${c.pois} POIs, ${c.devices} devices, ${c.workers} workers`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

/**
 * `npm run bench`: every benchmark in turn, printed as a table and saved to test/bench/results/latest.json.
 * These are measurements, not pass/fail tests: the machines are shared and noisy. `npm run bench -- latency`
 * runs only the benchmarks whose file name contains "latency".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureClientBuilt } from '../../scripts/build-client.ts';
import { machine, type BenchResult } from './lib.ts';

const BENCHES = ['latency', 'resync', 'ingest', 'alarm-burst', 'grid-lookup', 'city-store', 'map-apply', 'map-idle', 'console', 'bundle', 'wall-first-data', 'wall-soak', 'analytics', 'replay-scrub', 'worker-app'];
const only = process.argv.slice(2);
const here = fileURLToPath(new URL('.', import.meta.url));

const results: BenchResult[] = [];
console.log(`machine: ${machine()}\n`);
for (const name of BENCHES.filter((b) => only.length === 0 || only.some((o) => b.includes(o)))) {
  let mod: { run: () => Promise<BenchResult> };
  try {
    mod = (await import(`./${name}.bench.ts`)) as typeof mod;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String(err).includes(`${name}.bench.ts`)) continue;
    throw err;
  }
  if (name.startsWith('map') || name === 'console' || name === 'replay-scrub' || name === 'worker-app') await ensureClientBuilt();
  process.stdout.write(`running ${name} … `);
  const result = await mod.run();
  results.push(result);
  console.log('done');
  for (const [k, v] of Object.entries(result.metrics)) console.log(`  ${result.name.padEnd(34)} ${k.padEnd(24)} ${v}`);
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'latest.json'), JSON.stringify({ at: new Date().toISOString(), machine: machine(), results }, null, 2));
process.exit(0);

/**
 * `npm test`: every check, in order, stopping at the first failure:
 *   lint → typecheck → unit → integration → e2e (headless Chromium)
 * Each step runs a binary from node_modules/.bin with inherited stdio; the exit code is the failing step's.
 * Without a Chromium the e2e step is skipped with one line, except under CI=true where that is a failure.
 * Ends with a summary line per step and one `tests: N passed, N failed` line over the Vitest steps.
 *
 *   tsx scripts/test.ts                 every step
 *   tsx scripts/test.ts unit e2e        only the named steps (lint, typecheck, unit, integration, e2e)
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './build-client.ts';
import { findChromium, noChromiumMessage } from './chromium.ts';

type Outcome = 'ok' | 'FAILED' | 'skipped' | 'not run';

interface Step {
  name: string;
  bin: string;
  args: string[];
  /** Vitest steps write a JSON report that the summary counts tests from. */
  vitest?: boolean;
  env?: Record<string, string>;
  outcome: Outcome;
  ms: number;
  note?: string;
}

const isCI = process.env.CI === 'true' || process.env.CI === '1';
const reportDir = mkdtempSync(join(tmpdir(), 'gridops-test-'));

const vitestStep = (project: string): Step => ({
  name: project,
  bin: 'vitest',
  args: ['run', '--project', project, '--passWithNoTests'],
  vitest: true,
  outcome: 'not run',
  ms: 0,
});

const steps: Step[] = [
  { name: 'lint', bin: 'eslint', args: ['.'], outcome: 'not run', ms: 0 },
  { name: 'typecheck', bin: 'vue-tsc', args: ['-b'], outcome: 'not run', ms: 0 },
  vitestStep('unit'),
  vitestStep('integration'),
  vitestStep('integration-pg'),
  vitestStep('e2e'),
];

const selected = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = selected.filter((name) => !steps.some((s) => s.name === name));
if (unknown.length) {
  console.error(`[test] unknown step(s): ${unknown.join(', ')}; steps are ${steps.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

let current: ChildProcess | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Ctrl-C reaches the child through the terminal too; forwarding covers a plain `kill`.
    current?.kill(signal);
    console.error(`\n[test] ${signal}: stopping`);
    process.exitCode = 130;
  });
}

function run(step: Step): Promise<number> {
  const args = step.vitest
    ? [...step.args, '--reporter=default', '--reporter=json', `--outputFile.json=${join(reportDir, `${step.name}.json`)}`]
    : step.args;
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', step.bin), args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, ...step.env },
    });
    current = child;
    child.on('error', (err) => {
      console.error(`[test] could not run ${step.bin}: ${err.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      current = undefined;
      resolve(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

function countTests(step: Step): Counts | null {
  try {
    const report = JSON.parse(readFileSync(join(reportDir, `${step.name}.json`), 'utf8')) as {
      numPassedTests?: number;
      numFailedTests?: number;
      numPendingTests?: number;
      numTodoTests?: number;
    };
    return {
      passed: report.numPassedTests ?? 0,
      failed: report.numFailedTests ?? 0,
      skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    };
  } catch {
    return null;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let exitCode = 0;
for (const [i, step] of steps.entries()) {
  const header = `[${i + 1}/${steps.length}] ${step.name}: ${step.bin} ${step.args.join(' ')}`;
  if (selected.length && !selected.includes(step.name)) {
    step.outcome = 'skipped';
    step.note = 'not selected';
    continue;
  }
  console.log(`\n━━━━ ${header} ${'━'.repeat(Math.max(4, 76 - header.length))}`);

  if (step.name === 'e2e') {
    const chrome = findChromium();
    if (!chrome) {
      if (isCI) {
        console.error(`e2e: ${noChromiumMessage()}; CI=true, so this is a failure`);
        step.outcome = 'FAILED';
        step.note = 'no Chromium';
        exitCode = 1;
        break;
      }
      console.log(`e2e: ${noChromiumMessage()}; end-to-end tests not run`);
      step.outcome = 'skipped';
      step.note = 'no Chromium';
      continue;
    }
    step.env = { CHROME_PATH: chrome };
  }

  const started = Date.now();
  const code = await run(step);
  step.ms = Date.now() - started;
  step.outcome = code === 0 ? 'ok' : 'FAILED';
  if (code !== 0) {
    step.note = `exit code ${code}`;
    exitCode = code;
    break;
  }
  if (process.exitCode === 130) {
    exitCode = 130;
    break;
  }
}

const total: Counts = { passed: 0, failed: 0, skipped: 0 };
console.log('\n━━━━ summary ━━━━');
for (const step of steps) {
  const counts = step.vitest && step.outcome !== 'not run' && step.outcome !== 'skipped' ? countTests(step) : null;
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  const detail = [
    counts ? `${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}` : '',
    step.note ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  const time = step.outcome === 'ok' || step.outcome === 'FAILED' ? seconds(step.ms) : '';
  console.log(`  ${step.outcome.padEnd(8)} ${step.name.padEnd(12)} ${time.padStart(8)}${detail ? `  (${detail})` : ''}`);
}
console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
rmSync(reportDir, { recursive: true, force: true });
process.exit(exitCode);

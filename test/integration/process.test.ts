import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The real entry point, as `npm start` runs it: config errors, start-up, and SIGTERM. */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, LOG_LEVEL: 'info', SIMULATOR: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe('server process', () => {
  it('stops at once on a bad setting, naming it and what is allowed', async () => {
    const p = run({ PORT: 'eighty', SIMULATOR: 'sometimes' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/PORT="eighty"/);
    expect(p.output()).toMatch(/SIMULATOR="sometimes".*on.*off/);
  });

  it('starts, serves health, and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridops-proc-'));
    dirs.push(dir);
    const p = run({ PORT: '0', DATA_DIR: dir });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line:\n${p.output()}`)), 20_000);
      p.child.stdout.on('data', () => {
        const m = /"url":"(http:\/\/[^"]+)"[^\n]*listening/.exec(p.output());
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    expect(p.output()).toMatch(/initialPassword/);
    expect(p.output()).toMatch(/wallLink/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/shutting down/);
  });
});

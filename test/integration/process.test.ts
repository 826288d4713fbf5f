import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer as run } from './server-process';

/** The real entry point, as `npm start` runs it: config errors, start-up, and SIGTERM. */
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

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
    const url = await p.listening();
    expect(p.output()).toMatch(/initialPassword/);
    expect(p.output()).toMatch(/wallLink/);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/shutting down/);
  });
});

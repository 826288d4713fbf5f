import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    expect(p.output()).toMatch(/PORT: /);
    expect(p.output()).not.toContain('eighty');
    expect(p.output()).toMatch(/SIMULATOR: .*on.*off/);
  });

  it('starts, serves health, and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridops-proc-'));
    dirs.push(dir);
    const p = run({ PORT: '0', DATA_DIR: dir });
    const url = await p.listening();
    expect(p.output()).toMatch(/initialPassword/);
    // The wall link is a credential: it goes to a file only the operator can read, the log only says where.
    const file = join(dir, 'wall-link.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = new URL(readFileSync(file, 'utf8').trim()).searchParams.get('wall')!;
    expect(token.length).toBeGreaterThan(20);
    expect(p.output()).toContain(file);
    expect(p.output()).not.toContain(token);
    expect(p.output()).not.toContain('?wall=');
    expect((await fetch(`${url}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/shutting down/);
  });
});

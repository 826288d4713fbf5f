import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack } from '#common/api';
import { RATE_LIMITED } from '#common/realtime/events';
import { ADMIN_PASSWORD, TEST_INGEST_KEYS, collectChanges, connected, createPgSchema, event, ingest, login, requireEnv, socketFor, type PgSchema } from './helpers';
import { spawnServer, type ServerProcess } from './server-process';

/** The server in its own process, so the RSS measured is the server's alone. */
const LOG_SIZE = 20_000;
const FLOOD = 10_000;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

describe('a flooding socket cannot exhaust the server', () => {
  let server: ServerProcess;
  let url: string;
  let dir: string;
  let pgSchema: PgSchema | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gridops-flood-'));
    pgSchema = process.env.TEST_STORE === 'postgres' ? await createPgSchema(requireEnv('TEST_POSTGRES_URL')) : null;
    server = spawnServer({
      PORT: '0',
      DATA_DIR: dir,
      GRIDOPS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      INGEST_KEYS: TEST_INGEST_KEYS,
      ...(pgSchema ? { DATABASE_URL: pgSchema.url } : {}),
    });
    url = await server.listening();
    // A log of 20,000 changes, ingested in batches of 500 (distinct happenings: none merge).
    for (let from = 0; from < LOG_SIZE; from += 500) {
      const batch = Array.from({ length: 500 }, (_, i) => event(from + i));
      expect((await ingest(url, batch)).status).toBe(202);
    }
  }, 180_000);

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dir, { recursive: true, force: true });
    await pgSchema?.drop();
  });

  it('answers 10,000 sync:since { seq: 0 } with rate/limited, then drops the socket; stays up and bounded', async () => {
    const pid = server.child.pid!;
    // The wall link the first start left for the operator.
    const wallToken = new URL(readFileSync(join(dir, 'wall-link.txt'), 'utf8').trim()).searchParams.get('wall')!;
    const admin = await login(url);
    const good = socketFor(url, admin.token);
    await connected(good);
    const sub = await good.emitWithAck('scope:subscribe', {});
    expect(sub.ok).toBe(true);

    // /healthz and RSS sampled all through the flood.
    let maxRss = 0;
    let slowest = 0;
    let healthFailures = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxRss = Math.max(maxRss, rssMb(pid));
        const t0 = performance.now();
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) }).catch(() => null);
        slowest = Math.max(slowest, performance.now() - t0);
        if (!res || res.status !== 200) healthFailures++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();

    const flooder = socketFor(url, wallToken);
    await connected(flooder);
    const replies = { ok: 0, limited: 0, other: 0 };
    const disconnected = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    for (let i = 0; i < FLOOD; i++) {
      flooder.emit('sync:since', { seq: 0, regionId: admin.user.regionId }, (reply: Ack<unknown>) => {
        if (reply.ok) replies.ok++;
        else if (reply.error.code === RATE_LIMITED) replies.limited++;
        else replies.other++;
      });
    }
    expect(await disconnected).toBe('io server disconnect');
    expect(replies.limited).toBeGreaterThan(0);
    expect(replies.ok).toBeLessThanOrEqual(10);

    // The well-behaved socket still gets pushes.
    const pushed = collectChanges(good, 3, 15_000);
    expect((await ingest(url, [event(LOG_SIZE + 1), event(LOG_SIZE + 2), event(LOG_SIZE + 3)])).status).toBe(202);
    expect(await pushed).toHaveLength(3);

    // Keep sampling a little after the flood: work the server queued would show now.
    await new Promise((r) => setTimeout(r, 2000));
    sampling = false;
    await sampler;
    good.close();
    expect(healthFailures).toBe(0);
    expect(slowest).toBeLessThan(1000);
    expect(maxRss).toBeLessThan(1024);
    expect(server.child.exitCode).toBeNull();
  }, 120_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Incident } from '#common/incidents/types';
import type { Snapshot } from '#common/realtime/events';
import { ADMIN_PASSWORD, connected, createPgSchema, event, INGEST_KEY, login, requireEnv, socketFor, type PgSchema } from './helpers';
import { spawnServer, type ServerProcess } from './server-process';

/**
 * A write the server acknowledged survives a crash: SIGKILL in the middle of a burst of ingests, restart on
 * the same data, and every acknowledged event is there; a socket client that was watching resyncs from its
 * last seq to exactly the state a fresh subscriber sees.
 */
const dir = mkdtempSync(join(tmpdir(), 'gridops-crash-'));
let pg: PgSchema | null = null;
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const p of running) p.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  await pg?.drop();
});

async function start(): Promise<string> {
  if (process.env.TEST_STORE === 'postgres') pg ??= await createPgSchema(requireEnv('TEST_POSTGRES_URL'));
  const p = spawnServer({
    PORT: '0',
    DATA_DIR: dir,
    GRIDOPS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    INGEST_KEYS: `hotline:${INGEST_KEY}`,
    HEARTBEAT_MS: '500',
    ...(pg ? { DATABASE_URL: pg.url } : {}),
  });
  running.push(p);
  return p.listening();
}

describe('crash safety', () => {
  it('keeps every acknowledged ingest across a SIGKILL, and clients resync to the same state', { timeout: 120_000 }, async () => {
    let url = await start();
    const token = (await login(url)).token;
    const watcher = socketFor(url, token);
    await connected(watcher);
    const snap = await watcher.emitWithAck('scope:subscribe', {});
    if (!snap.ok) throw new Error(snap.error.message);
    const seen = new Map<string, Incident>(snap.data.incidents.map((i) => [i.id, i]));
    let lastSeq = snap.data.seq;
    const apply = (seq: number, incident: Incident) => {
      seen.set(incident.id, incident);
      lastSeq = Math.max(lastSeq, seq);
    };
    watcher.on('incident:created', (p) => apply(p.seq, p.incident));
    watcher.on('incident:updated', (p) => apply(p.seq, p.incident));
    watcher.on('incidents:batch', (p) => p.changes.forEach((c) => apply(c.seq, c.incident)));

    // Eight writers posting batches of five as fast as they are answered; the process dies under them.
    const acknowledged: string[] = [];
    let n = 0;
    let alive = true;
    const writer = async () => {
      while (alive) {
        const batch = Array.from({ length: 5 }, () => event(++n));
        try {
          const res = await fetch(`${url}/api/ingest/events`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', 'X-Api-Key': INGEST_KEY },
            body: JSON.stringify(batch),
          });
          if (res.status === 202) acknowledged.push(...batch.map((e) => e.externalId));
        } catch {
          return; // connection refused or reset: not acknowledged
        }
      }
    };
    const writers = Array.from({ length: 8 }, writer);
    await new Promise((r) => setTimeout(r, 1500));
    running[0]!.child.kill('SIGKILL');
    alive = false;
    await Promise.all(writers);
    await running[0]!.exited;
    watcher.disconnect();
    expect(acknowledged.length).toBeGreaterThan(100);

    url = await start();
    const admin = (await login(url)).token;
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const res = await fetch(`${url}/api/incidents?connector=hotline&limit=500${cursor ? `&cursor=${cursor}` : ''}`, { headers: { Authorization: `Bearer ${admin}` } });
      const page = (await res.json()) as { items: Incident[]; nextCursor: string | null };
      for (const i of page.items) stored.add(i.externalId!);
      cursor = page.nextCursor;
    } while (cursor);
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(lost).toEqual([]);

    // The watcher comes back with its last seq and ends up where a fresh subscriber starts.
    const back = socketFor(url, admin);
    await connected(back);
    const sync = await back.emitWithAck('sync:since', { seq: lastSeq, regionId: snap.data.regionId });
    if (!sync.ok) throw new Error(sync.error.message);
    if (sync.data.mode === 'delta') for (const c of sync.data.changes) apply(c.seq, c.incident);
    else for (const i of sync.data.snapshot.incidents) apply(sync.data.snapshot.seq, i);
    const fresh = (await back.emitWithAck('scope:subscribe', {})) as { ok: true; data: Snapshot };
    const freshById = new Map(fresh.data.incidents.map((i) => [i.id, i.status]));
    for (const [id, status] of freshById) expect(seen.get(id)?.status, id).toBe(status);
    back.disconnect();
  });
});

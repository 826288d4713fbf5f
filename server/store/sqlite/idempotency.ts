import { randomUUID } from 'node:crypto';
import type { IdempotencyStore } from '../types.ts';
import type { Db } from './open.ts';

interface KeyRow {
  fingerprint: string;
  owner: string;
  status: number | null;
  body: string | null;
}

/** Idempotency keys in SQLite: the claim is one transaction, so of two concurrent claims one inserts. */
export function sqliteIdempotencyStore(db: Db): IdempotencyStore {
  const s = {
    sweep: db.prepare<[number]>('DELETE FROM idempotency_keys WHERE expires_ms < ?'),
    dropAbandoned: db.prepare<[string, string, number]>(
      'DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND status IS NULL AND created_ms < ?',
    ),
    insert: db.prepare<[string, string, string, string, number, number]>(
      `INSERT INTO idempotency_keys (user_id, key, fingerprint, owner, created_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, key) DO NOTHING`,
    ),
    get: db.prepare<[string, string], KeyRow>('SELECT fingerprint, owner, status, body FROM idempotency_keys WHERE user_id = ? AND key = ?'),
    complete: db.prepare<[number, string, string, string, string]>(
      'UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND key = ? AND owner = ?',
    ),
    release: db.prepare<[string, string, string]>('DELETE FROM idempotency_keys WHERE user_id = ? AND key = ? AND owner = ? AND status IS NULL'),
  };
  const claimTx = db.transaction((userId: string, key: string, fingerprint: string, nowMs: number, ttlMs: number, leaseMs: number) => {
    s.sweep.run(nowMs);
    s.dropAbandoned.run(userId, key, nowMs - leaseMs);
    const owner = randomUUID();
    if (s.insert.run(userId, key, fingerprint, owner, nowMs, nowMs + ttlMs).changes === 1) return { kind: 'claimed' as const, owner };
    const r = s.get.get(userId, key)!;
    return r.status === null
      ? { kind: 'pending' as const, fingerprint: r.fingerprint }
      : { kind: 'done' as const, fingerprint: r.fingerprint, status: r.status, body: r.body ?? '' };
  });
  return {
    claim: async (userId, key, fingerprint, now, ttlMs, leaseMs) => claimTx(userId, key, fingerprint, now.getTime(), ttlMs, leaseMs),
    complete: async (userId, key, owner, status, body) => {
      s.complete.run(status, body, userId, key, owner);
    },
    release: async (userId, key, owner) => {
      s.release.run(userId, key, owner);
    },
  };
}

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { IdempotencyStore } from '../types.ts';

interface KeyRow {
  fingerprint: string;
  status: number | null;
  body: string | null;
}

/**
 * Idempotency keys in PostgreSQL, shared by every node: INSERT … ON CONFLICT DO NOTHING lets exactly one of
 * several concurrent claims (on any node) insert the key; the others read what it stored.
 */
export function postgresIdempotencyStore(pool: pg.Pool): IdempotencyStore {
  return {
    async claim(userId, key, fingerprint, now, ttlMs, leaseMs) {
      const nowMs = now.getTime();
      await pool.query('DELETE FROM idempotency_keys WHERE expires_ms < $1', [nowMs]);
      await pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL AND created_ms < $3', [
        userId,
        key,
        nowMs - leaseMs,
      ]);
      // A sweep on another node may delete the row between the insert and the read: then claim again.
      for (let attempt = 0; attempt < 3; attempt++) {
        const owner = randomUUID();
        const inserted = await pool.query(
          `INSERT INTO idempotency_keys (user_id, key, fingerprint, owner, created_ms, expires_ms) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (user_id, key) DO NOTHING`,
          [userId, key, fingerprint, owner, nowMs, nowMs + ttlMs],
        );
        if (inserted.rowCount === 1) return { kind: 'claimed', owner };
        const r = (await pool.query<KeyRow>('SELECT fingerprint, status, body FROM idempotency_keys WHERE user_id = $1 AND key = $2', [userId, key])).rows[0];
        if (!r) continue;
        return r.status === null
          ? { kind: 'pending', fingerprint: r.fingerprint }
          : { kind: 'done', fingerprint: r.fingerprint, status: r.status, body: r.body ?? '' };
      }
      throw new Error('idempotency key claim did not settle');
    },
    async complete(userId, key, owner, status, body) {
      await pool.query('UPDATE idempotency_keys SET status = $1, body = $2 WHERE user_id = $3 AND key = $4 AND owner = $5', [status, body, userId, key, owner]);
    },
    async release(userId, key, owner) {
      await pool.query('DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND owner = $3 AND status IS NULL', [userId, key, owner]);
    },
  };
}

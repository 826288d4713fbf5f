import { postgresCareStore } from './care.ts';
import type { RejectedMessage, Store } from '../types.ts';
import { postgresFieldStore, postgresMediaStore } from './field.ts';
import { postgresAuditStore } from './audit.ts';
import { postgresHolidayStore } from './holidays.ts';
import { postgresMeterStore } from './meters.ts';
import { postgresParkedStore } from './parked.ts';
import { postgresIdempotencyStore } from './idempotency.ts';
import { postgresIncidentStore } from './incidents.ts';
import { postgresLoginFailureStore } from './login-failures.ts';
import { migrate } from './schema.ts';
import { postgresPopulationStore } from './population.ts';
import { postgresMobileStore } from './mobile.ts';
import { postgresPartyStore, postgresWorkloadStore } from './parties.ts';
import { postgresReplayStore } from './replay.ts';
import { createPool } from './tx.ts';
import { toPublic, toUser, type UserRow } from '../rows.ts';
import { userPatchSql } from '../user-patch.ts';
import { toWallLink, type WallLinkRow } from '../wall-link-rows.ts';
import { postgresAnalyticsStore } from './analytics.ts';
import { postgresFeedbackStore } from './feedback.ts';

const USER_COLS = 'id, username, display_name, role, region_id, password_hash, worker_id';
const USER_READ_COLS = `${USER_COLS}, disabled, must_change_password, tokens_after_ms`;


/**
 * The shared store for several nodes: PostgreSQL at `url` (tables in the first schema of the connection's
 * search_path, e.g. `?options=-c%20search_path%3Dgridops`), migrated on open.
 */
export async function createPostgresStore(
  url: string,
  rootRegionId: string,
  onPoolError: (err: Error) => void = () => undefined,
): Promise<Store> {
  const pool = createPool(url, onPoolError);
  try {
    await migrate(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const incidents = postgresIncidentStore(pool, rootRegionId);
  await incidents.backfillMergeCells();
  const one = async <T extends object>(sql: string, params: unknown[]): Promise<T | null> =>
    (await pool.query<T>(sql, params)).rows[0] ?? null;

  return {
    kind: 'postgres',
    incidents,
    population: postgresPopulationStore(pool),
    parties: postgresPartyStore(pool),
    workload: postgresWorkloadStore(pool),
    care: postgresCareStore(pool),
    mobile: postgresMobileStore(pool),
    media: postgresMediaStore(pool),
    field: postgresFieldStore(pool),
    replay: postgresReplayStore(pool),
    analytics: postgresAnalyticsStore(pool, rootRegionId),
    feedback: postgresFeedbackStore(pool),
    audit: postgresAuditStore(pool),
    holidays: postgresHolidayStore(pool),
    meters: postgresMeterStore(pool),
    parked: postgresParkedStore(pool),
    idempotency: postgresIdempotencyStore(pool),
    loginFailures: postgresLoginFailureStore(pool),
    users: {
      byUsername: async (username) => {
        const r = await one<UserRow>(`SELECT ${USER_READ_COLS} FROM users WHERE username = $1`, [username]);
        return r ? toUser(r) : null;
      },
      byId: async (id) => {
        const r = await one<UserRow>(`SELECT ${USER_READ_COLS} FROM users WHERE id = $1`, [id]);
        return r ? toUser(r) : null;
      },
      create: async (u) => {
        await pool.query(
          `INSERT INTO users (${USER_COLS}, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [u.id, u.username, u.displayName, u.role, u.regionId, u.passwordHash, u.workerId ?? null, Date.now()],
        );
      },
      list: async () =>
        (await pool.query<UserRow>(`SELECT ${USER_READ_COLS} FROM users ORDER BY username COLLATE "C"`)).rows.map((r) => toPublic(toUser(r))),
      count: async () => (await one<{ n: number }>('SELECT count(*)::int AS n FROM users', []))!.n,
      setDisabled: async (id, disabled) => ((await pool.query('UPDATE users SET disabled = $1 WHERE id = $2', [disabled ? 1 : 0, id])).rowCount ?? 0) > 0,
      update: async (id, patch) => {
        const { set, values } = userPatchSql(patch, (i) => `$${i}`);
        if (!set) return (await one<{ id: string }>('SELECT id FROM users WHERE id = $1', [id])) !== null;
        return ((await pool.query(`UPDATE users SET ${set} WHERE id = $${values.length + 1}`, [...values, id])).rowCount ?? 0) > 0;
      },
    },
    wallLinks: {
      create: async (l) => {
        await pool.query('INSERT INTO wall_links (id, label, created_by, created_at, expires_at, rotation, region_id) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          l.id,
          l.label,
          l.createdBy,
          l.createdAt.getTime(),
          l.expiresAt.getTime(),
          l.rotation ? JSON.stringify(l.rotation) : null,
          l.regionId,
        ]);
      },
      get: async (id) => {
        const r = await one<WallLinkRow>('SELECT * FROM wall_links WHERE id = $1', [id]);
        return r ? toWallLink(r, rootRegionId) : null;
      },
      list: async () => (await pool.query<WallLinkRow>('SELECT * FROM wall_links ORDER BY created_at DESC, id')).rows.map((r) => toWallLink(r, rootRegionId)),
      revoke: async (id, now) =>
        ((await pool.query('UPDATE wall_links SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now.getTime(), id])).rowCount ?? 0) > 0,
      update: async (id, set) =>
        ((await pool.query('UPDATE wall_links SET label = $1, rotation = $2, region_id = $3 WHERE id = $4 AND revoked_at IS NULL', [
          set.label,
          set.rotation ? JSON.stringify(set.rotation) : null,
          set.regionId,
          id,
        ])).rowCount ?? 0) > 0,
      reissue: async (id, now) =>
        (await one<{ token_gen: number }>('UPDATE wall_links SET token_gen = token_gen + 1, reissued_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING token_gen', [
          now.getTime(),
          id,
        ]))?.token_gen ?? null,
    },
    settings: {
      get: async (key) => (await one<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]))?.value ?? null,
      set: async (key, value) => {
        await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [
          key,
          value,
        ]);
      },
      setIfAbsent: async (key, value) => {
        await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
        return (await one<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]))!.value;
      },
    },
    rejects: {
      add: async (connectorId, reason, payload, now) => {
        await pool.query('INSERT INTO rejected (connector_id, received_ms, reason, payload) VALUES ($1, $2, $3, $4)', [
          connectorId,
          now.getTime(),
          reason,
          payload,
        ]);
      },
      list: async (connectorId, limit) =>
        (
          await pool.query<{ id: number; connector_id: string; received_ms: number; reason: string; payload: string }>(
            `SELECT id, connector_id, received_ms, reason, payload FROM rejected
              WHERE ($1::text IS NULL OR connector_id = $1) ORDER BY id DESC LIMIT $2`,
            [connectorId, limit],
          )
        ).rows.map(
          (r): RejectedMessage => ({
            id: r.id,
            connectorId: r.connector_id,
            receivedAt: new Date(r.received_ms).toISOString(),
            reason: r.reason,
            payload: r.payload,
          }),
        ),
      countSince: async (connectorId, since) =>
        Number((await one<{ n: string }>('SELECT count(*) AS n FROM rejected WHERE connector_id = $1 AND received_ms >= $2', [connectorId, since.getTime()]))!.n),
      prune: async (before) => (await pool.query('DELETE FROM rejected WHERE received_ms < $1', [before.getTime()])).rowCount ?? 0,
    },
    ping: async () => {
      try {
        return (await pool.query('SELECT 1')).rowCount === 1;
      } catch {
        return false;
      }
    },
    close: async () => {
      await pool.end();
    },
  };
}

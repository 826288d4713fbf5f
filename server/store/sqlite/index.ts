import { sqliteCareStore } from './care.ts';
import type { RejectedMessage, Store } from '../types.ts';
import { sqliteFieldStore, sqliteMediaStore } from './field.ts';
import { sqliteAnalyticsStore } from './analytics.ts';
import { sqliteFeedbackStore } from './feedback.ts';
import { sqliteAuditStore } from './audit.ts';
import { sqliteHolidayStore } from './holidays.ts';
import { sqliteMeterStore } from './meters.ts';
import { sqliteParkedStore } from './parked.ts';
import { sqliteIdempotencyStore } from './idempotency.ts';
import { sqliteIncidentStore } from './incidents.ts';
import { sqliteLoginFailureStore } from './login-failures.ts';
import { openSqlite } from './open.ts';
import { sqlitePopulationStore } from './population.ts';
import { sqliteMobileStore } from './mobile.ts';
import { sqlitePartyStore, sqliteWorkloadStore } from './parties.ts';
import { sqliteReplayStore } from './replay.ts';
import { toPublic, toUser, type UserRow } from '../rows.ts';
import { userPatchSql } from '../user-patch.ts';
import { toWallLink, type WallLinkRow } from '../wall-link-rows.ts';

/** The embedded default store: one SQLite file in WAL mode. */
export function createSqliteStore(file: string, rootRegionId: string): Store {
  const db = openSqlite(file);
  const q = {
    byUsername: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
    byId: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    insertUser: db.prepare(
      `INSERT INTO users (id, username, display_name, role, region_id, password_hash, worker_id, created_ms)
       VALUES (@id, @username, @displayName, @role, @regionId, @passwordHash, @workerId, @createdMs)`,
    ),
    users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY username'),
    userCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    setDisabled: db.prepare<[number, string]>('UPDATE users SET disabled = ? WHERE id = ?'),
    addWallLink: db.prepare(
      'INSERT INTO wall_links (id, label, created_by, created_at, expires_at, rotation, region_id) VALUES (@id, @label, @createdBy, @createdAt, @expiresAt, @rotation, @regionId)',
    ),
    wallLink: db.prepare<[string], WallLinkRow>('SELECT * FROM wall_links WHERE id = ?'),
    wallLinks: db.prepare<[], WallLinkRow>('SELECT * FROM wall_links ORDER BY created_at DESC, id'),
    revokeWallLink: db.prepare<[number, string]>('UPDATE wall_links SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
    updateWallLink: db.prepare<[string, string | null, string, string]>('UPDATE wall_links SET label = ?, rotation = ?, region_id = ? WHERE id = ? AND revoked_at IS NULL'),
    reissueWallLink: db.prepare<[number, string], { token_gen: number }>(
      'UPDATE wall_links SET token_gen = token_gen + 1, reissued_at = ? WHERE id = ? AND revoked_at IS NULL RETURNING token_gen',
    ),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    insertSetting: db.prepare('INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)'),
    setSetting: db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    // In chunks: one synchronous DELETE of a large backlog would stall the event loop.
    countRejects: db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM rejected WHERE connector_id = ? AND received_ms >= ?'),
    pruneRejects: db.prepare('DELETE FROM rejected WHERE id IN (SELECT id FROM rejected WHERE received_ms < ? LIMIT 5000)'),
    addReject: db.prepare('INSERT INTO rejected (connector_id, received_ms, reason, payload) VALUES (?, ?, ?, ?)'),
    rejects: db.prepare<[string | null, string | null, number], { id: number; connector_id: string; received_ms: number; reason: string; payload: string }>(
      'SELECT * FROM rejected WHERE (? IS NULL OR connector_id = ?) ORDER BY id DESC LIMIT ?',
    ),
  };
  return {
    kind: 'sqlite',
    incidents: sqliteIncidentStore(db, rootRegionId),
    idempotency: sqliteIdempotencyStore(db),
    loginFailures: sqliteLoginFailureStore(db),
    population: sqlitePopulationStore(db),
    parties: sqlitePartyStore(db),
    workload: sqliteWorkloadStore(db),
    care: sqliteCareStore(db),
    mobile: sqliteMobileStore(db),
    media: sqliteMediaStore(db),
    field: sqliteFieldStore(db),
    replay: sqliteReplayStore(db),
    analytics: sqliteAnalyticsStore(db, rootRegionId),
    feedback: sqliteFeedbackStore(db),
    audit: sqliteAuditStore(db),
    holidays: sqliteHolidayStore(db),
    meters: sqliteMeterStore(db),
    parked: sqliteParkedStore(db),
    users: {
      byUsername: async (username) => {
        const r = q.byUsername.get(username);
        return r ? toUser(r) : null;
      },
      byId: async (id) => {
        const r = q.byId.get(id);
        return r ? toUser(r) : null;
      },
      create: async (user) => {
        q.insertUser.run({ ...user, workerId: user.workerId ?? null, createdMs: Date.now() });
      },
      list: async () => q.users.all().map((r) => toPublic(toUser(r))),
      count: async () => q.userCount.get()!.n,
      setDisabled: async (id, disabled) => q.setDisabled.run(disabled ? 1 : 0, id).changes > 0,
      update: async (id, patch) => {
        const { set, values } = userPatchSql(patch, () => '?');
        if (!set) return q.byId.get(id) !== undefined;
        return db.prepare(`UPDATE users SET ${set} WHERE id = ?`).run(...values, id).changes > 0;
      },
    },
    wallLinks: {
      create: async (l) => {
        q.addWallLink.run({
          ...l,
          createdAt: l.createdAt.getTime(),
          expiresAt: l.expiresAt.getTime(),
          rotation: l.rotation ? JSON.stringify(l.rotation) : null,
        });
      },
      get: async (id) => {
        const r = q.wallLink.get(id);
        return r ? toWallLink(r, rootRegionId) : null;
      },
      list: async () => q.wallLinks.all().map((r) => toWallLink(r, rootRegionId)),
      revoke: async (id, now) => q.revokeWallLink.run(now.getTime(), id).changes > 0,
      update: async (id, set) => q.updateWallLink.run(set.label, set.rotation ? JSON.stringify(set.rotation) : null, set.regionId, id).changes > 0,
      reissue: async (id, now) => q.reissueWallLink.get(now.getTime(), id)?.token_gen ?? null,
    },
    settings: {
      get: async (key) => q.getSetting.get(key)?.value ?? null,
      set: async (key, value) => {
        q.setSetting.run(key, value);
      },
      setIfAbsent: async (key, value) => {
        q.insertSetting.run(key, value);
        return q.getSetting.get(key)!.value;
      },
    },
    rejects: {
      add: async (connectorId, reason, payload, now) => {
        q.addReject.run(connectorId, now.getTime(), reason, payload);
      },
      list: async (connectorId, limit) =>
        q.rejects.all(connectorId, connectorId, limit).map(
          (r): RejectedMessage => ({
            id: r.id,
            connectorId: r.connector_id,
            receivedAt: new Date(r.received_ms).toISOString(),
            reason: r.reason,
            payload: r.payload,
          }),
        ),
      countSince: async (connectorId, since) => q.countRejects.get(connectorId, since.getTime())!.n,
      prune: async (before) => {
        let total = 0;
        for (;;) {
          const n = q.pruneRejects.run(before.getTime()).changes;
          if (n === 0) return total;
          total += n;
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
    },
    ping: async () => db.prepare('SELECT 1').get() !== undefined,
    close: async () => {
      db.close();
    },
  };
}

import type { LoginFailureStore } from '../types.ts';
import type { Db } from './open.ts';

/** Failed-login counters in SQLite: one upsert counts an attempt and restarts a window that has run out. */
export function sqliteLoginFailureStore(db: Db): LoginFailureStore {
  const hit = db.prepare<[string, number, number, number], { failures: number }>(
    `INSERT INTO login_failures (account, window_start_ms, failures) VALUES (?, ?, 1)
     ON CONFLICT (account) DO UPDATE SET
       failures = CASE WHEN login_failures.window_start_ms <= ? THEN 1 ELSE login_failures.failures + 1 END,
       window_start_ms = CASE WHEN login_failures.window_start_ms <= ? THEN excluded.window_start_ms ELSE login_failures.window_start_ms END
     RETURNING failures`,
  );
  const reset = db.prepare<[string]>('DELETE FROM login_failures WHERE account = ?');
  const sweep = db.prepare<[number]>('DELETE FROM login_failures WHERE window_start_ms <= ?');
  return {
    hit: async (account, now, windowMs) => {
      const nowMs = now.getTime();
      const expired = nowMs - windowMs;
      // Counters of unknown usernames would otherwise pile up; a window that ran out means nothing.
      if (Math.random() < 0.01) sweep.run(expired);
      return hit.get(account, nowMs, expired, expired)!.failures;
    },
    reset: async (account) => {
      reset.run(account);
    },
  };
}

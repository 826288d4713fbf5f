import type pg from 'pg';
import type { LoginFailureStore } from '../types.ts';

/** Failed-login counters in PostgreSQL, shared by every node: one upsert counts and restarts a run-out window. */
export function postgresLoginFailureStore(pool: pg.Pool): LoginFailureStore {
  return {
    async hit(account, now, windowMs) {
      const nowMs = now.getTime();
      const expired = nowMs - windowMs;
      // Counters of unknown usernames would otherwise pile up; a window that ran out means nothing.
      if (Math.random() < 0.01) await pool.query('DELETE FROM login_failures WHERE window_start_ms <= $1', [expired]);
      const { rows } = await pool.query<{ failures: number }>(
        `INSERT INTO login_failures (account, window_start_ms, failures) VALUES ($1, $2, 1)
         ON CONFLICT (account) DO UPDATE SET
           failures = CASE WHEN login_failures.window_start_ms <= $3 THEN 1 ELSE login_failures.failures + 1 END,
           window_start_ms = CASE WHEN login_failures.window_start_ms <= $3 THEN EXCLUDED.window_start_ms ELSE login_failures.window_start_ms END
         RETURNING failures`,
        [account, nowMs, expired],
      );
      return rows[0]!.failures;
    },
    async reset(account) {
      await pool.query('DELETE FROM login_failures WHERE account = $1', [account]);
    },
  };
}

import type pg from 'pg';
import type { HolidayStore } from '../types.ts';
import { toYears, type HolidayRow } from '../holiday-rows.ts';
import { withTx } from './tx.ts';

export function postgresHolidayStore(pool: pg.Pool): HolidayStore {
  return {
    years: async () => toYears((await pool.query<HolidayRow>('SELECT date, kind, name FROM holiday_days ORDER BY date COLLATE "C"')).rows),
    putYear: async (year, days, by, now) => {
      await withTx(pool, async (client) => {
        await client.query('DELETE FROM holiday_days WHERE date >= $1 AND date < $2', [`${year}-01-01`, `${year + 1}-01-01`]);
        for (const d of days) {
          await client.query('INSERT INTO holiday_days (date, kind, name, updated_by, updated_ms) VALUES ($1, $2, $3, $4, $5)', [d.date, d.kind, d.name, by, now.getTime()]);
        }
      });
    },
  };
}

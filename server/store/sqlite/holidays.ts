import type { HolidayStore } from '../types.ts';
import { toYears, type HolidayRow } from '../holiday-rows.ts';
import type { Db } from './open.ts';

export function sqliteHolidayStore(db: Db): HolidayStore {
  const all = db.prepare<[], HolidayRow>('SELECT date, kind, name FROM holiday_days ORDER BY date');
  const clear = db.prepare('DELETE FROM holiday_days WHERE date >= ? AND date < ?');
  const insert = db.prepare('INSERT INTO holiday_days (date, kind, name, updated_by, updated_ms) VALUES (?, ?, ?, ?, ?)');
  const put = db.transaction((year: number, days: readonly HolidayRow[], by: string | null, now: number) => {
    clear.run(`${year}-01-01`, `${year + 1}-01-01`);
    for (const d of days) insert.run(d.date, d.kind, d.name, by, now);
  });
  return {
    years: async () => toYears(all.all()),
    putYear: async (year, days, by, now) => {
      put(year, days, by, now.getTime());
    },
  };
}

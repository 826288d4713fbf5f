import { projectAggregate } from '#common/population/privacy';
import type { GridMonthPopulation } from '#common/population/types';
import type { PopulationStore } from '../types.ts';
import { prefixRange, type Db } from './open.ts';

interface Row {
  grid_id: string;
  month: string;
  synthetic: number;
  data: string;
}

/** Whitelisted on the way out too: whatever the column holds, only aggregate counts leave the store. */
const toRow = (r: Row): GridMonthPopulation => ({
  gridId: r.grid_id,
  month: r.month,
  synthetic: r.synthetic === 1,
  aggregate: projectAggregate(JSON.parse(r.data)),
});

export function sqlitePopulationStore(db: Db): PopulationStore {
  const q = {
    upsert: db.prepare(
      `INSERT INTO population (grid_id, month, synthetic, data, updated_ms) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (grid_id, month) DO UPDATE SET synthetic = excluded.synthetic, data = excluded.data, updated_ms = excluded.updated_ms`,
    ),
    rows: db.prepare<[string, string, string], Row>(
      'SELECT grid_id, month, synthetic, data FROM population WHERE grid_id >= ? AND grid_id < ? AND month >= ? ORDER BY grid_id, month',
    ),
    latest: db.prepare<[string, string], { m: string | null }>('SELECT max(month) AS m FROM population WHERE grid_id >= ? AND grid_id < ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM population'),
  };
  const replace = db.transaction((rows: readonly GridMonthPopulation[], now: number) => {
    for (const r of rows) q.upsert.run(r.gridId, r.month, r.synthetic ? 1 : 0, JSON.stringify(projectAggregate(r.aggregate)), now);
  });
  return {
    replaceMonths: async (rows) => {
      replace(rows, Date.now());
    },
    rows: async (regionId, fromMonth) => q.rows.all(...prefixRange(regionId), fromMonth ?? '').map(toRow),
    latestMonth: async (regionId) => q.latest.get(...prefixRange(regionId))?.m ?? null,
    count: async () => q.count.get()!.n,
  };
}

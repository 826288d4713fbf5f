import type pg from 'pg';
import { projectAggregate } from '#common/population/privacy';
import type { GridMonthPopulation } from '#common/population/types';
import type { PopulationStore } from '../types.ts';
import { prefixRange, withTx } from './tx.ts';

interface Row {
  grid_id: string;
  month: string;
  synthetic: boolean;
  data: string;
}

/** Whitelisted on the way out too: whatever the column holds, only aggregate counts leave the store. */
const toRow = (r: Row): GridMonthPopulation => ({
  gridId: r.grid_id,
  month: r.month,
  synthetic: r.synthetic,
  aggregate: projectAggregate(JSON.parse(r.data)),
});

/** Rows per statement: keeps each array parameter a few MB at most. */
const CHUNK = 2000;

export function postgresPopulationStore(pool: pg.Pool): PopulationStore {
  return {
    replaceMonths: async (rows) => {
      if (!rows.length) return;
      const now = Date.now();
      await withTx(pool, async (client) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          const part = rows.slice(i, i + CHUNK);
          await client.query(
            `INSERT INTO population (grid_id, month, synthetic, data, updated_ms)
             SELECT g, m, s, d, $5 FROM unnest($1::text[], $2::text[], $3::boolean[], $4::text[]) AS t(g, m, s, d)
             ON CONFLICT (grid_id, month) DO UPDATE SET synthetic = excluded.synthetic, data = excluded.data, updated_ms = excluded.updated_ms`,
            [
              part.map((r) => r.gridId),
              part.map((r) => r.month),
              part.map((r) => r.synthetic),
              part.map((r) => JSON.stringify(projectAggregate(r.aggregate))),
              now,
            ],
          );
        }
      });
    },
    rows: async (regionId, fromMonth) => {
      const [lo, hi] = prefixRange(regionId);
      const res = await pool.query<Row>(
        `SELECT grid_id, month, synthetic, data FROM population
          WHERE grid_id >= $1 AND grid_id < $2 AND month >= $3 ORDER BY grid_id, month`,
        [lo, hi, fromMonth ?? ''],
      );
      return res.rows.map(toRow);
    },
    latestMonth: async (regionId) => {
      const [lo, hi] = prefixRange(regionId);
      const res = await pool.query<{ m: string | null }>('SELECT max(month) AS m FROM population WHERE grid_id >= $1 AND grid_id < $2', [lo, hi]);
      return res.rows[0]?.m ?? null;
    },
    count: async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM population')).rows[0]!.n,
  };
}

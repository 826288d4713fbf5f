import type pg from 'pg';
import { TERMINAL_STATUSES } from '#common/incidents/types';
import { candidatesWhere, toReplayChange, type ReplayRow } from '../replay-rows.ts';
import type { ReplayStore } from '../types.ts';
import { prefixRange } from './tx.ts';

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');

export function postgresReplayStore(pool: pg.Pool): ReplayStore {
  return {
    latestAt: async (regionId, atMs) => {
      const [lo, hi] = prefixRange(regionId);
      const { rows } = await pool.query<ReplayRow>(
        `SELECT e.seq, e.at_ms, e.data FROM incidents i
           CROSS JOIN LATERAL (SELECT seq, at_ms, data FROM events x WHERE x.incident_id = i.id AND x.at_ms <= $3 ORDER BY seq DESC LIMIT 1) e
         WHERE ${candidatesWhere(TERMINAL_SQL, { lo: '$1', hi: '$2', at: '$3' })}`,
        [lo, hi, atMs],
      );
      return rows.map(toReplayChange);
    },
    between: async (regionId, fromMs, toMs, limit) => {
      const [lo, hi] = prefixRange(regionId);
      const { rows } = await pool.query<ReplayRow>(
        'SELECT seq, at_ms, data FROM events WHERE at_ms > $1 AND at_ms <= $2 AND region_id >= $3 AND region_id < $4 ORDER BY seq LIMIT $5',
        [fromMs, toMs, lo, hi, limit],
      );
      return rows.map(toReplayChange);
    },
  };
}

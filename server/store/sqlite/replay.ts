import { TERMINAL_STATUSES } from '#common/incidents/types';
import { candidatesWhere, toReplayChange, type ReplayRow } from '../replay-rows.ts';
import type { ReplayStore } from '../types.ts';
import { prefixRange, type Db } from './open.ts';

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');

export function sqliteReplayStore(db: Db): ReplayStore {
  const latestAt = db.prepare<{ lo: string; hi: string; at: number }, ReplayRow>(
    `SELECT e.seq, e.at_ms, e.data FROM incidents i
       JOIN events e ON e.seq = (SELECT max(seq) FROM events x WHERE x.incident_id = i.id AND x.at_ms <= @at)
     WHERE ${candidatesWhere(TERMINAL_SQL, { lo: '@lo', hi: '@hi', at: '@at' })}`,
  );
  const between = db.prepare<[number, number, string, string, number], ReplayRow>(
    `SELECT seq, at_ms, data FROM events WHERE at_ms > ? AND at_ms <= ? AND region_id >= ? AND region_id < ? ORDER BY seq LIMIT ?`,
  );
  return {
    latestAt: async (regionId, atMs) => {
      const [lo, hi] = prefixRange(regionId);
      return latestAt.all({ lo, hi, at: atMs }).map(toReplayChange);
    },
    between: async (regionId, fromMs, toMs, limit) => between.all(fromMs, toMs, ...prefixRange(regionId), limit).map(toReplayChange),
  };
}

import type { ReplayChange } from '#common/replay/fold';
import { parseIncident } from './rows.ts';

/** An `events` row as both stores read it for replay (bigint columns may come back as strings). */
export interface ReplayRow {
  seq: number | string;
  at_ms: number | string;
  data: string;
}

export const toReplayChange = (r: ReplayRow): ReplayChange => ({ seq: Number(r.seq), at: Number(r.at_ms), incident: parseIncident(r) });

/** Upstream report times may run this far ahead of the clock (the ingest schema allows 10 minutes). */
const AHEAD_MS = 10 * 60_000;

/**
 * Incidents that may have been open at an instant: reported by then (give or take the allowed clock skew), and either unfinished now or changed
 * after it (a case finished with no later change was finished at that instant too).
 */
export const candidatesWhere = (terminalSql: string, p: { lo: string; hi: string; at: string }) =>
  `i.region_id >= ${p.lo} AND i.region_id < ${p.hi} AND i.reported_ms <= ${p.at} + ${AHEAD_MS} AND (i.status NOT IN (${terminalSql}) OR i.updated_ms > ${p.at})`;

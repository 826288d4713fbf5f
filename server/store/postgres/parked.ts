import type pg from 'pg';
import type { ParkedStore } from '../types.ts';
import { parkedData, parkedNumber, parseParked, withoutEvent, type ParkedRow } from '../parked-rows.ts';
import { prefixRange } from './tx.ts';

const COLS = 'id, received_ms, placed_ms, incident_id, placed_by, data';

export function postgresParkedStore(pool: pg.Pool): ParkedStore {
  const byId = async (n: number) => (await pool.query<ParkedRow>(`SELECT ${COLS} FROM parked_reports WHERE id = $1`, [n])).rows[0];
  return {
    add: async (r, now) => {
      // ON CONFLICT DO NOTHING then a read: of two nodes parking one report at once, one inserts, both read it.
      const ins = await pool.query(
        `INSERT INTO parked_reports (connector_id, external_id, region_id, received_ms, data) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (connector_id, external_id) DO NOTHING`,
        [r.connectorId, r.externalId, r.regionId, now.getTime(), parkedData(r)],
      );
      const row = (await pool.query<ParkedRow>(`SELECT ${COLS} FROM parked_reports WHERE connector_id = $1 AND external_id = $2`, [r.connectorId, r.externalId])).rows[0]!;
      return { report: withoutEvent(parseParked(row)), duplicate: ins.rowCount !== 1 };
    },
    get: async (id) => {
      const n = parkedNumber(id);
      const row = n === null ? undefined : await byId(n);
      return row ? parseParked(row) : null;
    },
    open: async (regionId, limit) => {
      const [lo, hi] = prefixRange(regionId);
      const where = 'placed_ms IS NULL AND region_id >= $1 AND region_id < $2';
      const [items, count] = await Promise.all([
        pool.query<ParkedRow>(`SELECT ${COLS} FROM parked_reports WHERE ${where} ORDER BY id LIMIT $3`, [lo, hi, limit]),
        pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM parked_reports WHERE ${where}`, [lo, hi]),
      ]);
      return { items: items.rows.map((r) => withoutEvent(parseParked(r))), total: count.rows[0]!.n };
    },
    markPlaced: async (id, incidentId, by, now) => {
      const n = parkedNumber(id);
      if (n === null) return false;
      const r = await pool.query('UPDATE parked_reports SET placed_ms = $1, incident_id = $2, placed_by = $3 WHERE id = $4 AND placed_ms IS NULL', [now.getTime(), incidentId, by, n]);
      return r.rowCount === 1;
    },
    recordLocate: async (entry, seq) => {
      await pool.query('INSERT INTO incident_history (incident_id, seq, data) VALUES ($1, $2, $3)', [entry.incidentId, seq, JSON.stringify(entry)]);
    },
  };
}

import type { ParkedStore } from '../types.ts';
import { parkedData, parkedNumber, parseParked, withoutEvent, type ParkedRow } from '../parked-rows.ts';
import { prefixRange, type Db } from './open.ts';

const COLS = 'id, received_ms, placed_ms, incident_id, placed_by, data';

export function sqliteParkedStore(db: Db): ParkedStore {
  const s = {
    insert: db.prepare(
      `INSERT INTO parked_reports (connector_id, external_id, region_id, received_ms, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (connector_id, external_id) DO NOTHING`,
    ),
    byKey: db.prepare<[string, string], ParkedRow>(`SELECT ${COLS} FROM parked_reports WHERE connector_id = ? AND external_id = ?`),
    byId: db.prepare<[number], ParkedRow>(`SELECT ${COLS} FROM parked_reports WHERE id = ?`),
    open: db.prepare<[string, string, number], ParkedRow>(
      `SELECT ${COLS} FROM parked_reports WHERE placed_ms IS NULL AND region_id >= ? AND region_id < ? ORDER BY id LIMIT ?`,
    ),
    count: db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM parked_reports WHERE placed_ms IS NULL AND region_id >= ? AND region_id < ?'),
    place: db.prepare<[number, string, string, number]>('UPDATE parked_reports SET placed_ms = ?, incident_id = ?, placed_by = ? WHERE id = ? AND placed_ms IS NULL'),
    history: db.prepare('INSERT INTO incident_history (incident_id, seq, data) VALUES (?, ?, ?)'),
  };
  const add = db.transaction((r: Parameters<ParkedStore['add']>[0], now: Date) => {
    const inserted = s.insert.run(r.connectorId, r.externalId, r.regionId, now.getTime(), parkedData(r)).changes === 1;
    return { report: withoutEvent(parseParked(s.byKey.get(r.connectorId, r.externalId)!)), duplicate: !inserted };
  });
  return {
    add: async (r, now) => add(r, now),
    get: async (id) => {
      const n = parkedNumber(id);
      const row = n === null ? undefined : s.byId.get(n);
      return row ? parseParked(row) : null;
    },
    open: async (regionId, limit) => {
      const range = prefixRange(regionId);
      return { items: s.open.all(...range, limit).map((r) => withoutEvent(parseParked(r))), total: s.count.get(...range)!.n };
    },
    markPlaced: async (id, incidentId, by, now) => {
      const n = parkedNumber(id);
      return n !== null && s.place.run(now.getTime(), incidentId, by, n).changes === 1;
    },
    recordLocate: async (entry, seq) => {
      s.history.run(entry.incidentId, seq, JSON.stringify(entry));
    },
  };
}

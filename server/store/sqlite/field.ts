import { toCheckin, toFix, toMedia, toPatrol, type CheckinRow, type FixRow, type MediaRow, type PatrolRow } from '../field-rows.ts';
import type { FieldStore, MediaRecordStore } from '../field-types.ts';
import type { Db } from './open.ts';

export function sqliteMediaStore(db: Db): MediaRecordStore {
  const q = {
    add: db.prepare(
      'INSERT INTO incident_media (id, incident_id, kind, uploaded_by, at_ms, width, height, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    get: db.prepare<[string], MediaRow>('SELECT * FROM incident_media WHERE id = ?'),
    list: db.prepare<[string], MediaRow>('SELECT * FROM incident_media WHERE incident_id = ? ORDER BY at_ms, id'),
  };
  return {
    add: async (m) => {
      q.add.run(m.id, m.incidentId, m.kind, m.uploadedBy, m.at.getTime(), m.width, m.height, m.bytes);
    },
    get: async (id) => {
      const r = q.get.get(id);
      return r ? toMedia(r) : null;
    },
    list: async (incidentId) => q.list.all(incidentId).map(toMedia),
  };
}

export function sqliteFieldStore(db: Db): FieldStore {
  const q = {
    addFix: db.prepare('INSERT INTO worker_positions (worker_id, at_ms, lng, lat, accuracy, patrol_id) VALUES (?, ?, ?, ?, ?, ?)'),
    // The newest row per worker: the (worker_id, at_ms) index answers max(at_ms) per worker.
    last: db.prepare<[number, string | null, string | null], FixRow>(
      `SELECT p.* FROM worker_positions p
         JOIN (SELECT worker_id, max(at_ms) AS m FROM worker_positions WHERE at_ms >= ?
                 AND (? IS NULL OR worker_id IN (SELECT value FROM json_each(?))) GROUP BY worker_id) l
           ON p.worker_id = l.worker_id AND p.at_ms = l.m`,
    ),
    track: db.prepare<[string, number, number], FixRow>('SELECT * FROM worker_positions WHERE worker_id = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms'),
    start: db.prepare('INSERT OR IGNORE INTO patrols (id, worker_id, user_id, started_ms) VALUES (?, ?, ?, ?)'),
    patrol: db.prepare<[string], PatrolRow>('SELECT * FROM patrols WHERE id = ?'),
    current: db.prepare<[string], PatrolRow>('SELECT * FROM patrols WHERE worker_id = ? AND ended_ms IS NULL'),
    onPatrol: db.prepare<[], { worker_id: string }>('SELECT worker_id FROM patrols WHERE ended_ms IS NULL'),
    end: db.prepare('UPDATE patrols SET ended_ms = ?, distance_m = ? WHERE id = ? AND ended_ms IS NULL'),
    patrols: db.prepare<[string, number, number], PatrolRow>(
      'SELECT * FROM patrols WHERE worker_id = ? AND started_ms < ? AND (ended_ms IS NULL OR ended_ms >= ?) ORDER BY started_ms',
    ),
    addCheckin: db.prepare('INSERT INTO checkins (id, worker_id, user_id, at_ms, lng, lat, grid_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    checkins: db.prepare<[string, number, number], CheckinRow>('SELECT * FROM checkins WHERE worker_id = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms'),
    // In chunks: one synchronous DELETE of a month of fixes would stall the event loop.
    prunePositions: db.prepare('DELETE FROM worker_positions WHERE rowid IN (SELECT rowid FROM worker_positions WHERE at_ms < ? LIMIT 5000)'),
    pruneCheckins: db.prepare('DELETE FROM checkins WHERE at_ms < ?'),
  };
  const addFixes = db.transaction((fixes: Parameters<FieldStore['addPositions']>[0]) => {
    for (const f of fixes) q.addFix.run(f.workerId, Date.parse(f.at), f.lng, f.lat, f.accuracy, f.patrolId);
  });
  return {
    addPositions: async (fixes) => {
      addFixes(fixes);
    },
    lastPositions: async (ids, since) => {
      const rows = q.last.all(since.getTime(), ids ? 'x' : null, ids ? JSON.stringify(ids) : null);
      return new Map(rows.map((r) => [r.worker_id, toFix(r)]));
    },
    track: async (workerId, from, to) => q.track.all(workerId, from.getTime(), to.getTime()).map(toFix),
    startPatrol: async (p) => {
      if (q.start.run(p.id, p.workerId, p.userId, p.at.getTime()).changes === 0) return null;
      return toPatrol(q.patrol.get(p.id)!);
    },
    current: async (workerId) => {
      const r = q.current.get(workerId);
      return r ? toPatrol(r) : null;
    },
    onPatrol: async () => new Set(q.onPatrol.all().map((r) => r.worker_id)),
    endPatrol: async (id, at, distanceM) => {
      if (q.end.run(at.getTime(), distanceM, id).changes === 0) return null;
      return toPatrol(q.patrol.get(id)!);
    },
    patrols: async (workerId, from, to) => q.patrols.all(workerId, to.getTime(), from.getTime()).map(toPatrol),
    addCheckin: async (c) => {
      q.addCheckin.run(c.id, c.workerId, c.userId, Date.parse(c.at), c.lng, c.lat, c.gridId, c.note);
    },
    checkins: async (workerId, from, to) => q.checkins.all(workerId, from.getTime(), to.getTime()).map(toCheckin),
    prune: async (before) => {
      let total = q.pruneCheckins.run(before.getTime()).changes;
      for (;;) {
        const n = q.prunePositions.run(before.getTime()).changes;
        if (n === 0) return total;
        total += n;
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

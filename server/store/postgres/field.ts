import type pg from 'pg';
import { toCheckin, toFix, toMedia, toPatrol, type CheckinRow, type FixRow, type MediaRow, type PatrolRow } from '../field-rows.ts';
import type { FieldStore, MediaRecordStore } from '../field-types.ts';

export function postgresMediaStore(pool: pg.Pool): MediaRecordStore {
  return {
    add: async (m) => {
      await pool.query(
        'INSERT INTO incident_media (id, incident_id, kind, uploaded_by, at_ms, width, height, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [m.id, m.incidentId, m.kind, m.uploadedBy, m.at.getTime(), m.width, m.height, m.bytes],
      );
    },
    get: async (id) => {
      const r = (await pool.query<MediaRow>('SELECT * FROM incident_media WHERE id = $1', [id])).rows[0];
      return r ? toMedia(r) : null;
    },
    list: async (incidentId) =>
      (await pool.query<MediaRow>('SELECT * FROM incident_media WHERE incident_id = $1 ORDER BY at_ms, id', [incidentId])).rows.map(toMedia),
  };
}

export function postgresFieldStore(pool: pg.Pool): FieldStore {
  const patrol = async (sql: string, params: unknown[]) => {
    const r = (await pool.query<PatrolRow>(sql, params)).rows[0];
    return r ? toPatrol(r) : null;
  };
  return {
    addPositions: async (fixes) => {
      if (!fixes.length) return;
      await pool.query(
        `INSERT INTO worker_positions (worker_id, at_ms, lng, lat, accuracy, patrol_id)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::float8[], $4::float8[], $5::float8[], $6::text[])`,
        [
          fixes.map((f) => f.workerId),
          fixes.map((f) => Date.parse(f.at)),
          fixes.map((f) => f.lng),
          fixes.map((f) => f.lat),
          fixes.map((f) => f.accuracy),
          fixes.map((f) => f.patrolId),
        ],
      );
    },
    lastPositions: async (ids, since) => {
      const { rows } = await pool.query<FixRow>(
        `SELECT DISTINCT ON (worker_id) * FROM worker_positions
          WHERE at_ms >= $1 AND ($2::text[] IS NULL OR worker_id = ANY($2::text[]))
          ORDER BY worker_id, at_ms DESC`,
        [since.getTime(), ids],
      );
      return new Map(rows.map((r) => [r.worker_id, toFix(r)]));
    },
    track: async (workerId, from, to) =>
      (
        await pool.query<FixRow>('SELECT * FROM worker_positions WHERE worker_id = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY at_ms', [
          workerId,
          from.getTime(),
          to.getTime(),
        ])
      ).rows.map(toFix),
    startPatrol: (p) =>
      patrol('INSERT INTO patrols (id, worker_id, user_id, started_ms) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING *', [
        p.id,
        p.workerId,
        p.userId,
        p.at.getTime(),
      ]),
    current: (workerId) => patrol('SELECT * FROM patrols WHERE worker_id = $1 AND ended_ms IS NULL', [workerId]),
    onPatrol: async () => new Set((await pool.query<{ worker_id: string }>('SELECT worker_id FROM patrols WHERE ended_ms IS NULL')).rows.map((r) => r.worker_id)),
    endPatrol: (id, at, distanceM) =>
      patrol('UPDATE patrols SET ended_ms = $1, distance_m = $2 WHERE id = $3 AND ended_ms IS NULL RETURNING *', [at.getTime(), distanceM, id]),
    patrols: async (workerId, from, to) =>
      (
        await pool.query<PatrolRow>(
          'SELECT * FROM patrols WHERE worker_id = $1 AND started_ms < $2 AND (ended_ms IS NULL OR ended_ms >= $3) ORDER BY started_ms',
          [workerId, to.getTime(), from.getTime()],
        )
      ).rows.map(toPatrol),
    addCheckin: async (c) => {
      await pool.query('INSERT INTO checkins (id, worker_id, user_id, at_ms, lng, lat, grid_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
        c.id,
        c.workerId,
        c.userId,
        Date.parse(c.at),
        c.lng,
        c.lat,
        c.gridId,
        c.note,
      ]);
    },
    checkins: async (workerId, from, to) =>
      (
        await pool.query<CheckinRow>('SELECT * FROM checkins WHERE worker_id = $1 AND at_ms >= $2 AND at_ms < $3 ORDER BY at_ms', [
          workerId,
          from.getTime(),
          to.getTime(),
        ])
      ).rows.map(toCheckin),
    prune: async (before) => {
      const a = await pool.query('DELETE FROM worker_positions WHERE at_ms < $1', [before.getTime()]);
      const b = await pool.query('DELETE FROM checkins WHERE at_ms < $1', [before.getTime()]);
      return (a.rowCount ?? 0) + (b.rowCount ?? 0);
    },
  };
}

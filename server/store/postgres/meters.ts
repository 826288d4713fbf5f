import type pg from 'pg';
import type { MeterHeartbeat } from '#common/ingest/meter-silence';
import type { MeterHeartbeatStore } from '../types.ts';

interface Row {
  device_key: string;
  last_seen_ms: string;
  raised_for_ms: string | null;
  heard: boolean;
}
const toHeartbeat = (r: Row): MeterHeartbeat => ({
  deviceKey: r.device_key,
  lastSeenMs: Number(r.last_seen_ms),
  raisedForMs: r.raised_for_ms === null ? null : Number(r.raised_for_ms),
  heard: r.heard,
});

export function postgresMeterStore(pool: pg.Pool): MeterHeartbeatStore {
  return {
    touch: async (deviceKey, atMs) => {
      await pool.query(
        `INSERT INTO meter_heartbeats (device_key, last_seen_ms) VALUES ($1, $2)
         ON CONFLICT (device_key) DO UPDATE SET last_seen_ms = GREATEST(meter_heartbeats.last_seen_ms, EXCLUDED.last_seen_ms), heard = true`,
        [deviceKey, atMs],
      );
    },
    register: async (meters) => {
      if (meters.length === 0) return;
      await pool.query(
        `INSERT INTO meter_heartbeats (device_key, last_seen_ms, heard)
         SELECT k, t, false FROM unnest($1::text[], $2::bigint[]) AS m(k, t) ON CONFLICT (device_key) DO NOTHING`,
        [meters.map((m) => m.deviceKey), meters.map((m) => m.atMs)],
      );
    },
    silentSince: async (beforeMs) =>
      (
        await pool.query<Row>(
          `SELECT device_key, last_seen_ms, raised_for_ms, heard FROM meter_heartbeats WHERE last_seen_ms <= $1
           ORDER BY (raised_for_ms IS NOT NULL AND raised_for_ms = last_seen_ms), last_seen_ms LIMIT 5000`,
          [beforeMs],
        )
      ).rows.map(toHeartbeat),
    // One UPDATE: of two nodes claiming at once, the row lock makes the second see raised_for_ms already set.
    claim: async (deviceKey, lastSeenMs) =>
      (
        await pool.query(
          `UPDATE meter_heartbeats SET raised_for_ms = last_seen_ms
           WHERE device_key = $1 AND last_seen_ms = $2 AND (raised_for_ms IS NULL OR raised_for_ms <> last_seen_ms)`,
          [deviceKey, lastSeenMs],
        )
      ).rowCount === 1,
  };
}

import type { MeterHeartbeat } from '#common/ingest/meter-silence';
import type { MeterHeartbeatStore } from '../types.ts';
import type { Db } from './open.ts';

interface Row {
  device_key: string;
  last_seen_ms: number;
  raised_for_ms: number | null;
  heard: number;
}
const toHeartbeat = (r: Row): MeterHeartbeat => ({ deviceKey: r.device_key, lastSeenMs: r.last_seen_ms, raisedForMs: r.raised_for_ms, heard: r.heard === 1 });

export function sqliteMeterStore(db: Db): MeterHeartbeatStore {
  const touch = db.prepare(
    `INSERT INTO meter_heartbeats (device_key, last_seen_ms) VALUES (?, ?)
     ON CONFLICT (device_key) DO UPDATE SET last_seen_ms = max(last_seen_ms, excluded.last_seen_ms), heard = 1`,
  );
  const register = db.prepare(`INSERT INTO meter_heartbeats (device_key, last_seen_ms, heard) VALUES (?, ?, 0) ON CONFLICT (device_key) DO NOTHING`);
  const registerAll = db.transaction((meters: readonly { deviceKey: string; atMs: number }[]) => {
    for (const m of meters) register.run(m.deviceKey, m.atMs);
  });
  const silent = db.prepare<[number], Row>(
    `SELECT device_key, last_seen_ms, raised_for_ms, heard FROM meter_heartbeats WHERE last_seen_ms <= ?
     ORDER BY (raised_for_ms IS NOT NULL AND raised_for_ms = last_seen_ms), last_seen_ms LIMIT 5000`,
  );
  const claim = db.prepare(
    `UPDATE meter_heartbeats SET raised_for_ms = last_seen_ms
     WHERE device_key = ? AND last_seen_ms = ? AND (raised_for_ms IS NULL OR raised_for_ms <> last_seen_ms)`,
  );
  return {
    touch: async (deviceKey, atMs) => {
      touch.run(deviceKey, atMs);
    },
    register: async (meters) => {
      registerAll(meters);
    },
    silentSince: async (beforeMs) => silent.all(beforeMs).map(toHeartbeat),
    claim: async (deviceKey, lastSeenMs) => claim.run(deviceKey, lastSeenMs).changes === 1,
  };
}

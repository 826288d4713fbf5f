import type { Incident, IncidentChange, Kpis } from '#common/incidents/types';
import { TERMINAL_STATUSES } from '#common/incidents/types';
import { startOfCstDay } from '#common/time';
import type { IncidentMutation, IncidentStore, IngestOutcome, NewIncident } from '../types.ts';
import { prefixRange, type Db } from './open.ts';

interface EventRow {
  seq: number;
  type: 'created' | 'updated';
  data: string;
}

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');

function incidentId(seq: number, at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `INC-${d}-${String(seq).padStart(6, '0')}`;
}

export function sqliteIncidentStore(db: Db, rootRegionId: string): IncidentStore {
  const s = {
    findExternal: db.prepare<[string, string], { id: string }>(
      'SELECT id FROM incidents WHERE connector_id = ? AND external_id = ?',
    ),
    appendEvent: db.prepare(
      'INSERT INTO events (at_ms, type, incident_id, region_id, data) VALUES (?, ?, ?, ?, ?)',
    ),
    setEventData: db.prepare('UPDATE events SET incident_id = ?, data = ? WHERE seq = ?'),
    insert: db.prepare(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, data)
       VALUES (@id, @connectorId, @externalId, @status, @severity, @regionId, @reportedMs, @updatedMs, @dueMs, @closedMs, @data)`,
    ),
    update: db.prepare(
      `UPDATE incidents SET status = @status, severity = @severity, region_id = @regionId, updated_ms = @updatedMs,
       due_ms = @dueMs, closed_ms = @closedMs, data = @data WHERE id = @id`,
    ),
    get: db.prepare<[string], { data: string }>('SELECT data FROM incidents WHERE id = ?'),
    head: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events'),
    minSeq: db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM events'),
    recent: db.prepare<[string, string, number], { data: string }>(
      `SELECT data FROM incidents WHERE region_id >= ? AND region_id < ?
       ORDER BY status IN (${TERMINAL_SQL}), reported_ms DESC, rowid DESC LIMIT ?`,
    ),
    since: db.prepare<[number, string, string, number], EventRow>(
      `SELECT seq, type, data FROM events WHERE seq > ? AND region_id >= ? AND region_id < ? ORDER BY seq LIMIT ?`,
    ),
    byStatus: db.prepare<[string, number], { data: string }>(
      `SELECT data FROM incidents WHERE status IN (SELECT value FROM json_each(?)) ORDER BY updated_ms LIMIT ?`,
    ),
    kpis: db.prepare<[{ midnight: number; now: number; lo: string; hi: string }], Kpis>(
      `SELECT
         count(*) FILTER (WHERE reported_ms >= @midnight) AS reportedToday,
         count(*) FILTER (WHERE status NOT IN (${TERMINAL_SQL})) AS open,
         count(*) FILTER (WHERE status NOT IN (${TERMINAL_SQL}) AND severity IN ('high','critical')) AS urgentOpen,
         count(*) FILTER (WHERE status NOT IN (${TERMINAL_SQL}) AND due_ms IS NOT NULL AND due_ms < @now) AS overdue,
         count(*) FILTER (WHERE closed_ms >= @midnight) AS closedToday
       FROM incidents WHERE region_id >= @lo AND region_id < @hi`,
    ),
  };

  const row = (inc: Incident) => ({
    id: inc.id,
    connectorId: inc.connectorId,
    externalId: inc.externalId,
    status: inc.status,
    severity: inc.severity,
    regionId: inc.gridId ?? rootRegionId,
    reportedMs: Date.parse(inc.reportedAt),
    updatedMs: Date.parse(inc.updatedAt),
    dueMs: inc.dueAt ? Date.parse(inc.dueAt) : null,
    closedMs: inc.status === 'closed' ? Date.parse(inc.updatedAt) : null,
    data: JSON.stringify(inc),
  });

  const ingestTx = db.transaction((batch: NewIncident[], now: Date): IngestOutcome[] => {
    const nowIso = now.toISOString();
    return batch.map((item): IngestOutcome => {
      if (item.externalId !== null) {
        const dup = s.findExternal.get(item.connectorId, item.externalId);
        if (dup) return { kind: 'duplicate', incidentId: dup.id };
      }
      const regionId = item.gridId ?? rootRegionId;
      // The event row's seq names the incident, so append first and fill in its data after.
      const seq = Number(s.appendEvent.run(now.getTime(), 'created', '', regionId, '').lastInsertRowid);
      const incident: Incident = {
        ...item,
        id: incidentId(seq, now),
        status: 'reported',
        updatedAt: nowIso,
        dueAt: null,
        assigneeId: null,
      };
      const r = row(incident);
      s.insert.run(r);
      s.setEventData.run(incident.id, r.data, seq);
      return { kind: 'created', change: { seq, type: 'created', incident } };
    });
  });

  const updateTx = db.transaction((id: string, mutate: IncidentMutation, now: Date): IncidentChange | null => {
    const current = s.get.get(id);
    if (!current) return null;
    const next = mutate(JSON.parse(current.data) as Incident);
    if (!next) return null;
    const incident: Incident = { ...next, id, updatedAt: now.toISOString() };
    const r = row(incident);
    s.update.run(r);
    const seq = Number(s.appendEvent.run(now.getTime(), 'updated', id, r.regionId, r.data).lastInsertRowid);
    return { seq, type: 'updated', incident };
  });

  return {
    ingest: async (batch, now) => ingestTx(batch, now),
    update: async (id, mutate, now) => updateTx(id, mutate, now),
    get: async (id) => {
      const r = s.get.get(id);
      return r ? (JSON.parse(r.data) as Incident) : null;
    },
    headSeq: async () => s.head.get()?.seq ?? 0,
    recent: async (regionId, limit) =>
      s.recent.all(...prefixRange(regionId), limit).map((r) => JSON.parse(r.data) as Incident),
    changesSince: async (seq, regionId, limit) => {
      const oldest = s.minSeq.get()?.seq ?? 0;
      if (oldest > seq + 1) return null;
      const rows = s.since.all(seq, ...prefixRange(regionId), limit + 1);
      if (rows.length > limit) return null;
      return rows.map((r) => ({ seq: r.seq, type: r.type, incident: JSON.parse(r.data) as Incident }));
    },
    kpis: async (regionId, now) => {
      const midnight = startOfCstDay(now.getTime());
      const [lo, hi] = prefixRange(regionId);
      return s.kpis.get({ midnight, now: now.getTime(), lo, hi })!;
    },
    listByStatus: async (statuses, limit) =>
      s.byStatus.all(JSON.stringify(statuses), limit).map((r) => JSON.parse(r.data) as Incident),
  };
}

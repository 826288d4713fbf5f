import type { HistoryEntry } from '#common/incidents/history';
import { mergeBox, MERGE_WINDOW_MS } from '#common/incidents/merge';
import type { Incident, IncidentChange, IncidentReport, Kpis } from '#common/incidents/types';
import { TERMINAL_STATUSES } from '#common/incidents/types';
import { startOfCstDay } from '#common/time';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { planIngest, reportKey } from '../ingest-plan.ts';
import type { IncidentMutation, IncidentStore, TransitionResult } from '../types.ts';
import { prefixRange, type Db } from './open.ts';
import { listQuery } from './list.ts';

interface EventRow {
  seq: number;
  type: 'created' | 'updated';
  data: string;
}

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');
const parse = (r: { data: string }) => JSON.parse(r.data) as Incident;

export function sqliteIncidentStore(db: Db, rootRegionId: string): IncidentStore {
  const s = {
    findReport: db.prepare<[string, string], { incident_id: string }>(
      'SELECT incident_id FROM reports WHERE connector_id = ? AND external_id = ?',
    ),
    candidates: db.prepare<[number, number, number, number, number, number], { data: string }>(
      `SELECT data FROM incidents WHERE status NOT IN (${TERMINAL_SQL})
         AND reported_ms BETWEEN ? AND ? AND lng BETWEEN ? AND ? AND lat BETWEEN ? AND ?`,
    ),
    appendEvent: db.prepare('INSERT INTO events (seq, at_ms, type, incident_id, region_id, data) VALUES (?, ?, ?, ?, ?, ?)'),
    insert: db.prepare(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, lng, lat, data)
       VALUES (@id, @connectorId, @externalId, @status, @severity, @regionId, @reportedMs, @updatedMs, @dueMs, @closedMs, @lng, @lat, @data)`,
    ),
    update: db.prepare(
      `UPDATE incidents SET status = @status, severity = @severity, region_id = @regionId, updated_ms = @updatedMs,
       due_ms = @dueMs, closed_ms = @closedMs, lng = @lng, lat = @lat, data = @data WHERE id = @id`,
    ),
    insertReport: db.prepare('INSERT INTO reports (incident_id, connector_id, external_id, data) VALUES (?, ?, ?, ?)'),
    insertHistory: db.prepare('INSERT INTO incident_history (incident_id, seq, data) VALUES (?, ?, ?)'),
    history: db.prepare<[string], { data: string }>('SELECT data FROM incident_history WHERE incident_id = ? ORDER BY id'),
    reports: db.prepare<[string], { data: string }>('SELECT data FROM reports WHERE incident_id = ? ORDER BY id'),
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
  const list = listQuery(db);

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
    lng: inc.location.lng,
    lat: inc.location.lat,
    data: JSON.stringify(inc),
  });
  const headSeq = () => s.head.get()?.seq ?? 0;
  const appendEvent = (c: IncidentChange, now: Date) =>
    s.appendEvent.run(c.seq, now.getTime(), c.type, c.incident.id, c.incident.gridId ?? rootRegionId, JSON.stringify(c.incident));

  const ingestTx = db.transaction((batch: Parameters<IncidentStore['ingest']>[0], now: Date, merge: boolean) => {
    const known = new Map<string, string>();
    for (const item of batch) {
      if (item.externalId === null) continue;
      const r = s.findReport.get(item.connectorId, item.externalId);
      if (r) known.set(reportKey(item.connectorId, item.externalId), r.incident_id);
    }
    const candidates = new Map<string, Incident>();
    if (merge) {
      for (const item of batch) {
        const t = Date.parse(item.reportedAt);
        const { dLat, dLng } = mergeBox(item.location.lat);
        const { lng, lat } = item.location;
        for (const r of s.candidates.all(t - MERGE_WINDOW_MS, t + MERGE_WINDOW_MS, lng - dLng, lng + dLng, lat - dLat, lat + dLat)) {
          const inc = parse(r);
          candidates.set(inc.id, inc);
        }
      }
    }
    const plan = planIngest({ batch, now, headSeq: headSeq(), known, candidates: [...candidates.values()], merge });
    for (const { incident } of plan.created) s.insert.run(row(incident));
    for (const incident of plan.updated) s.update.run(row(incident));
    for (const e of plan.events) appendEvent(e, now);
    for (const r of plan.reports) s.insertReport.run(r.incidentId, r.connectorId, r.externalId, JSON.stringify(r));
    return plan.outcomes;
  });

  const updateTx = db.transaction((id: string, mutate: IncidentMutation, now: Date): IncidentChange | null => {
    const current = s.get.get(id);
    if (!current) return null;
    const next = mutate(parse(current));
    if (!next) return null;
    const change: IncidentChange = { seq: headSeq() + 1, type: 'updated', incident: { ...next, id, updatedAt: now.toISOString() } };
    s.update.run(row(change.incident));
    appendEvent(change, now);
    return change;
  });

  const transitionTx = db.transaction(
    (id: string, decide: Parameters<IncidentStore['transition']>[1], now: Date): TransitionResult | null => {
      const current = s.get.get(id);
      if (!current) return null;
      const decision = decide(parse(current));
      if (!decision.ok) return decision;
      const change: IncidentChange = { seq: headSeq() + 1, type: 'updated', incident: { ...decision.incident, id, updatedAt: now.toISOString() } };
      s.update.run(row(change.incident));
      appendEvent(change, now);
      s.insertHistory.run(id, change.seq, JSON.stringify(decision.entry));
      return { ok: true, change, entry: decision.entry };
    },
  );

  return {
    ingest: async (batch, now, opts) => ingestTx(batch, now, opts?.merge ?? false),
    update: async (id, mutate, now) => updateTx(id, mutate, now),
    transition: async (id, decide, now) => transitionTx(id, decide, now),
    history: async (id) => s.history.all(id).map((r) => JSON.parse(r.data) as HistoryEntry),
    reports: async (id) => s.reports.all(id).map((r) => JSON.parse(r.data) as IncidentReport),
    list: async (filter, page) => {
      const after = decodeCursor(page.cursor);
      const rows = list(filter, after, page.limit + 1, rootRegionId);
      const items = rows.slice(0, page.limit);
      const last = rows.length > page.limit ? items.at(-1) : undefined;
      return {
        items: items.map((r) => parse(r)),
        nextCursor: last ? encodeCursor(last.reported_ms, last.rowid) : null,
      };
    },
    get: async (id) => {
      const r = s.get.get(id);
      return r ? parse(r) : null;
    },
    headSeq: async () => headSeq(),
    recent: async (regionId, limit) => s.recent.all(...prefixRange(regionId), limit).map(parse),
    changesSince: async (seq, regionId, limit) => {
      const oldest = s.minSeq.get()?.seq ?? 0;
      if (oldest > seq + 1) return null;
      const rows = s.since.all(seq, ...prefixRange(regionId), limit + 1);
      if (rows.length > limit) return null;
      return rows.map((r) => ({ seq: r.seq, type: r.type, incident: parse(r) }));
    },
    kpis: async (regionId, now) => {
      const midnight = startOfCstDay(now.getTime());
      const [lo, hi] = prefixRange(regionId);
      return s.kpis.get({ midnight, now: now.getTime(), lo, hi })!;
    },
    listByStatus: async (statuses, limit) => s.byStatus.all(JSON.stringify(statuses), limit).map(parse),
  };
}

import type { HistoryEntry } from '#common/incidents/history';
import { MERGE_WINDOW_MS } from '#common/incidents/merge';
import type { Incident, IncidentChange, IncidentReport, Kpis } from '#common/incidents/types';
import { TERMINAL_STATUSES } from '#common/incidents/types';
import { startOfCstDay } from '#common/time';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { incidentId, planIngest, reportKey, serializeOnce, storedMergeTargets, type LightCandidate } from '../ingest-plan.ts';
import { candidateKeys, mergeCell } from '../merge-cells.ts';
import { parseIncident, withFreeKey } from '../rows.ts';
import type { CaseOpResult, IncidentMutation, IncidentStore, TransitionResult } from '../types.ts';
import { prefixRange, type Db } from './open.ts';
import { listQuery } from './list.ts';
import { sqliteRollupWriter } from './analytics.ts';

interface EventRow {
  seq: number;
  type: 'created' | 'updated';
  data: string;
}

interface LightRow {
  id: string;
  lng: number;
  lat: number;
  reported_ms: number;
  status: Incident['status'];
  category: string;
}
const lightCandidate = (r: LightRow): LightCandidate => ({
  id: r.id,
  category: r.category,
  location: { lng: r.lng, lat: r.lat },
  reportedAt: new Date(r.reported_ms).toISOString(),
  status: r.status,
});

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');
const parse = parseIncident;

export function sqliteIncidentStore(db: Db, rootRegionId: string): IncidentStore {
  const s = {
    // The batch's keys in one statement, a JSON array of [connector, external id]: one index search each, as
    // one statement per key did, without 500 statement calls per batch.
    findReports: db.prepare<[string], { connector_id: string; external_id: string; incident_id: string }>(
      `SELECT r.connector_id, r.external_id, r.incident_id FROM json_each(?) k JOIN reports r
         ON r.connector_id = k.value ->> 0 AND r.external_id = k.value ->> 1`,
    ),
    getMany: db.prepare<[string], { id: string; data: string }>('SELECT id, data FROM incidents WHERE id IN (SELECT value FROM json_each(?))'),
    // Every (merge cell, time range) of the batch in one statement, a JSON array of [cell, lo, hi]: one index
    // search per range on the partial index over open incidents, as one statement per range did (a batch of
    // 500 spread over the city has ~2,000 ranges, and running a statement cost more than its search). In the
    // order that one statement per range read them.
    candidates: db.prepare<[string], LightRow>(
      `SELECT i.id, i.lng, i.lat, i.reported_ms, i.status, i.category
         FROM json_each(?) k JOIN incidents i
           ON i.merge_cell = k.value ->> 0 AND i.reported_ms BETWEEN k.value ->> 1 AND k.value ->> 2
        WHERE i.status NOT IN (${TERMINAL_SQL})
        ORDER BY k.key, i.reported_ms, i.rowid`,
    ),
    appendEvent: db.prepare('INSERT INTO events (seq, at_ms, type, incident_id, region_id, data) VALUES (?, ?, ?, ?, ?, ?)'),
    // Positional: binding 16 named parameters per row cost more than the insert itself (see insertRow).
    insert: db.prepare<[string, string, string | null, string, string, string, number, number, number | null, number | null, number, number, string, string, string | null, string]>(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, lng, lat, merge_cell, category, assignee_id, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare(
      `UPDATE incidents SET status = @status, severity = @severity, region_id = @regionId, updated_ms = @updatedMs,
       due_ms = @dueMs, closed_ms = @closedMs, lng = @lng, lat = @lat, merge_cell = @mergeCell, category = @category,
       assignee_id = @assigneeId, data = @data WHERE id = @id`,
    ),
    // A report absorbed by an open incident changes its severity, count, version and time only: setting just
    // those columns spares the rewrite of every index of the table (no index reads severity, updated_ms or data).
    absorb: db.prepare<[string, number, string, string]>('UPDATE incidents SET severity = ?, updated_ms = ?, data = ? WHERE id = ?'),
    insertReport: db.prepare('INSERT INTO reports (incident_id, connector_id, external_id, data) VALUES (?, ?, ?, ?)'),
    insertHistory: db.prepare('INSERT INTO incident_history (incident_id, seq, data) VALUES (?, ?, ?)'),
    history: db.prepare<[string], { data: string }>('SELECT data FROM incident_history WHERE incident_id = ? ORDER BY id'),
    reports: db.prepare<[string], { id: number; data: string }>('SELECT id, data FROM reports WHERE incident_id = ? ORDER BY id'),
    keyTaken: db.prepare<[string, string], { id: string }>('SELECT id FROM incidents WHERE connector_id = ? AND external_id = ?'),
    report: db.prepare<[number], { id: number; incident_id: string; data: string }>('SELECT id, incident_id, data FROM reports WHERE id = ?'),
    moveReports: db.prepare<[string, string, string]>(`UPDATE reports SET incident_id = ?, data = json_set(data, '$.incidentId', ?) WHERE incident_id = ?`),
    moveReport: db.prepare<[string, string, number]>(`UPDATE reports SET incident_id = ?, data = json_set(data, '$.incidentId', ?) WHERE id = ?`),
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
  backfillMergeCells();

  /** Open incidents stored before the merge_cell column (or by an older node) get their key. */
  function backfillMergeCells(): void {
    const rows = db.prepare<[], { id: string; data: string }>(`SELECT id, data FROM incidents WHERE merge_cell IS NULL AND status NOT IN (${TERMINAL_SQL})`).all();
    const set = db.prepare<[string, string]>('UPDATE incidents SET merge_cell = ? WHERE id = ?');
    db.transaction(() => {
      for (const r of rows) {
        const inc = parse(r);
        set.run(mergeCell(inc.category, inc.location.lng, inc.location.lat), r.id);
      }
    })();
  }

  /** Rows of an ingest: each incident state serialized once, for its event and its row alike. */
  const row = (inc: Incident, data = JSON.stringify(inc)) => ({
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
    mergeCell: mergeCell(inc.category, inc.location.lng, inc.location.lat),
    category: inc.category,
    assigneeId: inc.assigneeId,
    data,
  });
  const insertRow = (inc: Incident, data?: string) => {
    const r = row(inc, data);
    s.insert.run(r.id, r.connectorId, r.externalId, r.status, r.severity, r.regionId, r.reportedMs, r.updatedMs, r.dueMs, r.closedMs, r.lng, r.lat, r.mergeCell, r.category, r.assigneeId, r.data);
  };
  const headSeq = () => s.head.get()?.seq ?? 0;
  const rollup = sqliteRollupWriter(db, rootRegionId);
  const insertEvent = (c: IncidentChange, now: Date, data: string) =>
    s.appendEvent.run(c.seq, now.getTime(), c.type, c.incident.id, c.incident.gridId ?? rootRegionId, data);
  const appendEvent = (c: IncidentChange, now: Date, data = JSON.stringify(c.incident)) => {
    insertEvent(c, now, data);
    rollup([c], now);
  };

  const ingestTx = db.transaction((batch: Parameters<IncidentStore['ingest']>[0], now: Date, merge: boolean) => {
    const known = new Map<string, string>();
    const keys = batch.flatMap((item) => (item.externalId === null ? [] : [[item.connectorId, item.externalId]]));
    if (keys.length) for (const r of s.findReports.all(JSON.stringify(keys))) known.set(reportKey(r.connector_id, r.external_id), r.incident_id);
    let candidates: Incident[] = [];
    if (merge) {
      const ranges = candidateKeys(batch, MERGE_WINDOW_MS).map((k) => [k.key, k.lo, k.hi]);
      const rows = ranges.length ? s.candidates.all(JSON.stringify(ranges)) : [];
      const light = [...new Map(rows.map((r) => [r.id, lightCandidate(r)])).values()];
      // Only the incidents that absorb a report are read in full.
      const targets = storedMergeTargets({ batch, known, candidates: light });
      const full = targets.size ? new Map(s.getMany.all(JSON.stringify([...targets])).map((r) => [r.id, r])) : new Map<string, { data: string }>();
      candidates = light.filter((c) => targets.has(c.id)).map((c) => parse(full.get(c.id)!));
    }
    const plan = planIngest({ batch, now, headSeq: headSeq(), known, candidates, merge });
    const json = serializeOnce();
    for (const { incident } of plan.created) insertRow(incident, json(incident));
    for (const incident of plan.updated) s.absorb.run(incident.severity, Date.parse(incident.updatedAt), json(incident), incident.id);
    for (const e of plan.events) insertEvent(e, now, json(e.incident));
    // The whole batch in one fold: each rollup row and case's facts written once per transaction.
    rollup(plan.events, now);
    for (const r of plan.reports) s.insertReport.run(r.incidentId, r.connectorId, r.externalId, JSON.stringify(r));
    return plan.outcomes;
  });

  const updateTx = db.transaction((id: string, mutate: IncidentMutation, now: Date): IncidentChange | null => {
    const current = s.get.get(id);
    if (!current) return null;
    const was = parse(current);
    const next = mutate(was);
    if (!next) return null;
    const change: IncidentChange = { seq: headSeq() + 1, type: 'updated', incident: { ...next, id, updatedAt: now.toISOString(), version: was.version + 1 } };
    s.update.run(row(change.incident));
    appendEvent(change, now);
    return change;
  });

  const transitionTx = db.transaction(
    (id: string, decide: Parameters<IncidentStore['transition']>[1], now: Date): TransitionResult | null => {
      const current = s.get.get(id);
      if (!current) return null;
      const was = parse(current);
      const decision = decide(was);
      if (!decision.ok) return decision;
      const [change, entry] = writeStep(was, decision.incident, decision.entry, 'updated', now);
      return { ok: true, change, entry };
    },
  );

  /** Write one incident's step: version + 1, its event with the next seq, its history entry. */
  function writeStep(was: Incident | null, next: Incident, entry: HistoryEntry, type: IncidentChange['type'], now: Date): [IncidentChange, HistoryEntry] {
    const version = was ? was.version + 1 : 1;
    const change: IncidentChange = { seq: headSeq() + 1, type, incident: { ...next, updatedAt: now.toISOString(), version } };
    if (was) s.update.run(row(change.incident));
    else insertRow(change.incident);
    appendEvent(change, now);
    const written = { ...entry, version };
    s.insertHistory.run(change.incident.id, change.seq, JSON.stringify(written));
    return [change, written];
  }

  const mergeTx = db.transaction(
    (sourceId: string, targetId: string, decide: Parameters<IncidentStore['merge']>[2], now: Date): CaseOpResult | null => {
      const source = s.get.get(sourceId);
      const target = s.get.get(targetId);
      if (!source || !target) return null;
      const [was, into] = [parse(source), parse(target)];
      const d = decide(was, into);
      if (!d.ok) return d;
      s.moveReports.run(targetId, targetId, sourceId);
      const [c1, e1] = writeStep(was, d.source.incident, d.source.entry, 'updated', now);
      const [c2, e2] = writeStep(into, d.target.incident, d.target.entry, 'updated', now);
      return { ok: true, changes: [c1, c2], entries: [e1, e2] };
    },
  );

  const splitTx = db.transaction(
    (id: string, reportId: string, decide: Parameters<IncidentStore['split']>[2], now: Date): CaseOpResult | null => {
      const current = s.get.get(id);
      if (!current) return null;
      const was = parse(current);
      const r = /^\d{1,15}$/.test(reportId) ? s.report.get(Number(reportId)) : undefined;
      const report = r && r.incident_id === id ? { ...(JSON.parse(r.data) as IncidentReport), id: String(r.id) } : null;
      // The source's event takes head + 1, the new incident's head + 2: its id comes from that seq.
      const d = decide(was, report, incidentId(headSeq() + 2, now));
      if (!d.ok) return d;
      if (!report) throw new Error('split decided without its report');
      const created = withFreeKey(d.created.incident, (c, e) => !!s.keyTaken.get(c, e));
      const [c1, e1] = writeStep(was, d.source.incident, d.source.entry, 'updated', now);
      const [c2, e2] = writeStep(null, created, d.created.entry, 'created', now);
      s.moveReport.run(c2.incident.id, c2.incident.id, Number(report.id));
      return { ok: true, changes: [c1, c2], entries: [e1, e2] };
    },
  );

  return {
    ingest: async (batch, now, opts) => ingestTx(batch, now, opts?.merge ?? false),
    update: async (id, mutate, now) => updateTx(id, mutate, now),
    transition: async (id, decide, now) => transitionTx(id, decide, now),
    merge: async (sourceId, targetId, decide, now) => mergeTx(sourceId, targetId, decide, now),
    split: async (id, reportId, decide, now) => splitTx(id, reportId, decide, now),
    history: async (id) => s.history.all(id).map((r) => JSON.parse(r.data) as HistoryEntry),
    reports: async (id) => s.reports.all(id).map((r) => ({ ...(JSON.parse(r.data) as IncidentReport), id: String(r.id) })),
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

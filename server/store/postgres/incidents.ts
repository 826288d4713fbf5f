import type pg from 'pg';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentChange, IncidentReport, Kpis } from '#common/incidents/types';
import { startOfCstDay } from '#common/time';
import { decodeCursor, encodeCursor } from '../cursor.ts';
import { incidentId } from '../ingest-plan.ts';
import { mergeCell } from '../merge-cells.ts';
import { parseIncident, withFreeKey } from '../rows.ts';
import type { IncidentStore } from '../types.ts';
import { listSql } from './list.ts';
import { prefixRange, withTx } from './tx.ts';
import { postgresRollupWriter } from './analytics.ts';
import { INCIDENT_COLS, postgresIngest, TERMINAL_SQL } from './ingest.ts';

/*
 * The event log's seq: global, gap-free, and visible in order.
 *
 * A SERIAL/IDENTITY column would do neither: a rolled-back transaction burns its values (gaps), and two
 * transactions that took 7 and 8 can commit 8 first, so a reader could see 8 without 7, remember 8 as its
 * position and never ask for 7 again (`sync:since` would skip a change for good).
 *
 * Instead every writing transaction locks the single row of `log_head` (SELECT … FOR UPDATE, or
 * UPDATE … RETURNING) and takes its seqs as head+1…head+n, storing the new head in the same transaction.
 *  - Gap-free: seqs are only handed out under the lock and only become real if the transaction commits;
 *    if it rolls back, the head row is unchanged and the next writer reuses the same numbers.
 *  - Ordered: the row lock is held until commit, and PostgreSQL releases a transaction's locks only after
 *    its commit is visible to new snapshots. So the writer of seq N+1 cannot even read the head before the
 *    writer of N is visible, and any snapshot that shows N+1 also shows everything ≤ N: what a reader
 *    sees is always a prefix of the log, across any number of nodes sharing the database.
 * The price is that writes are serialized cluster-wide. They are short (a handful of statements, batched),
 * like SQLite's single writer; pg_advisory_xact_lock would give the same guarantee with an extra concept,
 * the counter row also makes the head an O(1) read.
 *
 * Lock order is incident row, then log_head (update) or log_head alone (ingest): no deadlock cycle.
 */

const EVENT_COLS = 'seq, at_ms, type, incident_id, region_id, data';

interface IncidentRow {
  id: string;
  connector_id: string;
  external_id: string | null;
  status: string;
  severity: string;
  region_id: string;
  reported_ms: number;
  updated_ms: number;
  due_ms: number | null;
  closed_ms: number | null;
  created_seq: number;
  lng: number;
  lat: number;
  merge_cell: string;
  data: string;
}

const parse = parseIncident;

export function postgresIncidentStore(pool: pg.Pool, rootRegionId: string): IncidentStore & { backfillMergeCells(): Promise<void> } {
  const rollup = postgresRollupWriter(rootRegionId);
  const row = (inc: Incident, createdSeq: number, data = JSON.stringify(inc)): IncidentRow => ({
    id: inc.id,
    connector_id: inc.connectorId,
    external_id: inc.externalId,
    status: inc.status,
    severity: inc.severity,
    region_id: inc.gridId ?? rootRegionId,
    reported_ms: Date.parse(inc.reportedAt),
    updated_ms: Date.parse(inc.updatedAt),
    due_ms: inc.dueAt ? Date.parse(inc.dueAt) : null,
    closed_ms: inc.status === 'closed' ? Date.parse(inc.updatedAt) : null,
    created_seq: createdSeq,
    lng: inc.location.lng,
    lat: inc.location.lat,
    merge_cell: mergeCell(inc.category, inc.location.lng, inc.location.lat),
    data,
  });
  const eventRow = (c: IncidentChange, now: Date, data = JSON.stringify(c.incident)) => ({
    seq: c.seq,
    at_ms: now.getTime(),
    type: c.type,
    incident_id: c.incident.id,
    region_id: c.incident.gridId ?? rootRegionId,
    data,
  });
  const writeState = (c: pg.PoolClient, inc: Incident) => {
    const r = row(inc, 0);
    return c.query(
      `UPDATE incidents SET status = $2, severity = $3, region_id = $4, updated_ms = $5, due_ms = $6, closed_ms = $7,
              lng = $8, lat = $9, merge_cell = $10, data = $11 WHERE id = $1`,
      [inc.id, r.status, r.severity, r.region_id, r.updated_ms, r.due_ms, r.closed_ms, r.lng, r.lat, r.merge_cell, r.data],
    );
  };

  /** Write one incident's step under its row lock: version + 1, its event with the next seq, its history entry. */
  async function writeStep(
    c: pg.PoolClient,
    was: Incident | null,
    next: Incident,
    entry: HistoryEntry,
    now: Date,
  ): Promise<[IncidentChange, HistoryEntry]> {
    const seq = (await c.query<{ seq: number }>('UPDATE log_head SET seq = seq + 1 RETURNING seq')).rows[0]!.seq;
    const version = was ? was.version + 1 : 1;
    const change: IncidentChange = { seq, type: was ? 'updated' : 'created', incident: { ...next, updatedAt: now.toISOString(), version } };
    if (was) await writeState(c, change.incident);
    else {
      const r = row(change.incident, seq);
      await c.query(`INSERT INTO incidents (${INCIDENT_COLS}) SELECT ${INCIDENT_COLS} FROM json_populate_record(NULL::incidents, $1::json)`, [JSON.stringify(r)]);
    }
    const e = eventRow(change, now);
    await c.query(`INSERT INTO events (${EVENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6)`, [e.seq, e.at_ms, e.type, e.incident_id, e.region_id, e.data]);
    await rollup(c, [change], now);
    const written = { ...entry, version };
    await c.query('INSERT INTO incident_history (incident_id, seq, data) VALUES ($1, $2, $3)', [change.incident.id, seq, JSON.stringify(written)]);
    return [change, written];
  }

  /** Open incidents stored before the merge_cell column get their key (idempotent: nodes may race on it). */
  async function backfillMergeCells(): Promise<void> {
    const { rows } = await pool.query<{ id: string; data: string }>(
      `SELECT id, data FROM incidents WHERE merge_cell IS NULL AND status NOT IN (${TERMINAL_SQL})`,
    );
    if (!rows.length) return;
    const cells = rows.map((r) => {
      const inc = parse(r);
      return mergeCell(inc.category, inc.location.lng, inc.location.lat);
    });
    await pool.query('UPDATE incidents i SET merge_cell = k.cell FROM unnest($1::text[], $2::text[]) AS k(id, cell) WHERE i.id = k.id', [
      rows.map((r) => r.id),
      cells,
    ]);
  }

  return {
    backfillMergeCells,
    ingest: postgresIngest(pool, rootRegionId, rollup),

    update: (id, mutate, now) =>
      withTx(pool, async (c): Promise<IncidentChange | null> => {
        const current = (await c.query<{ data: string }>('SELECT data FROM incidents WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!current) return null;
        const was = parse(current);
        const next = mutate(was);
        if (!next) return null;
        const seq = (await c.query<{ seq: number }>('UPDATE log_head SET seq = seq + 1 RETURNING seq')).rows[0]!.seq;
        const change: IncidentChange = { seq, type: 'updated', incident: { ...next, id, updatedAt: now.toISOString(), version: was.version + 1 } };
        await writeState(c, change.incident);
        const e = eventRow(change, now);
        await c.query(`INSERT INTO events (${EVENT_COLS}) VALUES ($1, $2, $3, $4, $5, $6)`, [e.seq, e.at_ms, e.type, e.incident_id, e.region_id, e.data]);
        await rollup(c, [change], now);
        return change;
      }),

    transition: (id, decide, now) =>
      withTx(pool, async (c) => {
        const current = (await c.query<{ data: string }>('SELECT data FROM incidents WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!current) return null;
        const was = parse(current);
        const decision = decide(was);
        if (!decision.ok) return decision;
        const [change, entry] = await writeStep(c, was, decision.incident, decision.entry, now);
        return { ok: true as const, change, entry };
      }),

    merge: (sourceId, targetId, decide, now) =>
      withTx(pool, async (c) => {
        // Both rows locked in id order, so two merges of the same pair either way round cannot deadlock.
        const { rows } = await c.query<{ id: string; data: string }>(
          'SELECT id, data FROM incidents WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
          [[sourceId, targetId]],
        );
        const source = rows.find((r) => r.id === sourceId);
        const target = rows.find((r) => r.id === targetId);
        if (!source || !target) return null;
        const [was, into] = [parse(source), parse(target)];
        const d = decide(was, into);
        if (!d.ok) return d;
        await c.query(
          `UPDATE reports SET incident_id = $1, data = (data::jsonb || jsonb_build_object('incidentId', $1::text))::text WHERE incident_id = $2`,
          [targetId, sourceId],
        );
        const [c1, e1] = await writeStep(c, was, d.source.incident, d.source.entry, now);
        const [c2, e2] = await writeStep(c, into, d.target.incident, d.target.entry, now);
        return { ok: true as const, changes: [c1, c2], entries: [e1, e2] };
      }),

    split: (id, reportId, decide, now) =>
      withTx(pool, async (c) => {
        const current = (await c.query<{ data: string }>('SELECT data FROM incidents WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!current) return null;
        const was = parse(current);
        const r = /^\d{1,15}$/.test(reportId)
          ? (await c.query<{ id: number; data: string }>('SELECT id, data FROM reports WHERE id = $1 AND incident_id = $2', [Number(reportId), id])).rows[0]
          : undefined;
        const report = r ? { ...(JSON.parse(r.data) as IncidentReport), id: String(r.id) } : null;
        // Take the log head now so the new incident's id can come from its seq (the source's event is head + 1).
        const head = (await c.query<{ seq: number }>('SELECT seq FROM log_head FOR UPDATE')).rows[0]!.seq;
        const d = decide(was, report, incidentId(head + 2, now));
        if (!d.ok) return d;
        if (!report) throw new Error('split decided without its report');
        const { externalId, connectorId } = d.created.incident;
        const taken =
          externalId !== null &&
          (await c.query('SELECT 1 FROM incidents WHERE connector_id = $1 AND external_id = $2', [connectorId, externalId])).rowCount! > 0;
        const created = withFreeKey(d.created.incident, () => taken);
        const [c1, e1] = await writeStep(c, was, d.source.incident, d.source.entry, now);
        const [c2, e2] = await writeStep(c, null, created, d.created.entry, now);
        await c.query(
          `UPDATE reports SET incident_id = $1, data = (data::jsonb || jsonb_build_object('incidentId', $1::text))::text WHERE id = $2`,
          [c2.incident.id, Number(report.id)],
        );
        return { ok: true as const, changes: [c1, c2], entries: [e1, e2] };
      }),

    history: async (id) =>
      (await pool.query<{ data: string }>('SELECT data FROM incident_history WHERE incident_id = $1 ORDER BY id', [id])).rows.map(
        (r) => JSON.parse(r.data) as HistoryEntry,
      ),

    reports: async (id) =>
      (await pool.query<{ id: number; data: string }>('SELECT id, data FROM reports WHERE incident_id = $1 ORDER BY id', [id])).rows.map(
        (r) => ({ ...(JSON.parse(r.data) as IncidentReport), id: String(r.id) }),
      ),

    list: async (filter, page) => {
      const { sql, params } = listSql(filter, decodeCursor(page.cursor), page.limit + 1, rootRegionId);
      const { rows } = await pool.query<{ data: string; reported_ms: number; created_seq: number }>(sql, params);
      const items = rows.slice(0, page.limit);
      const last = rows.length > page.limit ? items.at(-1) : undefined;
      return { items: items.map(parse), nextCursor: last ? encodeCursor(last.reported_ms, last.created_seq) : null };
    },

    get: async (id) => {
      const r = (await pool.query<{ data: string }>('SELECT data FROM incidents WHERE id = $1', [id])).rows[0];
      return r ? parse(r) : null;
    },

    headSeq: async () => (await pool.query<{ seq: number }>('SELECT seq FROM log_head')).rows[0]?.seq ?? 0,

    recent: async (regionId, limit) =>
      (
        await pool.query<{ data: string }>(
          `SELECT data FROM incidents WHERE region_id >= $1 AND region_id < $2
            ORDER BY status IN (${TERMINAL_SQL}), reported_ms DESC, created_seq DESC LIMIT $3`,
          [...prefixRange(regionId), limit],
        )
      ).rows.map(parse),

    changesSince: async (seq, regionId, limit) => {
      const oldest = (await pool.query<{ seq: number | null }>('SELECT min(seq) AS seq FROM events')).rows[0]?.seq ?? 0;
      if (oldest > seq + 1) return null;
      // One statement, one snapshot: by the ordering argument above it shows a prefix of the log.
      const { rows } = await pool.query<{ seq: number; type: 'created' | 'updated'; data: string }>(
        'SELECT seq, type, data FROM events WHERE seq > $1 AND region_id >= $2 AND region_id < $3 ORDER BY seq LIMIT $4',
        [seq, ...prefixRange(regionId), limit + 1],
      );
      if (rows.length > limit) return null;
      return rows.map((r) => ({ seq: r.seq, type: r.type, incident: parse(r) }));
    },

    kpis: async (regionId, now) => {
      const [lo, hi] = prefixRange(regionId);
      const { rows } = await pool.query<Kpis>(
        `SELECT
           (count(*) FILTER (WHERE reported_ms >= $1))::int AS "reportedToday",
           (count(*) FILTER (WHERE status NOT IN (${TERMINAL_SQL})))::int AS "open",
           (count(*) FILTER (WHERE status NOT IN (${TERMINAL_SQL}) AND severity IN ('high','critical')))::int AS "urgentOpen",
           (count(*) FILTER (WHERE status NOT IN (${TERMINAL_SQL}) AND due_ms IS NOT NULL AND due_ms < $2))::int AS "overdue",
           (count(*) FILTER (WHERE closed_ms >= $1))::int AS "closedToday"
         FROM incidents WHERE region_id >= $3 AND region_id < $4`,
        [startOfCstDay(now.getTime()), now.getTime(), lo, hi],
      );
      return rows[0]!;
    },

    listByStatus: async (statuses, limit) =>
      (
        await pool.query<{ data: string }>(
          'SELECT data FROM incidents WHERE status = ANY($1::text[]) ORDER BY updated_ms, created_seq LIMIT $2',
          [[...statuses], limit],
        )
      ).rows.map(parse),
  };
}

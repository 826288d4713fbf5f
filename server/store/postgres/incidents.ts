import type pg from 'pg';
import type { Incident, IncidentChange, Kpis } from '#common/incidents/types';
import { TERMINAL_STATUSES } from '#common/incidents/types';
import { startOfCstDay } from '#common/time';
import type { IncidentStore, IngestOutcome } from '../types.ts';
import { prefixRange, withTx } from './tx.ts';

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

const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');

const INCIDENT_COLS = 'id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, created_seq, data';
const EVENT_COLS = 'seq, at_ms, type, incident_id, region_id, data';

function incidentId(seq: number, at: Date): string {
  const d = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `INC-${d}-${String(seq).padStart(6, '0')}`;
}

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
  data: string;
}

interface EventRow {
  seq: number;
  at_ms: number;
  type: 'created' | 'updated';
  incident_id: string;
  region_id: string;
  data: string;
}

const parse = (r: { data: string }) => JSON.parse(r.data) as Incident;

export function postgresIncidentStore(pool: pg.Pool, rootRegionId: string): IncidentStore {
  const row = (inc: Incident, createdSeq: number): IncidentRow => ({
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
    data: JSON.stringify(inc),
  });

  return {
    ingest: (batch, now) =>
      withTx(pool, async (c) => {
        const head = (await c.query<{ seq: number }>('SELECT seq FROM log_head FOR UPDATE')).rows[0]!.seq;
        // Under the head lock no other ingest runs, so this read sees every committed (connector, externalId).
        const keyOf = (connectorId: string, externalId: string) => JSON.stringify([connectorId, externalId]);
        const known = new Map<string, string>();
        const keyed = batch.filter((i) => i.externalId !== null);
        if (keyed.length) {
          const { rows } = await c.query<{ connector_id: string; external_id: string; id: string }>(
            `SELECT i.connector_id, i.external_id, i.id
               FROM incidents i JOIN unnest($1::text[], $2::text[]) AS k(c, e) ON i.connector_id = k.c AND i.external_id = k.e`,
            [keyed.map((i) => i.connectorId), keyed.map((i) => i.externalId)],
          );
          for (const r of rows) known.set(keyOf(r.connector_id, r.external_id), r.id);
        }
        const nowIso = now.toISOString();
        const incidents: IncidentRow[] = [];
        const events: EventRow[] = [];
        let seq = head;
        const outcomes = batch.map((item): IngestOutcome => {
          const key = item.externalId === null ? null : keyOf(item.connectorId, item.externalId);
          const dup = key === null ? undefined : known.get(key);
          if (dup) return { kind: 'duplicate', incidentId: dup };
          seq += 1;
          const incident: Incident = { ...item, id: incidentId(seq, now), status: 'reported', updatedAt: nowIso, dueAt: null, assigneeId: null };
          // Later copies in the same batch are duplicates of this one.
          if (key !== null) known.set(key, incident.id);
          const r = row(incident, seq);
          incidents.push(r);
          events.push({ seq, at_ms: now.getTime(), type: 'created', incident_id: incident.id, region_id: r.region_id, data: r.data });
          return { kind: 'created', change: { seq, type: 'created', incident } };
        });
        if (incidents.length) {
          // The unique index stays the last word on dedupe: a violation aborts the whole transaction.
          await c.query(
            `INSERT INTO incidents (${INCIDENT_COLS}) SELECT ${INCIDENT_COLS} FROM json_populate_recordset(NULL::incidents, $1::json)`,
            [JSON.stringify(incidents)],
          );
          await c.query(`INSERT INTO events (${EVENT_COLS}) SELECT ${EVENT_COLS} FROM json_populate_recordset(NULL::events, $1::json)`, [
            JSON.stringify(events),
          ]);
          await c.query('UPDATE log_head SET seq = $1', [seq]);
        }
        return outcomes;
      }),

    update: (id, mutate, now) =>
      withTx(pool, async (c): Promise<IncidentChange | null> => {
        const current = (await c.query<{ data: string }>('SELECT data FROM incidents WHERE id = $1 FOR UPDATE', [id])).rows[0];
        if (!current) return null;
        const next = mutate(parse(current));
        if (!next) return null;
        const incident: Incident = { ...next, id, updatedAt: now.toISOString() };
        const seq = (await c.query<{ seq: number }>('UPDATE log_head SET seq = seq + 1 RETURNING seq')).rows[0]!.seq;
        const r = row(incident, 0);
        await c.query(
          `UPDATE incidents SET status = $2, severity = $3, region_id = $4, updated_ms = $5, due_ms = $6, closed_ms = $7, data = $8
            WHERE id = $1`,
          [id, r.status, r.severity, r.region_id, r.updated_ms, r.due_ms, r.closed_ms, r.data],
        );
        await c.query(`INSERT INTO events (${EVENT_COLS}) VALUES ($1, $2, 'updated', $3, $4, $5)`, [seq, now.getTime(), id, r.region_id, r.data]);
        return { seq, type: 'updated', incident };
      }),

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
      const { rows } = await pool.query<Pick<EventRow, 'seq' | 'type' | 'data'>>(
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

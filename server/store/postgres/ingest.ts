import type pg from 'pg';
import type { CaseFacts } from '#common/analytics/facts';
import { MERGE_WINDOW_MS, mergeFamily } from '#common/incidents/merge';
import type { Incident } from '#common/incidents/types';
import { TERMINAL_STATUSES } from '#common/incidents/types';
import { planIngest, reportKey, storedMergeTargets, type LightCandidate } from '../ingest-plan.ts';
import { candidateKeys, mergeCell } from '../merge-cells.ts';
import { parseIncident } from '../rows.ts';
import type { IncidentStore, NewIncident } from '../types.ts';
import type { postgresRollupWriter } from './analytics.ts';
import { compose, LINES, lines, withTx, type Stmt } from './tx.ts';

/*
 * The batched ingest on PostgreSQL, in six round trips whatever the batch holds:
 *  1. BEGIN and the log head's lock, as one simple-protocol message (the batch's keys worked out meanwhile);
 *  2. the batch's stored reports (dedupe) and its merge candidates, light, in one statement;
 *  3. only when the batch merges into stored incidents: those in full, with their analytics facts;
 *  4. every row write (incidents, events, reports, the head) as one statement of WITH items;
 *  5. the rollups and facts, folded in Node while the server runs 4;
 *  6. COMMIT.
 * Rows travel as columns (one array per column), each incident state's JSON once, as a line of one text
 * parameter: no JSON of rows wrapping the JSON of each incident, escaped in Node and parsed again in the server.
 * Statement by statement this was 14 round trips, and the row JSON was PostgreSQL's largest per-event cost in Node.
 */

export const TERMINAL_SQL = TERMINAL_STATUSES.map((s) => `'${s}'`).join(',');

/** The merge family of a merge cell key (`family@x,y`, merge-cells.ts). */
const familyOfCell = (cell: string) => cell.slice(0, cell.lastIndexOf('@'));

/** The batch's report keys and merge cells to look under (pure: worked out while the head lock is on its way). */
const batchKeys = (batch: readonly NewIncident[], merge: boolean) => ({
  keyed: batch.filter((i) => i.externalId !== null),
  keys: merge ? candidateKeys(batch, MERGE_WINDOW_MS) : [],
});

/**
 * Reports already stored under the batch's keys, and the open incidents filed under the batch's merge cells
 * (merge-cells.ts), light: no JSON is read. A light candidate needs its category only to compare merge families
 * (canMerge's sameFamily; the cell index filed it under its family): any category of that family decides alike,
 * and one of the batch's own reports is at hand for every family the batch looks under.
 */
async function readBatch(c: pg.PoolClient, batch: readonly NewIncident[], { keyed, keys }: ReturnType<typeof batchKeys>) {
  const known = new Map<string, string>();
  if (!keyed.length && !keys.length) return { known, light: [] as LightCandidate[] };
  const { rows } = await c.query<{ t: 'k' | 'c'; id: string; a: string; b: string | null; lng: number; lat: number; reported_ms: number; status: Incident['status'] }>({
    // Named: parsed and planned once per connection.
    name: 'ingest-read-batch',
    text: `SELECT 'k' AS t, r.incident_id AS id, r.connector_id AS a, r.external_id AS b,
            NULL::float8 AS lng, NULL::float8 AS lat, NULL::bigint AS reported_ms, NULL::text AS status
       FROM reports r JOIN unnest($1::text[], $2::text[]) AS k(c, e) ON r.connector_id = k.c AND r.external_id = k.e
     UNION ALL
     SELECT 'c', i.id, i.merge_cell, NULL, i.lng, i.lat, i.reported_ms, i.status
       FROM unnest($3::text[], $4::bigint[], $5::bigint[]) AS k(cell, lo, hi)
       JOIN incidents i ON i.merge_cell = k.cell AND i.reported_ms BETWEEN k.lo AND k.hi
      WHERE i.status NOT IN (${TERMINAL_SQL})`,
    values: [keyed.map((i) => i.connectorId), keyed.map((i) => i.externalId), keys.map((k) => k.key), keys.map((k) => k.lo), keys.map((k) => k.hi)],
  });
  const categoryOf = new Map(batch.map((i) => [mergeFamily(i.category), i.category]));
  const light = new Map<string, LightCandidate>();
  for (const r of rows) {
    if (r.t === 'k') known.set(reportKey(r.a, r.b!), r.id);
    else if (!light.has(r.id))
      light.set(r.id, {
        id: r.id,
        category: categoryOf.get(familyOfCell(r.a))!,
        location: { lng: r.lng, lat: r.lat },
        reportedAt: new Date(r.reported_ms).toISOString(),
        status: r.status,
      });
  }
  return { known, light: [...light.values()] };
}

/** Columns of the incidents table the ingest writes, and the values of `inc`'s row. */
export const INCIDENT_COLS = 'id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, due_ms, closed_ms, created_seq, lng, lat, merge_cell, data';
/** The columns before `data`, with their types. */
const ROW_COLS = INCIDENT_COLS.split(', ').slice(0, -1);
const INCIDENT_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'bigint', 'bigint', 'bigint', 'float8', 'float8', 'text'];

export function incidentValues(inc: Incident, createdSeq: number, rootRegionId: string): unknown[] {
  return [
    inc.id,
    inc.connectorId,
    inc.externalId,
    inc.status,
    inc.severity,
    inc.gridId ?? rootRegionId,
    Date.parse(inc.reportedAt),
    Date.parse(inc.updatedAt),
    inc.dueAt ? Date.parse(inc.dueAt) : null,
    inc.status === 'closed' ? Date.parse(inc.updatedAt) : null,
    createdSeq,
    inc.location.lng,
    inc.location.lat,
    mergeCell(inc.category, inc.location.lng, inc.location.lat),
  ];
}

/** `rows` (each `width` values) as one array parameter per column. */
function columns(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  const cols = Array.from({ length: width }, () => new Array<unknown>(rows.length));
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j++) cols[j]![i] = r[j];
  });
  return cols;
}
const unnestOf = (types: readonly string[]) => `unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})`;

export function postgresIngest(pool: pg.Pool, rootRegionId: string, rollup: ReturnType<typeof postgresRollupWriter>): IncidentStore['ingest'] {
  return (batch, now, opts) =>
    withTx(
      pool,
      async (c, opened) => {
        const merge = opts?.merge ?? false;
        const keys = batchKeys(batch, merge);
        const head = ((await opened)[0]!.rows[0] as { seq: number }).seq;
        // Under the head lock no other writer runs: these reads see every committed report and incident.
        const { known, light } = await readBatch(c, batch, keys);
        const targets = light.length ? storedMergeTargets({ batch, known, candidates: light }) : new Set<string>();
        const facts = new Map<string, CaseFacts | null>();
        let candidates: Incident[] = [];
        if (targets.size) {
          const full = await c.query<{ id: string; data: string; facts: string | null }>({
            name: 'ingest-read-targets',
            // Facts by a subquery per row: a join let the planner hash every stored case's facts for a few hundred.
            text: `SELECT i.id, i.data, (SELECT f.data FROM analytics_facts f WHERE f.incident_id = i.id) AS facts
                     FROM incidents i WHERE i.id = ANY($1::text[])`,
            values: [[...targets]],
          });
          const byId = new Map(full.rows.map((r) => [r.id, parseIncident(r)]));
          for (const r of full.rows) facts.set(r.id, r.facts === null ? null : (JSON.parse(r.facts) as CaseFacts));
          candidates = light.filter((l) => targets.has(l.id)).map((l) => byId.get(l.id)!);
        }
        const plan = planIngest({ batch, now, headSeq: head, known, candidates, merge });
        if (plan.events.length === 0) return plan.outcomes;
        // A created incident's id comes from its seq, never used before: it has no facts yet.
        for (const x of plan.created) facts.set(x.incident.id, null);

        // Each incident state's JSON once: an incident's row carries the state of one of the batch's events.
        const docs: string[] = plan.events.map((e) => JSON.stringify(e.incident));
        const docOf = new Map<Incident, number>(plan.events.map((e, i) => [e.incident, i + 1]));
        const doc = (inc: Incident) => docOf.get(inc) ?? docs.push(JSON.stringify(inc));
        const parts: (Stmt & { as?: string })[] = [];
        if (plan.created.length) {
          const rows = plan.created.map((x) => [...incidentValues(x.incident, x.createdSeq, rootRegionId), doc(x.incident)]);
          parts.push({
            text: `INSERT INTO incidents (${INCIDENT_COLS}) SELECT ${ROW_COLS.map((c) => `u.${c}`).join(', ')}, d.doc
                     FROM ${unnestOf([...INCIDENT_TYPES, 'int'])} AS u(${ROW_COLS.join(', ')}, n) JOIN docs d ON d.n = u.n`,
            values: columns(rows, INCIDENT_TYPES.length + 1),
          });
        }
        if (plan.updated.length) {
          // All absorbed reports' incidents in one statement (severity, count, version, time: nothing else moves).
          parts.push({
            text: `UPDATE incidents i SET severity = u.severity, updated_ms = u.updated_ms, data = d.doc
                     FROM ${unnestOf(['text', 'text', 'bigint', 'int'])} AS u(id, severity, updated_ms, n) JOIN docs d ON d.n = u.n WHERE i.id = u.id`,
            values: columns(plan.updated.map((inc) => [inc.id, inc.severity, Date.parse(inc.updatedAt), doc(inc)]), 4),
          });
        }
        parts.push({
          text: `INSERT INTO events (seq, type, incident_id, region_id, at_ms, data)
                 SELECT u.seq, u.type, u.incident_id, u.region_id, $5::bigint, d.doc
                   FROM ${unnestOf(['bigint', 'text', 'text', 'text'])} WITH ORDINALITY AS u(seq, type, incident_id, region_id, n) JOIN docs d ON d.n = u.n`,
          values: [...columns(plan.events.map((e) => [e.seq, e.type, e.incident.id, e.incident.gridId ?? rootRegionId]), 4), now.getTime()],
        });
        parts.push({
          text: `INSERT INTO reports (incident_id, connector_id, external_id, data) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], ${LINES('$4')})`,
          values: [...columns(plan.reports.map((r) => [r.incidentId, r.connectorId, r.externalId]), 3), lines(plan.reports.map((r) => JSON.stringify(r)))],
        });
        // After every doc() above: the documents, numbered from 1.
        parts.unshift({ as: 'docs', text: `SELECT * FROM unnest(${LINES('$1')}) WITH ORDINALITY AS d(doc, n)`, values: [lines(docs)] });
        const write = compose(parts, { text: 'UPDATE log_head SET seq = $1', values: [plan.headSeq] });
        const written = c.query(write.text, write.values);
        written.catch(() => undefined); // handled by the await below, even if folding throws first
        // The rollups are folded while the server writes the rows (one more round trip, but ~6 ms of CPU
        // per 500 events off the path the next transaction waits on); a failed write is seen by the await.
        const rollups = rollup.statements(plan.events, now, facts);
        await written;
        if (rollups.length) {
          const r = compose(rollups.slice(0, -1), rollups.at(-1)!);
          await c.query(r.text, r.values);
        }
        return plan.outcomes;
      },
      'SELECT seq FROM log_head FOR UPDATE',
    );
}

/**
 * SQLite migration 24: the assignee is a column (assignee_id) with the two workload indexes on it, so a report
 * absorbed by an open incident (which rewrites its JSON) updates no index entry. Rows stored before it get the
 * column from their JSON; every update that can change the assignee writes it; an absorb leaves it; the worker
 * reads keep their plans on the indexes.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TASKS_SQL } from '#server/store/sqlite/mobile';
import { WORKLOAD_SQL } from '#server/store/sqlite/parties';
import { createSqliteStore } from '#server/store/sqlite/index';
import { MIGRATIONS } from '#server/store/sqlite/schema';
import type { NewIncident } from '#server/store/types';

const ROOT = '510108';
const mine = MIGRATIONS.findIndex((m) => m.trimStart().startsWith('-- merge-pages (issue 14)'));
/** Incidents as stored before the column: one held by gw-1, one closed by gw-2, one unassigned. */
const stored = (id: string, status: string, assigneeId: string | null, closedMs: number | null) => ({
  id, source: 'hotline', connectorId: 'hotline', externalId: id, category: 'garbage_exposed', severity: 'low', title: id,
  description: '', location: { lng: 104.1, lat: 30.67 }, address: null, gridId: null, status,
  reportedAt: '2026-11-01T01:00:00.000Z', updatedAt: '2026-11-01T02:00:00.000Z', dueAt: null, assigneeId, reportCount: 1,
  version: 1, assistingPartyIds: [], slaStage: null, extension: null, mergedInto: null, closedMs,
});
const report = (externalId: string, reportedAt: string): NewIncident => ({
  source: 'iot', connectorId: 'iot', externalId, category: 'noise', severity: 'high', title: 't', description: '',
  location: { lng: 104.08, lat: 30.66 }, address: null, gridId: null, reportedAt, reporter: null,
});

describe('the assignee column (SQLite migration 24)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridops-assignee-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is filled for stored rows, written by updates, left by absorbs, and read through its indexes', async () => {
    expect(mine).toBeGreaterThan(0);
    const file = join(dir, 'gridops.sqlite');
    const old = new Database(file);
    for (let i = 0; i < mine; i++) old.exec(MIGRATIONS[i]!);
    old.pragma(`user_version = ${mine}`);
    const put = old.prepare(
      `INSERT INTO incidents (id, connector_id, external_id, status, severity, region_id, reported_ms, updated_ms, closed_ms, lng, lat, category, data)
       VALUES (?, 'hotline', ?, ?, 'low', ?, 0, 0, ?, 104.1, 30.67, 'garbage_exposed', ?)`,
    );
    for (const inc of [stored('INC-A', 'dispatched', 'gw-1', null), stored('INC-B', 'closed', 'gw-2', 5), stored('INC-C', 'reported', null, null)]) {
      const { closedMs, ...data } = inc;
      put.run(inc.id, inc.id, inc.status, ROOT, closedMs, JSON.stringify(data));
    }
    old.close();

    const store = createSqliteStore(file, ROOT);
    const raw = new Database(file, { readonly: true });
    const column = (id: string) => (raw.prepare('SELECT assignee_id AS a FROM incidents WHERE id = ?').get(id) as { a: string | null }).a;
    try {
      // Filled from the JSON of rows stored before the migration.
      expect([column('INC-A'), column('INC-B'), column('INC-C')]).toEqual(['gw-1', 'gw-2', null]);
      const held = await store.workload.byAssignee(['gw-1', 'gw-2', 'gw-3'], new Date(0));
      expect(Object.fromEntries(held)).toEqual({ 'gw-1': { open: 1, closed: 0, onTime: 0 }, 'gw-2': { open: 0, closed: 1, onTime: 1 } });
      expect((await store.mobile.tasks(['gw-1'], 10)).map((i) => i.id)).toEqual(['INC-A']);

      // An update that reassigns writes the column.
      const now = new Date('2026-11-29T08:00:00.000Z');
      await store.incidents.update('INC-A', (inc) => ({ ...inc, assigneeId: 'gw-3' }), now);
      expect(column('INC-A')).toBe('gw-3');
      expect((await store.mobile.tasks(['gw-1'], 10)).map((i) => i.id)).toEqual([]);
      expect((await store.mobile.tasks(['gw-3'], 10)).map((i) => i.id)).toEqual(['INC-A']);

      // A new incident has none; assigned, then absorbing a report, it keeps its assignee in the column and the JSON.
      const [created] = await store.incidents.ingest([report('r-1', now.toISOString())], now, { merge: true });
      expect(created!.kind).toBe('created');
      const id = created!.kind === 'created' ? created!.change.incident.id : '';
      expect(column(id)).toBeNull();
      await store.incidents.update(id, (inc) => ({ ...inc, status: 'dispatched', assigneeId: 'gw-4' }), now);
      const [merged] = await store.incidents.ingest([report('r-2', now.toISOString())], now, { merge: true });
      expect(merged).toMatchObject({ kind: 'merged', change: { incident: { id, assigneeId: 'gw-4', reportCount: 2 } } });
      expect(column(id)).toBe('gw-4');
      expect((await store.workload.byAssignee(['gw-4'], new Date(0))).get('gw-4')).toEqual({ open: 1, closed: 0, onTime: 0 });
    } finally {
      raw.close();
      await store.close();
    }

    // The workload reads search the column's indexes; the task list walks the open cases newest first.
    const db = new Database(file, { readonly: true });
    const plan = (sql: string, ...args: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan(WORKLOAD_SQL.open, '["gw-1"]')).toContain('SEARCH incidents USING INDEX incidents_assignee_open (assignee_id=?)');
    expect(plan(WORKLOAD_SQL.closed, '["gw-1"]', 0)).toContain('SEARCH incidents USING INDEX incidents_assignee_closed (assignee_id=? AND closed_ms>?)');
    expect(plan(TASKS_SQL, '["gw-1"]', '["gw-1"]', 10)).toContain('SCAN incidents USING INDEX incidents_open_reported');
    // No index of the table reads a column an absorb writes (severity, updated_ms, data).
    const indexed = db
      .prepare<[], { sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' AND sql IS NOT NULL")
      .all()
      .map((r) => r.sql);
    expect(indexed.length).toBeGreaterThan(5);
    for (const sql of indexed) expect(sql).not.toMatch(/\b(severity|updated_ms|data)\b/);
    db.close();
  });
});

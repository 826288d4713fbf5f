import { regionAncestry } from '#common/geo/types';
import type { Party } from '#common/dispatch/types';
import { toParty, WORKLOAD_CHUNK, type PartyRow } from '../parties-rows.ts';
import type { PartyStore, Workload, WorkloadStore } from '../types.ts';
import type { Db } from './open.ts';

const SELECT = `SELECT p.id, p.kind, p.name, p.categories, p.contact_name, p.contact_phone, p.synthetic,
  (SELECT group_concat(region_id) FROM party_regions r WHERE r.party_id = p.id) AS region_ids FROM parties p`;

export function sqlitePartyStore(db: Db): PartyStore {
  const q = {
    list: db.prepare<[], PartyRow>(`${SELECT} ORDER BY p.id`),
    get: db.prepare<[string], PartyRow>(`${SELECT} WHERE p.id = ?`),
    covering: db.prepare<[string], PartyRow>(
      `${SELECT} WHERE p.id IN (SELECT party_id FROM party_regions WHERE region_id IN (SELECT value FROM json_each(?))) ORDER BY p.id`,
    ),
    upsert: db.prepare(
      `INSERT INTO parties (id, kind, name, categories, contact_name, contact_phone, synthetic, updated_ms)
       VALUES (@id, @kind, @name, @categories, @contactName, @contactPhone, @synthetic, @updatedMs)
       ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, categories = excluded.categories,
         contact_name = excluded.contact_name, contact_phone = excluded.contact_phone, synthetic = excluded.synthetic,
         updated_ms = excluded.updated_ms`,
    ),
    clearRegions: db.prepare('DELETE FROM party_regions WHERE party_id = ?'),
    addRegion: db.prepare('INSERT OR IGNORE INTO party_regions (party_id, region_id) VALUES (?, ?)'),
    delete: db.prepare('DELETE FROM parties WHERE id = ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM parties'),
  };
  const put = db.transaction((parties: readonly Party[], now: number) => {
    for (const p of parties) {
      q.upsert.run({
        id: p.id,
        kind: p.kind,
        name: p.name,
        categories: JSON.stringify(p.categories),
        contactName: p.contact?.name ?? null,
        contactPhone: p.contact?.phone ?? null,
        synthetic: p.synthetic ? 1 : 0,
        updatedMs: now,
      });
      q.clearRegions.run(p.id);
      for (const r of p.regionIds) q.addRegion.run(p.id, r);
    }
  });
  return {
    list: async () => q.list.all().map(toParty),
    get: async (id) => {
      const r = q.get.get(id);
      return r ? toParty(r) : null;
    },
    covering: async (regionId) => q.covering.all(JSON.stringify(regionAncestry(regionId))).map(toParty),
    put: async (parties, now) => {
      put(parties, now.getTime());
    },
    delete: async (id) => q.delete.run(id).changes > 0,
    count: async () => q.count.get()!.n,
  };
}

/**
 * The workload reads. assignee_id is the column of the indexes incidents_assignee_open / _closed (schema.ts,
 * migration 24); test/integration/assignee-column.test.ts checks the plans.
 */
export const WORKLOAD_SQL = {
  open: `SELECT assignee_id AS a, count(*) AS n FROM incidents
          WHERE assignee_id IN (SELECT value FROM json_each(?)) AND status NOT IN ('rejected', 'closed')
          GROUP BY a`,
  // Assisting parts count as cases held too. Parties join at dispatch, so only the dispatched-onwards statuses
  // (an index range on status) can hold them.
  assisting: `SELECT p.value AS a, count(*) AS n FROM incidents i, json_each(i.data, '$.assistingPartyIds') p
          WHERE i.status IN ('dispatched', 'in_progress', 'feedback', 'checking') AND p.value IN (SELECT value FROM json_each(?))
          GROUP BY a`,
  closed: `SELECT assignee_id AS a, count(*) AS n,
                  sum(CASE WHEN due_ms IS NULL OR closed_ms <= due_ms THEN 1 ELSE 0 END) AS ontime
             FROM incidents
            WHERE assignee_id IN (SELECT value FROM json_each(?)) AND closed_ms IS NOT NULL AND closed_ms >= ?
            GROUP BY a`,
};

export function sqliteWorkloadStore(db: Db): WorkloadStore {
  const open = db.prepare<[string], { a: string; n: number }>(WORKLOAD_SQL.open);
  const assisting = db.prepare<[string], { a: string; n: number }>(WORKLOAD_SQL.assisting);
  const closed = db.prepare<[string, number], { a: string; n: number; ontime: number }>(WORKLOAD_SQL.closed);
  return {
    byAssignee: async (ids, since) => {
      const out = new Map<string, Workload>();
      const entry = (a: string) => out.get(a) ?? out.set(a, { open: 0, closed: 0, onTime: 0 }).get(a)!;
      for (let i = 0; i < ids.length; i += WORKLOAD_CHUNK) {
        const part = JSON.stringify(ids.slice(i, i + WORKLOAD_CHUNK));
        for (const r of open.all(part)) entry(r.a).open = r.n;
        for (const r of assisting.all(part)) entry(r.a).open += r.n;
        for (const r of closed.all(part, since.getTime())) Object.assign(entry(r.a), { closed: r.n, onTime: r.ontime });
      }
      return out;
    },
  };
}

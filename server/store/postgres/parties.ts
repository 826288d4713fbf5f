import type pg from 'pg';
import { regionAncestry } from '#common/geo/types';
import { toParty, WORKLOAD_CHUNK, type PartyRow } from '../parties-rows.ts';
import type { PartyStore, Workload, WorkloadStore } from '../types.ts';
import { withTx } from './tx.ts';

const SELECT = `SELECT p.id, p.kind, p.name, p.categories, p.contact_name, p.contact_phone, p.synthetic,
  (SELECT string_agg(region_id, ',') FROM party_regions r WHERE r.party_id = p.id) AS region_ids FROM parties p`;

export function postgresPartyStore(pool: pg.Pool): PartyStore {
  return {
    list: async () => (await pool.query<PartyRow>(`${SELECT} ORDER BY p.id COLLATE "C"`)).rows.map(toParty),
    get: async (id) => {
      const r = (await pool.query<PartyRow>(`${SELECT} WHERE p.id = $1`, [id])).rows[0];
      return r ? toParty(r) : null;
    },
    covering: async (regionId) =>
      (
        await pool.query<PartyRow>(
          `${SELECT} WHERE p.id IN (SELECT party_id FROM party_regions WHERE region_id = ANY($1::text[])) ORDER BY p.id COLLATE "C"`,
          [regionAncestry(regionId)],
        )
      ).rows.map(toParty),
    put: async (parties, now) => {
      if (!parties.length) return;
      await withTx(pool, async (client) => {
        for (const p of parties) {
          await client.query(
            `INSERT INTO parties (id, kind, name, categories, contact_name, contact_phone, synthetic, updated_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, categories = excluded.categories,
               contact_name = excluded.contact_name, contact_phone = excluded.contact_phone, synthetic = excluded.synthetic,
               updated_ms = excluded.updated_ms`,
            [p.id, p.kind, p.name, JSON.stringify(p.categories), p.contact?.name ?? null, p.contact?.phone ?? null, p.synthetic, now.getTime()],
          );
          await client.query('DELETE FROM party_regions WHERE party_id = $1', [p.id]);
          await client.query(
            'INSERT INTO party_regions (party_id, region_id) SELECT $1, r FROM unnest($2::text[]) AS r ON CONFLICT DO NOTHING',
            [p.id, p.regionIds],
          );
        }
      });
    },
    delete: async (id) => ((await pool.query('DELETE FROM parties WHERE id = $1', [id])).rowCount ?? 0) > 0,
    count: async () => (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM parties')).rows[0]!.n,
  };
}

/** The expressions must match the indexes incidents_assignee_open / _closed (schema.ts) to use them. */
export function postgresWorkloadStore(pool: pg.Pool): WorkloadStore {
  return {
    byAssignee: async (ids, since) => {
      const out = new Map<string, Workload>();
      const entry = (a: string) => out.get(a) ?? out.set(a, { open: 0, closed: 0, onTime: 0 }).get(a)!;
      for (let i = 0; i < ids.length; i += WORKLOAD_CHUNK) {
        const part = ids.slice(i, i + WORKLOAD_CHUNK);
        const open = await pool.query<{ a: string; n: number }>(
          `SELECT assignee_id AS a, count(*)::int AS n FROM incidents
            WHERE assignee_id = ANY($1::text[]) AND status NOT IN ('rejected', 'closed')
            GROUP BY 1`,
          [part],
        );
        for (const r of open.rows) entry(r.a).open = r.n;
        // Assisting parts count as cases held too; parties join at dispatch (see the SQLite store).
        const assisting = await pool.query<{ a: string; n: number }>(
          `SELECT p AS a, count(*)::int AS n
             FROM incidents, jsonb_array_elements_text(coalesce(data::jsonb -> 'assistingPartyIds', '[]'::jsonb)) AS p
            WHERE status IN ('dispatched', 'in_progress', 'feedback', 'checking') AND p = ANY($1::text[])
            GROUP BY 1`,
          [part],
        );
        for (const r of assisting.rows) entry(r.a).open += r.n;
        const closed = await pool.query<{ a: string; n: number; ontime: number }>(
          `SELECT assignee_id AS a, count(*)::int AS n,
                  (count(*) FILTER (WHERE due_ms IS NULL OR closed_ms <= due_ms))::int AS ontime
             FROM incidents
            WHERE assignee_id = ANY($1::text[]) AND closed_ms IS NOT NULL AND closed_ms >= $2
            GROUP BY 1`,
          [part, since.getTime()],
        );
        for (const r of closed.rows) Object.assign(entry(r.a), { closed: r.n, onTime: r.ontime });
      }
      return out;
    },
  };
}

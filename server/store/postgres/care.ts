import type pg from 'pg';
import type { Activity, CareResident, Visit, VolunteerHours } from '#common/care/types';
import type { CareStore } from '../care-types.ts';
import { ms, registerVerdict, toRegistration, toWelfare, type WelfareRow } from '../care-rows.ts';
import { prefixRange, withTx } from './tx.ts';

type Data = { data: string };
const parse = <T>(rows: Data[]): T[] => rows.map((r) => JSON.parse(r.data) as T);
const insertRegistration = (c: pg.PoolClient, regionId: string, r: Omit<Parameters<CareStore['register']>[0], 'regionId'>) =>
  c.query('INSERT INTO activity_registrations (id, activity_id, region_id, occurrence_ms, attended, data) VALUES ($1, $2, $3, $4, $5, $6)', [
    r.id,
    r.activityId,
    regionId,
    ms(r.occurrence),
    r.attended,
    JSON.stringify(r),
  ]);

export function postgresCareStore(pool: pg.Pool): CareStore {
  const rows = async <T extends object>(sql: string, params: unknown[]) => (await pool.query<T>(sql, params)).rows;
  const one = async <T>(sql: string, params: unknown[]): Promise<T | null> => {
    const r = (await pool.query<Data>(sql, params)).rows[0];
    return r ? (JSON.parse(r.data) as T) : null;
  };
  return {
    putResidents: async (rs) => {
      if (!rs.length) return;
      const now = Date.now();
      await withTx(pool, async (c) => {
        for (const r of rs) {
          await c.query(
            `INSERT INTO care_residents (id, grid_id, data, updated_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET grid_id = excluded.grid_id, data = excluded.data, updated_ms = excluded.updated_ms`,
            [r.id, r.gridId, JSON.stringify(r), now],
          );
        }
      });
    },
    residents: async (regionId) => parse<CareResident>(await rows<Data>('SELECT data FROM care_residents WHERE grid_id >= $1 AND grid_id < $2 ORDER BY grid_id, id COLLATE "C"', prefixRange(regionId))),
    resident: (id) => one<CareResident>('SELECT data FROM care_residents WHERE id = $1', [id]),
    deleteResident: async (id) => ((await pool.query('DELETE FROM care_residents WHERE id = $1', [id])).rowCount ?? 0) > 0,
    countResidents: async () => (await rows<{ n: number }>('SELECT count(*)::int AS n FROM care_residents', []))[0]!.n,
    addVisit: async (v) => {
      await pool.query('INSERT INTO care_visits (id, resident_id, grid_id, visited_ms, data) VALUES ($1, $2, $3, $4, $5)', [v.id, v.residentId, v.gridId, ms(v.visitedAt), JSON.stringify(v)]);
    },
    setVisitIncident: async (id, incidentId) => {
      await pool.query(`UPDATE care_visits SET data = jsonb_set(data::jsonb, '{incidentId}', to_jsonb($2::text))::text WHERE id = $1`, [id, incidentId]);
    },
    visits: async (regionId, since, limit) =>
      parse<Visit>(
        await rows<Data>('SELECT data FROM care_visits WHERE grid_id >= $1 AND grid_id < $2 AND visited_ms >= $3 ORDER BY visited_ms DESC LIMIT $4', [
          ...prefixRange(regionId),
          since?.getTime() ?? 0,
          limit,
        ]),
      ),
    lastVisits: async (regionId) =>
      new Map(
        (
          await rows<{ resident_id: string; m: number }>(
            // By where the resident lives now: visits made before a move count in the new grid.
            `SELECT v.resident_id, max(v.visited_ms) AS m FROM care_residents r JOIN care_visits v ON v.resident_id = r.id
              WHERE r.grid_id >= $1 AND r.grid_id < $2 GROUP BY v.resident_id`,
            prefixRange(regionId),
          )
        ).map(
          (r) => [r.resident_id, new Date(r.m).toISOString()],
        ),
      ),
    putActivities: async (as) => {
      if (!as.length) return;
      await withTx(pool, async (c) => {
        for (const a of as) {
          await c.query(
            `INSERT INTO activities (id, uid, region_id, start_ms, data) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET uid = excluded.uid, region_id = excluded.region_id, start_ms = excluded.start_ms, data = excluded.data`,
            [a.id, a.uid, a.regionId, ms(a.start), JSON.stringify(a)],
          );
        }
      });
    },
    activities: async (regionId, ancestors) =>
      parse<Activity>(
        await rows<Data>('SELECT data FROM activities WHERE (region_id >= $1 AND region_id < $2) OR region_id = ANY($3::text[]) ORDER BY start_ms, id COLLATE "C"', [
          ...prefixRange(regionId),
          ancestors,
        ]),
      ),
    activity: (id) => one<Activity>('SELECT data FROM activities WHERE id = $1', [id]),
    activityByUid: (uid) => one<Activity>('SELECT data FROM activities WHERE uid = $1', [uid]),
    countActivities: async () => (await rows<{ n: number }>('SELECT count(*)::int AS n FROM activities', []))[0]!.n,
    addRegistrations: async (rs) => {
      if (!rs.length) return;
      await withTx(pool, async (c) => {
        for (const { regionId, ...r } of rs) {
          await insertRegistration(c, regionId, r);
        }
      });
    },
    register: async ({ regionId, ...r }, capacity) =>
      withTx(pool, async (c) => {
        // The activity row's lock serialises sign-ups to it across nodes; READ COMMITTED then sees every earlier one.
        await c.query('SELECT 1 FROM activities WHERE id = $1 FOR UPDATE', [r.activityId]);
        const taken = (
          await c.query<Data & { attended: boolean | null }>('SELECT data, attended FROM activity_registrations WHERE activity_id = $1 AND occurrence_ms = $2', [r.activityId, ms(r.occurrence)])
        ).rows.map(toRegistration);
        const verdict = registerVerdict(taken, r, capacity);
        if (verdict === 'added') {
          await insertRegistration(c, regionId, r);
        }
        return verdict;
      }),
    registrations: async (activityId) =>
      (await rows<Data & { attended: boolean | null }>('SELECT data, attended FROM activity_registrations WHERE activity_id = $1 ORDER BY occurrence_ms, id COLLATE "C"', [activityId])).map(toRegistration),
    setAttendance: async (activityId, occurrence, ids) =>
      withTx(pool, async (c) => {
        await c.query('UPDATE activity_registrations SET attended = false WHERE activity_id = $1 AND occurrence_ms = $2 AND NOT (id = ANY($3::text[]))', [activityId, ms(occurrence), ids]);
        return (await c.query('UPDATE activity_registrations SET attended = true WHERE activity_id = $1 AND occurrence_ms = $2 AND id = ANY($3::text[])', [activityId, ms(occurrence), ids])).rowCount ?? 0;
      }),
    attended: async (regionId, ancestors, since) =>
      (
        await rows<Data & { region_id: string; occurrence_ms: number }>(
          `SELECT region_id, occurrence_ms, data FROM activity_registrations
            WHERE ((region_id >= $1 AND region_id < $2) OR region_id = ANY($3::text[])) AND occurrence_ms >= $4 AND attended`,
          [...prefixRange(regionId), ancestors, since.getTime()],
        )
      ).map((r) => {
        const d = JSON.parse(r.data) as { age: number | null; residentId: string | null };
        return { regionId: r.region_id, occurrence: new Date(r.occurrence_ms).toISOString(), age: d.age, residentId: d.residentId };
      }),
    addHours: async (hs: readonly VolunteerHours[]) => {
      if (!hs.length) return;
      await withTx(pool, async (c) => {
        for (const h of hs) await c.query('INSERT INTO volunteer_hours (id, party_id, region_id, at_ms, data) VALUES ($1, $2, $3, $4, $5)', [h.id, h.partyId, h.regionId, ms(h.at), JSON.stringify(h)]);
      });
    },
    hours: async (regionId, since) =>
      parse<VolunteerHours>(await rows<Data>('SELECT data FROM volunteer_hours WHERE region_id >= $1 AND region_id < $2 AND at_ms >= $3 ORDER BY at_ms DESC', [...prefixRange(regionId), since?.getTime() ?? 0])),
    claimWelfareTask: async (t) =>
      ((await pool.query('INSERT INTO welfare_tasks (resident_id, due_ms, grid_id, incident_id, created_ms) VALUES ($1, $2, $3, NULL, $4) ON CONFLICT DO NOTHING', [t.residentId, ms(t.dueAt), t.gridId, ms(t.createdAt)])).rowCount ?? 0) === 1,
    setWelfareIncident: async (residentId, dueAt, incidentId) => {
      await pool.query('UPDATE welfare_tasks SET incident_id = $1 WHERE resident_id = $2 AND due_ms = $3', [incidentId, residentId, ms(dueAt)]);
    },
    welfareTasks: async (regionId) => (await rows<WelfareRow>('SELECT * FROM welfare_tasks WHERE grid_id >= $1 AND grid_id < $2 ORDER BY due_ms', prefixRange(regionId))).map(toWelfare),
  };
}

import type { Activity, CareResident, Visit, VolunteerHours } from '#common/care/types';
import type { AttendedRow, CareStore } from '../care-types.ts';
import { ms, registerVerdict, toRegistration, toWelfare, type WelfareRow } from '../care-rows.ts';
import { prefixRange, type Db } from './open.ts';

type Data = { data: string };
const parse = <T>(rows: Data[]): T[] => rows.map((r) => JSON.parse(r.data) as T);

export function sqliteCareStore(db: Db): CareStore {
  const q = {
    putResident: db.prepare(
      `INSERT INTO care_residents (id, grid_id, data, updated_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET grid_id = excluded.grid_id, data = excluded.data, updated_ms = excluded.updated_ms`,
    ),
    residents: db.prepare<[string, string], Data>('SELECT data FROM care_residents WHERE grid_id >= ? AND grid_id < ? ORDER BY grid_id, id'),
    resident: db.prepare<[string], Data>('SELECT data FROM care_residents WHERE id = ?'),
    deleteResident: db.prepare('DELETE FROM care_residents WHERE id = ?'),
    countResidents: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM care_residents'),
    addVisit: db.prepare('INSERT INTO care_visits (id, resident_id, grid_id, visited_ms, data) VALUES (?, ?, ?, ?, ?)'),
    visit: db.prepare<[string], Data>('SELECT data FROM care_visits WHERE id = ?'),
    setVisit: db.prepare('UPDATE care_visits SET data = ? WHERE id = ?'),
    visits: db.prepare<[string, string, number, number], Data>(
      'SELECT data FROM care_visits WHERE grid_id >= ? AND grid_id < ? AND visited_ms >= ? ORDER BY visited_ms DESC LIMIT ?',
    ),
    // By where the resident lives now: visits made before a move count in the new grid.
    lastVisits: db.prepare<[string, string], { resident_id: string; m: number }>(
      `SELECT v.resident_id, max(v.visited_ms) AS m FROM care_residents r JOIN care_visits v ON v.resident_id = r.id
        WHERE r.grid_id >= ? AND r.grid_id < ? GROUP BY v.resident_id`,
    ),
    putActivity: db.prepare(
      `INSERT INTO activities (id, uid, region_id, start_ms, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET uid = excluded.uid, region_id = excluded.region_id, start_ms = excluded.start_ms, data = excluded.data`,
    ),
    activities: db.prepare<[string, string, string], Data>(
      `SELECT data FROM activities WHERE (region_id >= ? AND region_id < ?) OR region_id IN (SELECT value FROM json_each(?)) ORDER BY start_ms, id`,
    ),
    activity: db.prepare<[string], Data>('SELECT data FROM activities WHERE id = ?'),
    activityByUid: db.prepare<[string], Data>('SELECT data FROM activities WHERE uid = ?'),
    countActivities: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM activities'),
    addRegistration: db.prepare(
      'INSERT INTO activity_registrations (id, activity_id, region_id, occurrence_ms, attended, data) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    registrations: db.prepare<[string], Data & { attended: number | null }>(
      'SELECT data, attended FROM activity_registrations WHERE activity_id = ? ORDER BY occurrence_ms, id',
    ),
    occurrenceRegistrations: db.prepare<[string, number], Data & { attended: number | null }>(
      'SELECT data, attended FROM activity_registrations WHERE activity_id = ? AND occurrence_ms = ?',
    ),
    markAttended: db.prepare<[number, string, number, string]>(
      'UPDATE activity_registrations SET attended = ? WHERE activity_id = ? AND occurrence_ms = ? AND id IN (SELECT value FROM json_each(?))',
    ),
    markAbsent: db.prepare<[string, number, string]>(
      'UPDATE activity_registrations SET attended = 0 WHERE activity_id = ? AND occurrence_ms = ? AND id NOT IN (SELECT value FROM json_each(?))',
    ),
    attended: db.prepare<[string, string, string, number], Data & { region_id: string; occurrence_ms: number }>(
      `SELECT region_id, occurrence_ms, data FROM activity_registrations
        WHERE ((region_id >= ? AND region_id < ?) OR region_id IN (SELECT value FROM json_each(?))) AND occurrence_ms >= ? AND attended = 1`,
    ),
    addHours: db.prepare('INSERT INTO volunteer_hours (id, party_id, region_id, at_ms, data) VALUES (?, ?, ?, ?, ?)'),
    hours: db.prepare<[string, string, number], Data>('SELECT data FROM volunteer_hours WHERE region_id >= ? AND region_id < ? AND at_ms >= ? ORDER BY at_ms DESC'),
    claim: db.prepare('INSERT OR IGNORE INTO welfare_tasks (resident_id, due_ms, grid_id, incident_id, created_ms) VALUES (?, ?, ?, NULL, ?)'),
    setWelfare: db.prepare('UPDATE welfare_tasks SET incident_id = ? WHERE resident_id = ? AND due_ms = ?'),
    welfare: db.prepare<[string, string], WelfareRow>('SELECT * FROM welfare_tasks WHERE grid_id >= ? AND grid_id < ? ORDER BY due_ms'),
  };
  const putResidents = db.transaction((rs: readonly CareResident[], now: number) => {
    for (const r of rs) q.putResident.run(r.id, r.gridId, JSON.stringify(r), now);
  });
  const putActivities = db.transaction((as: readonly Activity[]) => {
    for (const a of as) q.putActivity.run(a.id, a.uid, a.regionId, ms(a.start), JSON.stringify(a));
  });
  const addRegistrations = db.transaction((rs: Parameters<CareStore['addRegistrations']>[0]) => {
    for (const { regionId, ...r } of rs) {
      q.addRegistration.run(r.id, r.activityId, regionId, ms(r.occurrence), r.attended === null ? null : r.attended ? 1 : 0, JSON.stringify(r));
    }
  });
  const register = db.transaction((r: Parameters<CareStore['register']>[0], capacity: number | null) => {
    const taken = q.occurrenceRegistrations.all(r.activityId, ms(r.occurrence)).map(toRegistration);
    const verdict = registerVerdict(taken, r, capacity);
    if (verdict === 'added') addRegistrations([r]);
    return verdict;
  });
  const setAttendance = db.transaction((activityId: string, occ: number, ids: string) => {
    q.markAbsent.run(activityId, occ, ids);
    return q.markAttended.run(1, activityId, occ, ids).changes;
  });
  const addHours = db.transaction((hs: readonly VolunteerHours[]) => {
    for (const h of hs) q.addHours.run(h.id, h.partyId, h.regionId, ms(h.at), JSON.stringify(h));
  });
  const one = <T>(r: Data | undefined): T | null => (r ? (JSON.parse(r.data) as T) : null);
  return {
    putResidents: async (rs) => void putResidents(rs, Date.now()),
    residents: async (regionId) => parse<CareResident>(q.residents.all(...prefixRange(regionId))),
    resident: async (id) => one<CareResident>(q.resident.get(id)),
    deleteResident: async (id) => q.deleteResident.run(id).changes > 0,
    countResidents: async () => q.countResidents.get()!.n,
    addVisit: async (v) => void q.addVisit.run(v.id, v.residentId, v.gridId, ms(v.visitedAt), JSON.stringify(v)),
    setVisitIncident: async (id, incidentId) => {
      const v = one<Visit>(q.visit.get(id));
      if (v) q.setVisit.run(JSON.stringify({ ...v, incidentId }), id);
    },
    visits: async (regionId, since, limit) => parse<Visit>(q.visits.all(...prefixRange(regionId), since?.getTime() ?? 0, limit)),
    lastVisits: async (regionId) => new Map(q.lastVisits.all(...prefixRange(regionId)).map((r) => [r.resident_id, new Date(r.m).toISOString()])),
    putActivities: async (as) => void putActivities(as),
    activities: async (regionId, ancestors) => parse<Activity>(q.activities.all(...prefixRange(regionId), JSON.stringify(ancestors))),
    activity: async (id) => one<Activity>(q.activity.get(id)),
    activityByUid: async (uid) => one<Activity>(q.activityByUid.get(uid)),
    countActivities: async () => q.countActivities.get()!.n,
    addRegistrations: async (rs) => void addRegistrations(rs),
    register: async (r, capacity) => register(r, capacity),
    registrations: async (activityId) => q.registrations.all(activityId).map(toRegistration),
    setAttendance: async (activityId, occurrence, ids) => setAttendance(activityId, ms(occurrence), JSON.stringify(ids)),
    attended: async (regionId, ancestors, since) =>
      q.attended.all(...prefixRange(regionId), JSON.stringify(ancestors), since.getTime()).map((r): AttendedRow => {
        const d = JSON.parse(r.data) as { age: number | null; residentId: string | null };
        return { regionId: r.region_id, occurrence: new Date(r.occurrence_ms).toISOString(), age: d.age, residentId: d.residentId };
      }),
    addHours: async (hs) => void addHours(hs),
    hours: async (regionId, since) => parse<VolunteerHours>(q.hours.all(...prefixRange(regionId), since?.getTime() ?? 0)),
    claimWelfareTask: async (t) => q.claim.run(t.residentId, ms(t.dueAt), t.gridId, ms(t.createdAt)).changes === 1,
    setWelfareIncident: async (residentId, dueAt, incidentId) => void q.setWelfare.run(incidentId, residentId, ms(dueAt)),
    welfareTasks: async (regionId) => q.welfare.all(...prefixRange(regionId)).map(toWelfare),
  };
}

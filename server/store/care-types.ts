import type { Activity, CareResident, Registration, Visit, VolunteerHours } from '#common/care/types';

export type RegisterOutcome = 'added' | 'duplicate' | 'full';

/** An attended registration as the indicators count it. */
export interface AttendedRow {
  regionId: string;
  occurrence: string;
  age: number | null;
  residentId: string | null;
}

export interface WelfareTask {
  residentId: string;
  /** duePeriodKey's due instant (ISO). */
  dueAt: string;
  gridId: string;
  incidentId: string | null;
  createdAt: string;
}

/**
 * Community life (common/care): the care registry (person-level; apart from the population aggregates),
 * visits, activities with registrations, the time bank and welfare tasks. Region reads take a subtree (prefix).
 */
export interface CareStore {
  putResidents(rs: readonly CareResident[]): Promise<void>;
  residents(regionId: string): Promise<CareResident[]>;
  resident(id: string): Promise<CareResident | null>;
  deleteResident(id: string): Promise<boolean>;
  countResidents(): Promise<number>;

  addVisit(v: Visit): Promise<void>;
  setVisitIncident(id: string, incidentId: string): Promise<void>;
  /** Newest first; visitedAt >= since when given. */
  visits(regionId: string, since: Date | null, limit: number): Promise<Visit[]>;
  /** Newest visit per resident living in the subtree now, wherever the visit was logged (a resident may have moved). */
  lastVisits(regionId: string): Promise<Map<string, string>>;

  putActivities(as: readonly Activity[]): Promise<void>;
  /** Activities held within the subtree or by one of its ancestors (a community's activity concerns its grids). */
  activities(regionId: string, ancestors: readonly string[]): Promise<Activity[]>;
  activity(id: string): Promise<Activity | null>;
  activityByUid(uid: string): Promise<Activity | null>;
  countActivities(): Promise<number>;

  addRegistrations(rs: readonly (Registration & { regionId: string })[]): Promise<void>;
  /**
   * Register one person for an occurrence unless already registered there or its places are taken: the check
   * and the insert are one step (one transaction holding the activity), so concurrent sign-ups, on one node or
   * several, never overbook it.
   */
  register(r: Registration & { regionId: string }, capacity: number | null): Promise<RegisterOutcome>;
  registrations(activityId: string): Promise<Registration[]>;
  /** Marks the occurrence's registrations: attended when listed, absent otherwise; returns how many are attended. */
  setAttendance(activityId: string, occurrence: string, attendedIds: readonly string[]): Promise<number>;
  /** Attended registrations of activities held within the subtree or by one of its ancestors. */
  attended(regionId: string, ancestors: readonly string[], since: Date): Promise<AttendedRow[]>;

  addHours(hs: readonly VolunteerHours[]): Promise<void>;
  hours(regionId: string, since: Date | null): Promise<VolunteerHours[]>;

  /**
   * Claim the welfare task of (resident, due period): true for exactly one caller across nodes (a unique key in
   * the store), false when it exists already.
   */
  claimWelfareTask(t: Omit<WelfareTask, 'incidentId'>): Promise<boolean>;
  setWelfareIncident(residentId: string, dueAt: string, incidentId: string): Promise<void>;
  welfareTasks(regionId: string): Promise<WelfareTask[]>;
}

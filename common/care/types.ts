/**
 * Community life (issue 11): activities, the care registry, caring visits and volunteer hours.
 * Wire types and input schemas shared by server and client. Person-level records (residents, visits,
 * registrations, volunteer members) are personal data: the server projects them per audience
 * (projection.ts) and a wall never receives them, only the indicators (indicators.ts).
 */
import { z } from 'zod';

export * from './constants.ts';
import { ACTIVITY_KINDS, CARE_CONDITIONS, TARGET_GROUPS, VISIT_OUTCOMES, VISIT_TIERS, type ActivityKind, type CareCondition, type TargetGroup, type VisitOutcome } from './constants.ts';

/** One elderly resident of the care registry (person-level; kept apart from the population aggregates). */
export interface CareResident {
  id: string;
  gridId: string;
  name: string;
  phone: string | null;
  /** YYYY-MM-DD. */
  birthDate: string;
  livingAlone: boolean;
  emptyNest: boolean;
  conditions: CareCondition[];
  address: string | null;
  /** Where a welfare task is placed on the map; the grid's centre when null. */
  location: { lng: number; lat: number } | null;
  /** When the resident entered the registry (ISO); the first visit is due one interval after. */
  registeredAt: string;
  synthetic: boolean;
}

export interface Visit {
  id: string;
  residentId: string;
  gridId: string;
  visitedAt: string;
  visitorKind: 'worker' | 'volunteer';
  /** Personal data of the visitor (projected). */
  visitorName: string;
  /** The volunteer team (a party of the dispatch registry) when a volunteer visited. */
  partyId: string | null;
  outcome: VisitOutcome;
  note: string;
  /** Service hours credited to the time bank (volunteer visits). */
  hours: number;
  /** The incident a "needs help" visit opened. */
  incidentId: string | null;
  createdBy: string;
}

/** One occurrence of a series changed on its own (iCalendar RECURRENCE-ID): it happens at `start` instead. */
export interface ActivityOverride {
  /** The occurrence of the series it replaces (ISO). */
  recurrenceId: string;
  start: string;
  durationMinutes: number;
  /** Its own title or venue when the calendar gave one different from the series'. */
  title: string | null;
  venueName: string | null;
}

export interface ActivityVenue {
  /** A POI of geo/ (党群服务中心, 日间照料中心 …) or null for another place. */
  poiId: string | null;
  name: string;
}

export interface Activity {
  id: string;
  /** The community (or grid/street) that holds it; scope like incidents. */
  regionId: string;
  title: string;
  kind: ActivityKind;
  venue: ActivityVenue;
  /** A party of the registry (social organisation, volunteer team); null: the community itself. */
  organiserPartyId: string | null;
  targetGroups: TargetGroup[];
  capacity: number | null;
  /** First occurrence (ISO with offset) and its length. */
  start: string;
  durationMinutes: number;
  /** RFC 5545 RRULE value (without "RRULE:"), e.g. "FREQ=WEEKLY;BYDAY=TU;COUNT=10"; null when one-off. */
  rrule: string | null;
  /** Occurrence starts (ISO) that are cancelled (EXDATE, or a RECURRENCE-ID with STATUS:CANCELLED). */
  exdates: string[];
  /** Single occurrences moved or changed (RECURRENCE-ID); absent on activities stored before overrides. */
  overrides?: ActivityOverride[];
  description: string;
  /** iCalendar UID, kept across export/import so a re-import updates instead of duplicating. */
  uid: string;
  synthetic: boolean;
}

/** A registration for one occurrence of an activity; attendance recorded on it by staff. */
export interface Registration {
  id: string;
  activityId: string;
  /** Start of the occurrence (ISO). */
  occurrence: string;
  /** Personal data. */
  name: string;
  phone: string | null;
  age: number | null;
  /** Link to the care registry when the attendee is a registered elderly resident. */
  residentId: string | null;
  attended: boolean | null;
  createdAt: string;
}

/** A time-bank entry: hours a volunteer served for a team. */
export interface VolunteerHours {
  id: string;
  partyId: string;
  /** Personal data (volunteer's name). */
  member: string;
  regionId: string;
  hours: number;
  at: string;
  activityId: string | null;
  visitId: string | null;
}

export interface TeamHours {
  partyId: string;
  name: string;
  hours: number;
}

const regionCode = z.string().trim().regex(/^\d{6,15}$/, 'a region code');
const isoWithOffset = z.iso.datetime({ offset: true });
const PHONE = /^[0-9+\-() ]{3,24}$/;
const phone = z.string().trim().regex(PHONE, 'digits, spaces, + - ( ) only').nullable().default(null);

export const newActivitySchema = z.strictObject({
  regionId: regionCode,
  title: z.string().trim().min(1).max(120),
  kind: z.enum(ACTIVITY_KINDS).default('other'),
  venue: z.strictObject({ poiId: z.string().trim().max(100).nullable().default(null), name: z.string().trim().min(1).max(120) }),
  organiserPartyId: z.string().trim().max(64).nullable().default(null),
  targetGroups: z.array(z.enum(TARGET_GROUPS)).max(TARGET_GROUPS.length).default([]),
  capacity: z.number().int().min(1).max(100_000).nullable().default(null),
  start: isoWithOffset,
  durationMinutes: z.number().int().min(5).max(24 * 60).default(90),
  rrule: z
    .string()
    .trim()
    .max(300)
    .regex(/^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+\-:]+)*$/, 'an RRULE value such as FREQ=WEEKLY;BYDAY=TU;COUNT=10')
    .nullable()
    .default(null),
  exdates: z.array(isoWithOffset).max(366).default([]),
  description: z.string().max(2000).default(''),
});
export type NewActivity = z.output<typeof newActivitySchema>;

export const newRegistrationSchema = z.strictObject({
  occurrence: isoWithOffset,
  name: z.string().trim().min(1).max(64),
  phone,
  age: z.number().int().min(0).max(130).nullable().default(null),
  residentId: z.string().trim().max(64).nullable().default(null),
});

export const attendanceSchema = z.strictObject({
  occurrence: isoWithOffset,
  /** Registrations of this occurrence that came; the others of it are recorded absent. */
  attendedIds: z.array(z.string().trim().max(64)).max(5000),
  /** Walk-ins registered and marked attended at once. */
  walkIns: z.array(newRegistrationSchema.omit({ occurrence: true })).max(1000).default([]),
});

export const newVisitSchema = z.strictObject({
  residentId: z.string().trim().min(1).max(64),
  visitedAt: isoWithOffset,
  visitorKind: z.enum(['worker', 'volunteer']).default('worker'),
  visitorName: z.string().trim().min(1).max(64),
  partyId: z.string().trim().max(64).nullable().default(null),
  outcome: z.enum(VISIT_OUTCOMES),
  note: z.string().max(2000).default(''),
  hours: z.number().min(0).max(24).default(0),
});

export const careResidentInputSchema = z.strictObject({
  id: z.string().trim().regex(/^[A-Za-z0-9_.-]{1,64}$/, '1–64 letters, digits, . _ or -').optional(),
  gridId: z.string().trim().regex(/^\d{15}$/, 'a grid code (15 digits)'),
  name: z.string().trim().min(1).max(64),
  phone,
  birthDate: z.iso.date(),
  livingAlone: z.boolean().default(false),
  emptyNest: z.boolean().default(false),
  conditions: z.array(z.enum(CARE_CONDITIONS)).max(CARE_CONDITIONS.length).default([]).transform((c) => [...new Set(c)]),
  address: z.string().trim().max(200).nullable().default(null),
  location: z.strictObject({ lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).nullable().default(null),
});

export const volunteerHoursSchema = z.strictObject({
  partyId: z.string().trim().min(1).max(64),
  member: z.string().trim().min(1).max(64),
  regionId: regionCode,
  hours: z.number().positive().max(24),
  at: isoWithOffset,
  activityId: z.string().trim().max(64).nullable().default(null),
});

/** PUT /api/care/tiers: the visit tier table, first match wins, the last rule also catches the rest. */
export const tierRulesSchema = z.strictObject({
  rules: z
    .array(
      z.strictObject({
        tier: z.enum(VISIT_TIERS),
        name: z.string().trim().min(1).max(40),
        minAge: z.number().int().min(0).max(130),
        aloneOrEmptyNest: z.boolean(),
        anyCondition: z.array(z.enum(CARE_CONDITIONS)).max(CARE_CONDITIONS.length).transform((c) => [...new Set(c)]),
        interval: z.union([z.strictObject({ days: z.number().int().min(1).max(366) }), z.strictObject({ months: z.number().int().min(1).max(12) })]),
      }),
    )
    .min(1)
    .max(VISIT_TIERS.length)
    .refine((rs) => new Set(rs.map((r) => r.tier)).size === rs.length, 'each tier at most once'),
});

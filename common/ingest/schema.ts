import { z } from 'zod';
import { SEVERITIES, SOURCE_KINDS } from '../incidents/types.ts';

/** A report dated further ahead than this is refused: a clock that wrong makes the SLA ladder meaningless. */
export const MAX_REPORTED_AHEAD_MS = 10 * 60_000;
/** …and one older than this too: a replayed archive or a device clock at 1970 is not a live case. */
export const MAX_REPORTED_AGE_MS = 30 * 86_400_000;

/** Why a reported time (ISO-8601) cannot be taken at `now`, or null when it can. */
export function reportedAtProblem(iso: string, now: Date): string | null {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'not a valid date';
  if (t > now.getTime() + MAX_REPORTED_AHEAD_MS) return `more than ${MAX_REPORTED_AHEAD_MS / 60_000} minutes in the future (server time ${now.toISOString()})`;
  if (t < now.getTime() - MAX_REPORTED_AGE_MS) return `more than ${MAX_REPORTED_AGE_MS / 86_400_000} days in the past (server time ${now.toISOString()})`;
  return null;
}

export const CRS_CODES = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;

/**
 * One upstream event as POST /api/ingest/events and the simulator submit it. `location` may be left out only
 * when `address` is given: the pipeline then locates it with the deployment's gazetteer, or parks it for a
 * dispatcher to place on the map (server/ingest/locate.ts).
 */
export const ingestEventSchema = z.strictObject({
  externalId: z.string().trim().min(1).max(128),
  source: z.enum(SOURCE_KINDS),
  category: z.string().min(1).max(64),
  severity: z.enum(SEVERITIES).optional(),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  location: z.strictObject({
    // z.number() already refuses NaN/Infinity and strings ('0x1A', '', ' '): JSON numbers only.
    lng: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
  }).optional(),
  crs: z.enum(CRS_CODES).default('wgs84'),
  address: z.string().max(300).nullable().default(null),
  /** ISO-8601 with an explicit offset; the server's clock when omitted. */
  reportedAt: z.iso.datetime({ offset: true }).optional(),
  reporter: z
    .strictObject({ name: z.string().max(64).nullable().default(null), phone: z.string().max(32).nullable().default(null) })
    .nullable()
    .default(null),
}).refine((e) => e.location !== undefined || (e.address ?? '').trim() !== '', {
  path: ['location'],
  message: 'location is required unless an address is given (then the server locates it or parks it for a dispatcher)',
  when: (payload) => payload.issues.length === 0,
});

export type IngestEventInput = z.input<typeof ingestEventSchema>;
export type IngestEvent = z.output<typeof ingestEventSchema>;

/** The result for one submitted item, in the order submitted. */
export type IngestItemResult =
  /** `merged`: linked as another report to an open incident of the same happening (id is that incident's). */
  | { ok: true; id: string; seq: number | null; duplicate: boolean; merged: boolean; parked?: false }
  /**
   * `parked`: an address the gazetteer could not place; stored durably for a dispatcher to place on the map
   * (id `PRK-…`; seq null until placed). Accepted like any other event: the upstream may acknowledge it.
   */
  | { ok: true; id: string; seq: null; duplicate: boolean; merged: false; parked: true }
  | { ok: false; error: { code: string; message: string } };

/** Input schemas of the field routes (positions, check-ins). */
import { z } from 'zod';

/** One fix of a worker's phone, as sent by `POST /api/me/positions` (issue 9). Personal data. */
export const positionInput = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** When the phone took the fix (ISO-8601); queued fixes arrive late. */
  at: z.iso.datetime({ offset: true }),
  /** Metres (the Geolocation API's `coords.accuracy`). */
  accuracy: z.number().min(0).max(100_000).optional(),
});
export type PositionInput = z.infer<typeof positionInput>;

/** A batch is accepted too, so an app coming back online sends its queue in one request. */
export const positionsBody = z.union([positionInput, z.strictObject({ positions: z.array(positionInput).min(1).max(500) })]);

export const checkinInput = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  at: z.iso.datetime({ offset: true }).optional(),
  note: z.string().max(500).optional(),
});
export type CheckinInput = z.infer<typeof checkinInput>;


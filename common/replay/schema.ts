/** Query schemas of the replay routes: apart from fold.ts, so the wall's replay code does not pull zod in. */
import { z } from 'zod';
import { calendarDay } from '../analytics/api.ts';

export const replayAtQuery = z.object({
  regionId: z.string().regex(/^\d{6,15}$/).optional(),
  at: z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
});
export const replayDayQuery = z.object({
  regionId: z.string().regex(/^\d{6,15}$/).optional(),
  day: calendarDay,
});

import { z } from 'zod';

/** One day that differs from the Monday–Friday rule: a public holiday, or a weekend made a working day (调休). */
export const holidayDaySchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  kind: z.enum(['holiday', 'workday']),
  /** 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 … */
  name: z.string().trim().min(1).max(32),
});
export type HolidayDay = z.infer<typeof holidayDaySchema>;

/** `PUT /api/holidays/{year}`: the whole year's exceptions as the State Council published them (replaces what was entered). */
export const holidayYearSchema = z.object({ days: z.array(holidayDaySchema).min(1).max(80) }).strict();
export type HolidayYearInput = z.infer<typeof holidayYearSchema>;

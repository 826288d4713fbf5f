/** China Standard Time: UTC+8 all year, no daylight saving. */
export const CST_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Epoch ms of the most recent local (UTC+8) midnight at or before `ms`. */
export function startOfCstDay(ms: number): number {
  return Math.floor((ms + CST_OFFSET_MS) / DAY_MS) * DAY_MS - CST_OFFSET_MS;
}

/** The China Standard Time of day at `ms`, as HH:mm:ss (the same in every UI language). */
export function cstClock(ms: number): string {
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(11, 19);
}

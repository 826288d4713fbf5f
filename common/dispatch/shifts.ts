/**
 * The shift roster as data. Two shifts a day in China Standard Time: day 08:00–20:00 and night 20:00–08:00
 * (a night belongs to the weekday it starts on). A pattern says which shift a worker works on each weekday
 * (index 0 = Sunday). The four patterns together cover every hour of the week:
 *
 *   pattern  Sun    Mon    Tue    Wed    Thu    Fri    Sat
 *   A        –      day    day    day    day    day    –
 *   B        day    –      –      day    day    day    day
 *   C        night  night  night  night  night  –      –
 *   D        –      –      night  night  night  night  night
 *
 * A roster worker may name its pattern (`shift` in geo/data/workers.json); otherwise one is derived from
 * its id by a stable hash, so the same worker is on the same pattern on every node and after every restart.
 */
import { CST_OFFSET_MS } from '../time.ts';

export type Shift = 'day' | 'night';
export const SHIFT_PATTERNS = {
  A: [null, 'day', 'day', 'day', 'day', 'day', null],
  B: ['day', null, null, 'day', 'day', 'day', 'day'],
  C: ['night', 'night', 'night', 'night', 'night', null, null],
  D: [null, null, 'night', 'night', 'night', 'night', 'night'],
} as const satisfies Record<string, readonly (Shift | null)[]>;
export type ShiftPatternId = keyof typeof SHIFT_PATTERNS;
export const SHIFT_PATTERN_IDS = Object.keys(SHIFT_PATTERNS) as ShiftPatternId[];

/** Start of the day shift and of the night shift, CST hours. */
export const DAY_SHIFT_START_HOUR = 8;
export const NIGHT_SHIFT_START_HOUR = 20;

function hash32(s: string): number {
  // FNV-1a: tiny, stable across platforms.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The worker's pattern: its own when it names a known one, else derived from its id. */
export function shiftPatternOf(worker: { id: string; shift?: string | null }): ShiftPatternId {
  if (worker.shift && worker.shift in SHIFT_PATTERNS) return worker.shift as ShiftPatternId;
  return SHIFT_PATTERN_IDS[hash32(worker.id) % SHIFT_PATTERN_IDS.length]!;
}

/** True when a worker on `pattern` is on shift at `now`. */
export function onDutyAt(pattern: ShiftPatternId, now: Date): boolean {
  const cst = new Date(now.getTime() + CST_OFFSET_MS);
  const hour = cst.getUTCHours();
  const weekday = cst.getUTCDay();
  const days = SHIFT_PATTERNS[pattern];
  if (hour >= DAY_SHIFT_START_HOUR && hour < NIGHT_SHIFT_START_HOUR) return days[weekday] === 'day';
  if (hour >= NIGHT_SHIFT_START_HOUR) return days[weekday] === 'night';
  // Before 08:00: the night that began yesterday evening.
  return days[(weekday + 6) % 7] === 'night';
}

/** Pure helpers of the community-life store (unit-tested). */
import type { CareIndicatorsOf } from '#common/care/indicators';
import type { Activity } from '#common/care/types';
import type { SuppressedCount } from '#common/population/types';

export type Count = SuppressedCount;
export interface ActivityView extends Activity {
  occurrences: { start: string; registered: number | null; attended: number | null }[];
}
export interface Occurrence {
  key: string;
  activityId: string;
  title: string;
  kind: Activity['kind'];
  venue: string;
  start: string;
  durationMinutes: number;
  registered: number | null;
  attended: number | null;
  capacity: number | null;
}

/** Every occurrence of the listed activities, in time order, at most `cap`. */
export function flattenOccurrences(list: readonly ActivityView[], cap = 500): Occurrence[] {
  const out: Occurrence[] = [];
  for (const a of list) {
    for (const o of a.occurrences) {
      out.push({ key: `${a.id}|${o.start}`, activityId: a.id, title: a.title, kind: a.kind, venue: a.venue.name, start: o.start, durationMinutes: a.durationMinutes, registered: o.registered, attended: o.attended, capacity: a.capacity });
    }
  }
  out.sort((x, y) => x.start.localeCompare(y.start) || x.title.localeCompare(y.title));
  return out.slice(0, cap);
}

/**
 * Isolation per grid for the map's choropleth by community: each grid gets its community's isolation rate in
 * percent (-1: no figure, e.g. a group under 5 on a wall).
 */
export function isolationByGrid(cells: readonly CareIndicatorsOf<Count>[]): Map<string, number> {
  const communities = new Map<string, number>();
  for (const c of cells) if (c.regionId.length === 12) communities.set(c.regionId, c.isolationRate === null ? -1 : Math.round(c.isolationRate * 1000) / 10);
  const out = new Map<string, number>();
  for (const c of cells) if (c.regionId.length === 15) out.set(c.regionId, communities.get(c.regionId.slice(0, 12)) ?? -1);
  return out;
}

/** Monday 00:00 CST of the week holding `ms`, and the Monday after. */
export function cstWeek(ms: number): { from: Date; to: Date } {
  const DAY = 86_400_000;
  const OFF = 8 * 3600_000;
  const day = Math.floor((ms + OFF) / DAY);
  const monday = day - ((day + 3) % 7);
  return { from: new Date(monday * DAY - OFF), to: new Date((monday + 7) * DAY - OFF) };
}

/** The days (CST) of a month grid for a calendar: Monday-start weeks covering the month of `ms`. */
export function monthGrid(ms: number): { date: string; inMonth: boolean }[] {
  const OFF = 8 * 3600_000;
  const d = new Date(ms + OFF);
  const first = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const lead = (new Date(first).getUTCDay() + 6) % 7;
  const days: { date: string; inMonth: boolean }[] = [];
  for (let i = -lead; days.length < 42; i++) {
    const t = new Date(first + i * 86_400_000);
    days.push({ date: t.toISOString().slice(0, 10), inMonth: t.getUTCMonth() === d.getUTCMonth() });
  }
  return days.length > 35 && !days[35]!.inMonth ? days.slice(0, 35) : days;
}

/** CST calendar date and time of an instant: ['2026-03-03', '07:00']. */
export function cstParts(iso: string): [string, string] {
  const s = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return [s.slice(0, 10), s.slice(11, 16)];
}

export const countLabel = (v: Count | null | undefined): string => (v === null || v === undefined ? '—' : String(v));
export const rateLabel = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(0)}%`);

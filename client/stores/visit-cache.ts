import type { VisitStatus } from '#common/care/tiers';
import type { CareResident } from '#common/care/types';
import { fieldDb } from './outbox-db';

export type ScheduleRow = VisitStatus & { resident: CareResident };

/**
 * The last visit schedule the phone saw, so the 探访 tab opens with no network. Kept in the field database's
 * `details` store (keyed apart from the task details by its prefix) rather than a store of its own, so the
 * database keeps its version; one copy per region asked for.
 */
const keyOf = (regionId: string) => `visits-schedule:${regionId}`;

export async function cachedSchedule(userId: string, regionId: string): Promise<{ rows: ScheduleRow[]; at: number } | null> {
  const hit = await (await fieldDb(userId)).get('details', keyOf(regionId));
  return hit ? { rows: hit.data as ScheduleRow[], at: hit.at } : null;
}

export async function keepSchedule(userId: string, regionId: string, rows: readonly ScheduleRow[]): Promise<void> {
  await (await fieldDb(userId)).put('details', { id: keyOf(regionId), data: JSON.parse(JSON.stringify(rows)) as unknown, at: Date.now() });
}

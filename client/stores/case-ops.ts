import { distanceM } from '#common/geo/crs';
import type { Incident } from '#common/incidents/types';
import { isOpen } from './incidents-reducer';

/** How far apart two reports of one happening can plausibly be for a dispatcher's manual merge. */
export const MERGE_PICK_RADIUS_M = 1000;

export interface MergeTarget {
  incident: Incident;
  distanceM: number;
  sameCategory: boolean;
}

/**
 * Open incidents the selected one could be merged into: within MERGE_PICK_RADIUS_M, the same category first,
 * then the nearest. The automatic merge (common/incidents/merge.ts) already took the obvious ones; what is
 * left for a person are near misses, so the list is short and ordered by how likely it is the same happening.
 */
export function mergeTargets(selected: Incident, open: readonly Incident[], limit = 8): MergeTarget[] {
  const out: MergeTarget[] = [];
  for (const i of open) {
    if (i.id === selected.id || !isOpen(i)) continue;
    const d = distanceM(selected.location, i.location);
    if (d <= MERGE_PICK_RADIUS_M) out.push({ incident: i, distanceM: d, sameCategory: i.category === selected.category });
  }
  out.sort((a, b) => Number(b.sameCategory) - Number(a.sameCategory) || a.distanceM - b.distanceM);
  return out.slice(0, limit);
}

/** `datetime-local` input value (the browser's local time) for an ISO instant, and back. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

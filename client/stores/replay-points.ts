import type { FeatureCollection, Point } from 'geojson';
import type { Incident } from '#common/incidents/types';
import { REPLAY_GROUP } from '#geo/style/layers-replay.ts';
import { SEVERITY_RANK, STATUS_GROUPS } from '#geo/style/palette.ts';
import { isOpen } from './incidents-reducer';

/**
 * The replay layer's data (geo/style/layers-replay.ts), pure: every place an incident stood during a day is one
 * point with a fixed numeric id (set once per day); a replayed instant is only the feature-state of those
 * points. An incident moved during the day (a report placed later) has a point per place and shows at the one
 * it had then.
 */
export interface ReplayPlaces {
  /** `placeKey` → feature id (1-based: MapLibre wants a positive id). */
  ids: Map<string, number>;
  collection: FeatureCollection<Point, { id: string }>;
}

/** The feature-state of one replay point: severity rank (0 = not open at the instant) and stage group. */
export interface ReplayPointState {
  sev: number;
  grp: number;
}

export const placeKey = (i: Pick<Incident, 'id' | 'location'>) => `${i.id}@${i.location.lng},${i.location.lat}`;

/** The points of a day from every version of its incidents (any order, repeats welcome). */
export function replayPlaces(incidents: Iterable<Incident>): ReplayPlaces {
  const ids = new Map<string, number>();
  const collection: ReplayPlaces['collection'] = { type: 'FeatureCollection', features: [] };
  for (const i of incidents) {
    const key = placeKey(i);
    if (ids.has(key)) continue;
    ids.set(key, ids.size + 1);
    collection.features.push({ type: 'Feature', id: ids.size, geometry: { type: 'Point', coordinates: [i.location.lng, i.location.lat] }, properties: { id: i.id } });
  }
  return { ids, collection };
}

/** Feature-states at an instant: the open incidents' points; `missing` counts open ones without a point. */
export function replayStates(open: readonly Incident[], places: ReplayPlaces): { states: Map<number, ReplayPointState>; missing: number } {
  const states = new Map<number, ReplayPointState>();
  let missing = 0;
  for (const i of open) {
    if (!isOpen(i)) continue;
    const id = places.ids.get(placeKey(i));
    if (id === undefined) {
      missing++;
      continue;
    }
    const group = STATUS_GROUPS[i.status];
    states.set(id, { sev: SEVERITY_RANK[i.severity], grp: group === 'review' ? REPLAY_GROUP.review : group === 'working' ? REPLAY_GROUP.working : REPLAY_GROUP.new });
  }
  return { states, missing };
}

/** The feature-state writes from one instant to the next (points no longer open → sev 0). */
export function replayStateChanges(prev: ReadonlyMap<number, ReplayPointState>, next: ReadonlyMap<number, ReplayPointState>): [number, ReplayPointState][] {
  const out: [number, ReplayPointState][] = [];
  for (const [id, s] of next) {
    const p = prev.get(id);
    if (!p || p.sev !== s.sev || p.grp !== s.grp) out.push([id, s]);
  }
  for (const id of prev.keys()) if (!next.has(id)) out.push([id, { sev: 0, grp: 0 }]);
  return out;
}

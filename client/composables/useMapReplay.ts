import type { Map as MapLibreMap } from 'maplibre-gl';
import { REPLAY_SOURCE } from '#geo/style/style.ts';
import { useIncidentsStore } from '../stores/incidents';
import { replayPlaces, replayStateChanges, replayStates, type ReplayPlaces, type ReplayPointState } from '../stores/replay-points';
import type { GeoJsonData } from './useMap';

/**
 * Day replay on the one map (useMapSync calls it): the day's places go to the replay source once per day, and
 * each seek only writes the feature-state of the points whose state changed (geo/style/layers-replay.ts). No
 * setData per seek means no worker re-clustering and re-tiling and no frames of the previous instant while the
 * worker works: on a machine drawing WebGL in software every map frame costs about 100 ms, so the seek must be
 * one frame.
 */
export function useMapReplay(setData: (id: string, data: GeoJsonData) => void) {
  const incidents = useIncidentsStore();
  let day: readonly unknown[] | null = null;
  let places: ReplayPlaces | null = null;
  let shown = new Map<number, ReplayPointState>();

  /** Show the replayed instant of the incidents store. */
  function apply(m: MapLibreMap): void {
    if (!places || incidents.replayDay !== day) {
      day = incidents.replayDay;
      places = replayPlaces(incidents.replayDay ?? []);
      setData(REPLAY_SOURCE, places.collection);
    }
    let next = replayStates(incidents.list, places);
    if (next.missing > 0) {
      // An open incident at a place the day did not list (a replay shown without its day): add its point.
      places = replayPlaces([...(incidents.replayDay ?? []), ...incidents.list]);
      setData(REPLAY_SOURCE, places.collection);
      next = replayStates(incidents.list, places);
    }
    for (const [id, s] of replayStateChanges(shown, next.states)) m.setFeatureState({ source: REPLAY_SOURCE, id }, { sev: s.sev, grp: s.grp });
    shown = next.states;
  }

  /** Back to live: the day's points and states are let go (a wall runs for weeks). */
  function clear(m: MapLibreMap | null): void {
    if (!places) return;
    day = null;
    places = null;
    shown = new Map();
    setData(REPLAY_SOURCE, { type: 'FeatureCollection', features: [] });
    m?.removeFeatureState({ source: REPLAY_SOURCE });
  }

  return { apply, clear };
}

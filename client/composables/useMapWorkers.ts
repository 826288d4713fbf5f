import type { GeoJSONSource, Map as MapLibreMap, MapLayerMouseEvent } from 'maplibre-gl';
import { onBeforeUnmount, watch, type Ref } from 'vue';
import { useWorkersStore } from '../stores/workers';

export const WORKER_SOURCE = 'workers';
export const WORKER_TRACK_SOURCE = 'worker-track';
export const WORKER_LAYERS = ['worker-track-line', 'worker-halo', 'worker-point', 'worker-label'] as const;

const PATROL = '#3ee08f';
const IDLE = '#55c7ff';
const STALE = '#7d8a99';

/**
 * The workers layer of the one map (dispatcher console): live positions from the workers store (green on
 * patrol, blue otherwise, grey and hollow when stale after 2 minutes) and the picked worker's track for a day.
 * Sources and layers are added to the existing map, under the incident layers, never a second map.
 */
export function useMapWorkers(map: Readonly<Ref<MapLibreMap | null>>, loaded: Readonly<Ref<boolean>>) {
  const workers = useWorkersStore();
  void workers.start();
  const stops: (() => void)[] = [];

  function install(m: MapLibreMap): void {
    if (m.getSource(WORKER_SOURCE)) return;
    const below = m.getLayer('incident-halo') ? 'incident-halo' : undefined;
    m.addSource(WORKER_SOURCE, { type: 'geojson', data: workers.collection });
    m.addSource(WORKER_TRACK_SOURCE, { type: 'geojson', data: workers.track });
    m.addLayer({ id: 'worker-track-line', type: 'line', source: WORKER_TRACK_SOURCE, paint: { 'line-color': '#ffd166', 'line-width': 3, 'line-opacity': 0.9 }, layout: { 'line-join': 'round', 'line-cap': 'round' } }, below);
    m.addLayer({
      id: 'worker-halo', type: 'circle', source: WORKER_SOURCE, filter: ['==', ['get', 'onPatrol'], true],
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 6, 16, 11], 'circle-color': PATROL, 'circle-opacity': ['case', ['get', 'stale'], 0, 0.22] },
    }, below);
    m.addLayer({
      id: 'worker-point', type: 'circle', source: WORKER_SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 3.5, 16, 6.5],
        'circle-color': ['case', ['get', 'stale'], '#0b1626', ['get', 'onPatrol'], PATROL, IDLE],
        'circle-stroke-color': ['case', ['get', 'stale'], STALE, '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'stale'], 1.6, 1.2],
      },
    }, below);
    m.addLayer({
      id: 'worker-label', type: 'symbol', source: WORKER_SOURCE, minzoom: 14.5,
      layout: { 'text-field': ['get', 'name'], 'text-font': ['sans-serif'], 'text-size': 11, 'text-offset': [0, 1.1], 'text-anchor': 'top', 'text-optional': true },
      paint: { 'text-color': ['case', ['get', 'stale'], STALE, '#d8f3ff'], 'text-halo-color': '#050c18', 'text-halo-width': 1.2 },
    }, below);
    m.on('click', 'worker-point', (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.properties?.id;
      if (typeof id === 'string') workers.select(id);
    });
    m.on('mouseenter', 'worker-point', () => (m.getCanvas().style.cursor = 'pointer'));
    m.on('mouseleave', 'worker-point', () => (m.getCanvas().style.cursor = ''));
  }

  const ready = () => (loaded.value ? map.value : null);
  stops.push(
    watch([loaded, () => workers.collection], () => {
      const m = ready();
      if (!m) return;
      install(m);
      m.getSource<GeoJSONSource>(WORKER_SOURCE)?.setData(workers.collection);
      const el = m.getContainer();
      el.dataset.workers = String(workers.collection.features.length);
      el.dataset.workersStale = String(workers.collection.features.filter((f) => f.properties.stale).length);
    }, { immediate: true }),
    watch([loaded, () => workers.track], () => {
      const m = ready();
      if (!m) return;
      install(m);
      m.getSource<GeoJSONSource>(WORKER_TRACK_SOURCE)?.setData(workers.track);
    }, { immediate: true }),
    watch([loaded, () => workers.visible], () => {
      const m = ready();
      if (!m) return;
      install(m);
      for (const id of WORKER_LAYERS) m.setLayoutProperty(id, 'visibility', workers.visible ? 'visible' : 'none');
    }, { immediate: true }),
  );

  onBeforeUnmount(() => {
    for (const s of stops) s();
    workers.stop();
  });
}

import type { Map as MapLibreMap, MapLayerMouseEvent, GeoJSONSource } from 'maplibre-gl';
import { onBeforeUnmount, watch, type Ref, type ShallowRef } from 'vue';
import { gridFillPaint } from '#geo/style/choropleth.ts';
import { TILE_LAYERS } from '#geo/style/contract.ts';
import { poiTextField } from '#geo/style/layers-points.ts';
import { LABEL_LAYERS, labelField, NO_SELECTION } from '#geo/style/layers-regions.ts';
import { BASE_LAYER, DISTRICT_FILL, districtFillOpacity, GEO_SOURCE, INCIDENT_SOURCE, layerVisibility, REPLAY_SOURCE } from '#geo/style/style.ts';
import { useIncidentsStore } from '../stores/incidents';
import { useMapStore } from '../stores/map';
import { countChanges, incidentCollection, openByGrid } from '../stores/map-reducer';
import { usePopulationStore } from '../stores/population';
import { gridStates } from '../stores/population-reducer';
import type { GeoJsonData } from './useMap';
import { useMapBase } from './useMapBase';
import { useMapCare } from './useMapCare';
import { useMapReplay } from './useMapReplay';

/** Name of the performance measure around each incidents setData (read by the map-apply benchmark). */
export const MEASURE_INCIDENTS = 'gridops:map-incidents';
/**
 * Replay: a mark at the map's first frame drawn with a seek's points loaded and its grid counts set (read by the
 * replay-scrub benchmark: the seek is on screen once the browser has painted that frame).
 */
export const MARK_REPLAY_DRAWN = 'gridops:replay-drawn';
/** At most this often the incident layer is re-sent to the map's worker. */
const INCIDENT_INTERVAL_MS = 250;

/**
 * Applies the map store and the live incidents to the one map, in place: layer visibility, choropleth paint,
 * label language, the selected outline, incident points (at most one setData per 250 ms live; in replay the
 * day's points restyled by feature-state, useMapReplay) and the per-grid open counts as feature-state; adds a PMTiles base map when one is configured (useMapBase). Also binds hover (feature-state) and clicks (grid → panel, cluster → zoom in).
 */
export function useMapSync(
  map: ShallowRef<MapLibreMap | null>,
  loaded: ShallowRef<boolean>,
  setData: (id: string, data: GeoJsonData) => void,
  locale: Ref<string>,
  /** Called with the id of a clicked incident point (the console); without it a click picks the grid. */
  onIncident?: (id: string) => void,
  /** Takes a click first while the console places a parked report (useMapPick); true when it did. */
  pick?: (p: { lng: number; lat: number }) => boolean,
) {
  const store = useMapStore();
  const incidents = useIncidentsStore();
  useMapBase(map, loaded);
  useMapCare(map, loaded);
  const replay = useMapReplay(setData);
  const ready = () => (loaded.value ? map.value : null);
  const stops: (() => void)[] = [];
  const on = <T>(source: () => T, apply: (m: MapLibreMap, v: T) => void) =>
    stops.push(watch([source, loaded], ([v]) => {
      const m = ready();
      if (m) apply(m, v as T);
    }, { immediate: true }));

  // In replay the live incident layers give way to the replay layers (useMapReplay).
  // (A boolean source of its own, so that a seek, which replaces the replayed list, does not run this again.)
  stops.push(watch([() => store.ui.layers, () => incidents.replay !== null, loaded], ([layers, replaying]) => {
    const m = ready();
    if (!m) return;
    for (const [id, shown] of layerVisibility(layers, replaying)) if (m.getLayer(id)) m.setLayoutProperty(id, 'visibility', shown ? 'visible' : 'none');
    // The district's dark ground lets a shown base map through.
    if (m.getLayer(BASE_LAYER)) m.setPaintProperty(DISTRICT_FILL, 'fill-opacity', districtFillOpacity(layers.base));
  }, { immediate: true }));
  on(() => store.ui.metric, (m, metric) => {
    const paint = gridFillPaint(metric);
    m.setPaintProperty('grid-fill', 'fill-color', paint['fill-color']);
    m.setPaintProperty('grid-fill', 'fill-opacity', paint['fill-opacity']);
  });
  on(() => locale.value, (m, loc) => {
    for (const [id, kind] of Object.entries(LABEL_LAYERS)) m.setLayoutProperty(id, 'text-field', labelField(kind, loc === 'en'));
    m.setLayoutProperty('poi-icon', 'text-field', poiTextField(loc === 'en'));
  });
  on(() => store.ui.selectedId, (m, id) => {
    for (const layer of ['selected-glow', 'selected-line']) m.setFilter(layer, ['==', ['get', 'id'], id ?? NO_SELECTION]);
  });
  on(() => store.selectedIncidentId, (m, id) => {
    if (m.getLayer('incident-selected')) m.setFilter('incident-selected', ['==', ['get', 'id'], id ?? '']);
  });
  on(() => store.flight, (m, f) => {
    // Room for the breadcrumbs above and the panel on the right: the framed region's centre sits 30 px below
    // the map's middle, and 160 px left of it while a panel is open.
    const right = store.ui.selectedId ? 360 : 40;
    if (f) m.fitBounds(f.bbox, { padding: { top: 100, bottom: 40, left: 40, right }, maxZoom: 17.2, duration: 900 });
  });

  // Incidents: bursts coalesced into one setData at most every INCIDENT_INTERVAL_MS (the first change after a
  // quiet spell goes out on the next frame). Every setData makes the worker re-index the source, and a map that
  // re-indexes continuously never reaches `idle`. Open counts per grid go to feature-state.
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | 0 = 0;
  let lastFlush = -Infinity;
  let counts = new Map<string, number>();
  function applyCounts(m: MapLibreMap, next: Map<string, number>): void {
    for (const [id, open] of countChanges(counts, next)) m.setFeatureState({ source: GEO_SOURCE, sourceLayer: TILE_LAYERS.regions, id }, { open });
    counts = next;
  }
  // Replay: a seek's points (feature-state of the replay layer) and its grid counts go to the map in the same
  // tick, so the next frame draws the whole instant; `drawnDue` marks that frame (MARK_REPLAY_DRAWN).
  let drawnDue = false;
  function flush(): void {
    frame = 0;
    lastFlush = performance.now();
    performance.mark(`${MEASURE_INCIDENTS}:start`);
    const m = ready();
    if (incidents.replay !== null) {
      // Not loaded yet: the watch below runs again once it is.
      if (m) {
        replay.apply(m);
        applyCounts(m, openByGrid(incidents.list));
        drawnDue = true;
        m.triggerRepaint();
      }
    } else {
      replay.clear(m);
      setData(INCIDENT_SOURCE, incidentCollection(incidents.list));
      if (m) applyCounts(m, openByGrid(incidents.list));
    }
    // Only the latest measure is kept: a wall runs for weeks and the timeline would grow without end.
    performance.clearMeasures(MEASURE_INCIDENTS);
    performance.measure(MEASURE_INCIDENTS, `${MEASURE_INCIDENTS}:start`);
    performance.clearMarks(`${MEASURE_INCIDENTS}:start`);
  }
  function schedule(): void {
    if (frame || timer) return;
    const wait = lastFlush + INCIDENT_INTERVAL_MS - performance.now();
    if (wait <= 0) frame = requestAnimationFrame(flush);
    else timer = setTimeout(() => ((timer = 0), (frame = requestAnimationFrame(flush))), wait);
  }
  // Replay (and the step back to live): a seek is one instant a person chose, not a burst, so it skips the
  // throttle and goes out at once, in this very tick; while the slider is dragged, further seeks in the same
  // frame are coalesced into one update on the next frame. `painted` is the frame of the last immediate flush.
  let painted = 0;
  let wasReplay = false;
  function scheduleReplay(): void {
    if (timer) clearTimeout(timer);
    timer = 0;
    if (frame) return;
    if (painted) {
      frame = requestAnimationFrame(flush);
      return;
    }
    flush();
    painted = requestAnimationFrame(() => (painted = 0));
  }
  // In replay the shown instant is what changes (live pushes still arrive underneath and must not re-send it).
  stops.push(watch([() => incidents.replay ?? incidents.version, loaded], () => {
    const replaying = incidents.replay !== null;
    const jump = replaying || wasReplay;
    wasReplay = replaying;
    if (jump && ready()) scheduleReplay();
    else schedule();
  }, { immediate: true }));
  stops.push(() => {
    cancelAnimationFrame(frame);
    cancelAnimationFrame(painted);
    if (timer) clearTimeout(timer);
  });

  // Population: 65+ share and elderly living alone per grid as feature-state (the aging65 / livingAlone metrics).
  const population = usePopulationStore();
  let popGrids = new Set<string>();
  on(() => population.layer, (m, layer) => {
    const next = gridStates(layer);
    const target = (id: string) => ({ source: GEO_SOURCE, sourceLayer: TILE_LAYERS.regions, id });
    for (const [id, s] of next) m.setFeatureState(target(id), { aging65: s.aging65, livingAlone: s.livingAlone });
    for (const id of popGrids) if (!next.has(id)) m.setFeatureState(target(id), { aging65: -1, livingAlone: -1 });
    popGrids = new Set(next.keys());
  });
  stops.push(watch(() => store.ui.metric, (metric) => {
    if (metric === 'aging65' || metric === 'livingAlone') population.ensureLayer();
  }, { immediate: true }));

  // Pointer: hover highlight and clicks, bound once when the map exists.
  let hovered: string | number | null = null;
  const setHover = (m: MapLibreMap, id: string | number | null) => {
    if (hovered !== null) m.setFeatureState({ source: GEO_SOURCE, sourceLayer: TILE_LAYERS.regions, id: hovered }, { hover: false });
    hovered = id;
    if (id !== null) m.setFeatureState({ source: GEO_SOURCE, sourceLayer: TILE_LAYERS.regions, id }, { hover: true });
    m.getCanvas().style.cursor = id === null ? '' : 'pointer';
  };
  stops.push(watch(map, (m) => {
    if (!m) return;
    m.on('render', () => {
      // The first frame of a day waits for its points' tiles; every later seek is drawn by the next frame.
      if (!drawnDue || !m.isSourceLoaded(REPLAY_SOURCE)) return;
      drawnDue = false;
      performance.clearMarks(MARK_REPLAY_DRAWN);
      performance.mark(MARK_REPLAY_DRAWN);
    });
    m.on('mousemove', 'grid-fill', (e: MapLayerMouseEvent) => {
      const id = e.features?.[0]?.id ?? null;
      if (id !== hovered) setHover(m, id);
    });
    m.on('mouseleave', 'grid-fill', () => setHover(m, null));
    m.on('click', (e) => {
      if (pick?.({ lng: e.lngLat.lng, lat: e.lngLat.lat })) return;
      const cluster = m.getLayer('incident-cluster') ? m.queryRenderedFeatures(e.point, { layers: ['incident-cluster'] })[0] : undefined;
      if (cluster) {
        const src = m.getSource<GeoJSONSource>(INCIDENT_SOURCE);
        void src?.getClusterExpansionZoom(cluster.properties.cluster_id as number).then((zoom) => {
          m.easeTo({ center: e.lngLat, zoom: zoom + 0.3 });
        });
        return;
      }
      // A grid worker's marker opens their card (useMapWorkers), not the grid under it.
      if (m.getLayer('worker-point') && m.queryRenderedFeatures(e.point, { layers: ['worker-point'] }).length) return;
      // A point picks its incident (the console's selection); the wall has no drawer and ignores it.
      const point = m.getLayer('incident-point') ? m.queryRenderedFeatures(e.point, { layers: ['incident-point'] })[0] : undefined;
      if (point && onIncident) {
        onIncident(String(point.properties.id));
        return;
      }
      const grid = m.queryRenderedFeatures(e.point, { layers: ['grid-fill'] })[0];
      void store.select(grid ? String(grid.properties.id) : null);
    });
  }, { immediate: true }));

  onBeforeUnmount(() => {
    for (const s of stops) s();
  });
}

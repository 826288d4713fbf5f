import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ChoroplethMetric } from '#geo/style/choropleth.ts';
import type { MapConfig, RegionFacts } from '#geo/style/contract.ts';
import type { BaseKind, LayerGroup } from '#geo/style/style.ts';
import { api } from '../api/http';
import { useConnectionStore } from './connection';
import * as R from './map-reducer';

const FACTS_CACHE = 300;

/**
 * Map UI state: the region followed (breadcrumbs), the region picked (panel), the choropleth metric and the
 * layer switches; plus the facts of regions fetched from the server. The map composables read it and apply
 * it to the one MapLibre instance in place.
 */
export const useMapStore = defineStore('map', () => {
  const ui = shallowRef<R.MapUi>(R.initialMapUi());
  const config = shallowRef<MapConfig | null>(null);
  const focusFacts = shallowRef<RegionFacts | null>(null);
  const selectedFacts = shallowRef<RegionFacts | null>(null);
  /** A request to frame a bbox; `n` changes on every request so the same bbox can be asked twice. */
  const flight = shallowRef<{ bbox: RegionFacts['bbox']; n: number } | null>(null);
  const error = ref<string | null>(null);
  /** The incident picked on the map or in the console's queue: one selection for both. */
  const selectedIncidentId = ref<string | null>(null);
  const cache = new Map<string, RegionFacts>();
  let flights = 0;

  /** A PMTiles base map the client could draw (a raster archive), set by useMapBase once it has read the header. */
  const pmtilesDrawn = ref(false);
  /** The base map the client draws, if any: an XYZ one at once, a PMTiles one once known to be raster. */
  const baseKind = computed<BaseKind | null>(() => {
    const type = config.value?.base?.type;
    return type === 'xyz' || (type === 'pmtiles' && pmtilesDrawn.value) ? type : null;
  });

  async function loadConfig(): Promise<MapConfig> {
    if (config.value) return config.value;
    const cfg = await api<MapConfig>('/api/geo/map-config');
    // A base map the deployment configured is shown (the wall never clicks); without one there is none at all.
    if (!config.value && cfg.base) ui.value = R.toggleLayer(ui.value, 'base', true);
    config.value ??= cfg;
    return config.value;
  }

  async function factsOf(id: string): Promise<RegionFacts> {
    const hit = cache.get(id);
    if (hit) return hit;
    const f = await api<RegionFacts>(`/api/geo/grids/${encodeURIComponent(id)}`);
    cache.set(id, f);
    if (cache.size > FACTS_CACHE) cache.delete(cache.keys().next().value!);
    return f;
  }

  /** Follow a region: breadcrumbs, fly there, and have the feed and KPIs follow it. A grid also opens its panel. */
  async function focus(id: string, opts: { fly?: boolean; follow?: boolean } = {}): Promise<void> {
    ui.value = { ...ui.value, focusId: id };
    try {
      const f = await factsOf(id);
      if (ui.value.focusId !== id) return;
      focusFacts.value = f;
      await select(f.level === 'grid' ? id : null);
      if (opts.fly !== false) flight.value = { bbox: f.bbox, n: ++flights };
      if (opts.follow !== false) await useConnectionStore().switchRegion(id);
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  /** Open (or close, with null) the panel of a region. */
  async function select(id: string | null): Promise<void> {
    ui.value = { ...ui.value, selectedId: id };
    if (!id) {
      selectedFacts.value = null;
      return;
    }
    try {
      const f = await factsOf(id);
      if (ui.value.selectedId === id) selectedFacts.value = f;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  /** Pick an incident (null: none); with a location the map flies to it. */
  function selectIncident(id: string | null, at?: { lng: number; lat: number }): void {
    selectedIncidentId.value = id;
    const d = 0.0015;
    if (id && at) flight.value = { bbox: [at.lng - d, at.lat - d, at.lng + d, at.lat + d], n: ++flights };
  }

  function toggleLayer(group: LayerGroup, on?: boolean): void {
    ui.value = R.toggleLayer(ui.value, group, on);
  }

  function setMetric(metric: ChoroplethMetric | null): void {
    ui.value = R.setMetric(ui.value, metric);
  }

  return { ui, config, selectedIncidentId, selectIncident, baseKind, pmtilesDrawn, focusFacts, selectedFacts, flight, error, loadConfig, factsOf, focus, select, toggleLayer, setMetric };
});

import type { Map as MapLibreMap } from 'maplibre-gl';
import { onBeforeUnmount, watch, type ShallowRef } from 'vue';
import { TILE_LAYERS } from '#geo/style/contract.ts';
import { GEO_SOURCE } from '#geo/style/style.ts';
import { useCareStore } from '../stores/care';
import { useMapStore } from '../stores/map';

/** The isolation choropleth (by community) as feature-state on the one map; the care store loads when it is shown. */
export function useMapCare(map: ShallowRef<MapLibreMap | null>, loaded: ShallowRef<boolean>): void {
  const care = useCareStore();
  const store = useMapStore();
  let shown = new Set<string>();
  const stops = [
    watch([() => care.isolation, loaded], ([states]) => {
      const m = loaded.value ? map.value : null;
      if (!m) return;
      const target = (id: string) => ({ source: GEO_SOURCE, sourceLayer: TILE_LAYERS.regions, id });
      for (const [id, v] of states) m.setFeatureState(target(id), { isolation: v });
      for (const id of shown) if (!states.has(id)) m.setFeatureState(target(id), { isolation: -1 });
      shown = new Set(states.keys());
    }, { immediate: true }),
    watch(() => store.ui.metric, (metric) => {
      if (metric === 'isolation') care.start();
    }, { immediate: true }),
  ];
  onBeforeUnmount(() => stops.forEach((s) => s()));
}

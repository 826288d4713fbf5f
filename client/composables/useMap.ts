import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection } from 'geojson';
import { onBeforeUnmount, onMounted, shallowRef, type Ref } from 'vue';
import { buildStyle } from '#geo/style/style.ts';

maplibregl.setWorkerUrl(workerUrl);

export type GeoJsonData = FeatureCollection;

/**
 * Owns one MapLibre map for the life of the component: created once on mount, updated in place through
 * `setData`, removed on unmount. Also records on the container how many incident points and grids are
 * actually rendered after each idle, which the end-to-end tests read.
 */
export function useMap(container: Ref<HTMLElement | null>, opts: { center: [number, number]; zoom: number }) {
  const map = shallowRef<maplibregl.Map | null>(null);
  const loaded = shallowRef(false);
  const pending = new Map<string, GeoJsonData>();

  function setData(sourceId: string, data: GeoJsonData): void {
    const src = loaded.value ? map.value?.getSource<maplibregl.GeoJSONSource>(sourceId) : undefined;
    if (src) src.setData(data);
    else pending.set(sourceId, data);
  }

  onMounted(() => {
    if (!container.value) return;
    const m = new maplibregl.Map({
      container: container.value,
      style: buildStyle() as maplibregl.StyleSpecification,
      center: opts.center,
      zoom: opts.zoom,
      attributionControl: false,
      // CJK labels from local fonts: no glyph server.
      localIdeographFontFamily: '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif',
      fadeDuration: 0,
    });
    m.on('load', () => {
      loaded.value = true;
      for (const [id, data] of pending) m.getSource<maplibregl.GeoJSONSource>(id)?.setData(data);
      pending.clear();
    });
    m.on('idle', () => {
      const el = container.value;
      if (!el) return;
      el.dataset.renderedIncidents = String(m.queryRenderedFeatures({ layers: ['incident-point'] }).length);
      el.dataset.renderedGrids = String(m.queryRenderedFeatures({ layers: ['grid-fill'] }).length);
      el.dataset.mapState = 'idle';
    });
    map.value = m;
  });

  onBeforeUnmount(() => {
    map.value?.remove();
    map.value = null;
    loaded.value = false;
  });

  return { map, loaded, setData };
}

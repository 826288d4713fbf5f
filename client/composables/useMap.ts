import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection } from 'geojson';
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import type { MapConfig } from '#geo/style/contract.ts';
import { BASE_LAYER, buildStyle, type StyleOptions } from '#geo/style/style.ts';
import { addMapIcons } from './useMapIcons';

maplibregl.setWorkerUrl(workerUrl);

export type GeoJsonData = FeatureCollection;

export const LOCAL_FONTS = '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export interface UseMapOptions {
  /** The server's map configuration; the map is created once it is there. */
  config: Ref<MapConfig | null>;
  /** Bearer token for our own tile requests. */
  token: () => string | null;
  /** Initial layers / metric / locale; later changes are applied in place by useMapSync. */
  initial: () => Omit<StyleOptions, 'tiles' | 'base'>;
}

/**
 * Owns one MapLibre map for the life of the component: created once (when the container and the map config
 * are both there), updated in place, removed on unmount. Records on the container how many incident points and
 * grids are rendered after each idle, its centre and zoom (so a test can click a known place), which base map is shown (`data-base-layer`: xyz | pmtiles) and whether the
 * map is moving, which the end-to-end tests read.
 */
export function useMap(container: Ref<HTMLElement | null>, opts: UseMapOptions) {
  const map = shallowRef<maplibregl.Map | null>(null);
  const loaded = shallowRef(false);
  const pending = new Map<string, GeoJsonData>();

  function setData(sourceId: string, data: GeoJsonData): void {
    const src = loaded.value ? map.value?.getSource<maplibregl.GeoJSONSource>(sourceId) : undefined;
    if (src) src.setData(data);
    else pending.set(sourceId, data);
  }

  function countRendered(m: maplibregl.Map, layer: string): number {
    if (!m.getLayer(layer)) return 0;
    const ids = new Set<string | number>();
    for (const f of m.queryRenderedFeatures({ layers: [layer] })) ids.add(f.id ?? `${f.properties.id ?? ids.size}`);
    return ids.size;
  }

  function create(el: HTMLElement, cfg: MapConfig): void {
    const origin = window.location.origin;
    const m = new maplibregl.Map({
      container: el,
      style: buildStyle({ tiles: `${origin}${cfg.tiles}`, base: cfg.base, ...opts.initial() }) as maplibregl.StyleSpecification,
      bounds: cfg.bounds,
      fitBoundsOptions: { padding: 24 },
      maxZoom: 19,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      // CJK labels from local fonts: no glyph server.
      localIdeographFontFamily: LOCAL_FONTS,
      fadeDuration: 0,
      // Our own tiles need the session's token; anything else (an intranet base layer) goes as it is.
      transformRequest: (url) => {
        const token = opts.token();
        return url.startsWith(`${origin}/api/`) && token ? { url, headers: { Authorization: `Bearer ${token}` } } : { url };
      },
    });
    m.on('load', () => {
      addMapIcons(m);
      loaded.value = true;
      for (const [id, data] of pending) m.getSource<maplibregl.GeoJSONSource>(id)?.setData(data);
      pending.clear();
    });
    m.on('movestart', () => (el.dataset.mapState = 'moving'));
    m.on('idle', () => {
      el.dataset.renderedIncidents = String(countRendered(m, 'incident-point'));
      el.dataset.renderedGrids = String(countRendered(m, 'grid-fill'));
      el.dataset.mapZoom = m.getZoom().toFixed(4);
      const c = m.getCenter();
      el.dataset.mapCenter = `${c.lng.toFixed(7)},${c.lat.toFixed(7)}`;
      const base = m.getLayer(BASE_LAYER);
      const baseKind = (base?.metadata as { 'gridops:base'?: string } | undefined)?.['gridops:base'];
      if (baseKind && m.getLayoutProperty(BASE_LAYER, 'visibility') !== 'none') el.dataset.baseLayer = baseKind;
      else delete el.dataset.baseLayer;
      el.dataset.mapState = 'idle';
    });
    map.value = m;
  }

  const stop = watch(
    [container, opts.config],
    ([el, cfg]) => {
      if (el && cfg && !map.value) create(el, cfg);
    },
    { immediate: true },
  );

  onBeforeUnmount(() => {
    stop();
    map.value?.remove();
    map.value = null;
    loaded.value = false;
  });

  return { map, loaded, setData };
}

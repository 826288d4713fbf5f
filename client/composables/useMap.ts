import * as maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { FeatureCollection } from 'geojson';
import { onBeforeUnmount, shallowRef, watch, type Ref } from 'vue';
import type { MapConfig } from '#geo/style/contract.ts';
import { BASE_LAYER, buildStyle, type StyleOptions } from '#geo/style/style.ts';
import { scaleMapSize } from '../wall/scale';
import { addMapIcons } from './useMapIcons';
import { useWallScale } from './useWallScale';

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
/** Layer properties that are pixel sizes: multiplied by the wall's text scale so a 4K wall's labels and points grow. */
const SIZED = { layout: ['text-size', 'icon-size'], paint: ['circle-radius', 'circle-stroke-width', 'text-halo-width'] } as const;

type SizedValue = { layer: string; kind: 'layout' | 'paint'; prop: string; value: unknown };

/** The sized properties of a style as built (at 1080p size), to be scaled from. */
function sizedValues(style: { layers: readonly unknown[] }): SizedValue[] {
  const out: SizedValue[] = [];
  for (const l of style.layers as { id: string; layout?: Record<string, unknown>; paint?: Record<string, unknown> }[]) {
    for (const kind of ['layout', 'paint'] as const) {
      for (const prop of SIZED[kind]) {
        const value = l[kind]?.[prop];
        if (value !== undefined) out.push({ layer: l.id, kind, prop, value });
      }
    }
  }
  return out;
}

export function useMap(container: Ref<HTMLElement | null>, opts: UseMapOptions) {
  const map = shallowRef<maplibregl.Map | null>(null);
  const scale = useWallScale().text;
  let sized: SizedValue[] = [];

  function applyScale(m: maplibregl.Map, el: HTMLElement, s: number): void {
    for (const v of sized) {
      if (!m.getLayer(v.layer)) continue;
      const value = scaleMapSize(v.value, s) as never;
      if (v.kind === 'layout') m.setLayoutProperty(v.layer, v.prop as never, value);
      else m.setPaintProperty(v.layer, v.prop as never, value);
    }
    el.dataset.textScale = String(s);
  }
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

  /** Incident points drawn: the live layer's, or in replay the replay layer's points open at the instant. */
  function countIncidents(m: maplibregl.Map): number {
    if (!m.getLayer('replay-point') || m.getLayoutProperty('replay-point', 'visibility') !== 'visible') return countRendered(m, 'incident-point');
    const ids = new Set<string | number>();
    for (const f of m.queryRenderedFeatures({ layers: ['replay-point'] })) if (Number((f.state as { sev?: number }).sev) > 0) ids.add(f.id!);
    return ids.size;
  }

  function create(el: HTMLElement, cfg: MapConfig): void {
    const origin = window.location.origin;
    const style = buildStyle({ tiles: `${origin}${cfg.tiles}`, base: cfg.base, ...opts.initial() });
    sized = sizedValues(style);
    const m = new maplibregl.Map({
      container: el,
      style: style as maplibregl.StyleSpecification,
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
      applyScale(m, el, scale.value);
      loaded.value = true;
      for (const [id, data] of pending) m.getSource<maplibregl.GeoJSONSource>(id)?.setData(data);
      pending.clear();
    });
    m.on('movestart', () => (el.dataset.mapState = 'moving'));
    m.on('idle', () => {
      el.dataset.renderedIncidents = String(countIncidents(m));
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

  const stopScale = watch(scale, (s) => {
    if (map.value && loaded.value && container.value) applyScale(map.value, container.value, s);
  });

  onBeforeUnmount(() => {
    stop();
    stopScale();
    map.value?.remove();
    map.value = null;
    loaded.value = false;
  });

  return { map, loaded, setData };
}

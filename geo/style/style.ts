import type { LayerSpecification, SourceSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec';
import { TILE_LAYERS, TILE_MAX_ZOOM, type MapConfig } from './contract.ts';
import type { ChoroplethMetric } from './choropleth.ts';
import { CLUSTER_MAX_ZOOM, INCIDENT_SOURCE, incidentLayers, poiLayers } from './layers-points.ts';
import { DISTRICT_FILL, districtFillOpacity, GEO_SOURCE, regionLayers } from './layers-regions.ts';
import { REPLAY_LAYERS, REPLAY_SOURCE, replayLayers } from './layers-replay.ts';
import { PALETTE } from './palette.ts';

export { SEVERITY_COLORS } from './palette.ts';
export { DISTRICT_FILL, districtFillOpacity, GEO_SOURCE, INCIDENT_SOURCE, REPLAY_SOURCE };

/** Source and layer of the optional base map (either kind); the layer sits right above the background. */
export const BASE_SOURCE = 'base';
export const BASE_LAYER = 'base-raster';
export type BaseKind = NonNullable<MapConfig['base']>['type'];

/** Toggleable groups of layers (the layer switcher), and the layers in each. */
export const LAYER_GROUPS = {
  base: [BASE_LAYER],
  roads: ['road-casing', 'road-line', 'road-label'],
  buildings: ['building-fill'],
  grids: ['grid-fill', 'grid-line', 'grid-label'],
  pois: ['poi-icon'],
  incidents: ['incident-halo', 'incident-cluster', 'incident-cluster-count', 'incident-selected', 'incident-point'],
  heatmap: ['incident-heat'],
} as const;
export type LayerGroup = keyof typeof LAYER_GROUPS;
export type LayerVisibility = Record<LayerGroup, boolean>;

/**
 * Whether each toggleable layer shows, given the layer switch and whether a replayed instant is on screen: the
 * live incident layers give way to the replay layers (layers-replay.ts), which follow the same switches.
 */
export function layerVisibility(layers: LayerVisibility, replaying: boolean): [string, boolean][] {
  const live = new Set<string>([...LAYER_GROUPS.incidents, ...LAYER_GROUPS.heatmap]);
  const out: [string, boolean][] = [];
  for (const [group, ids] of Object.entries(LAYER_GROUPS) as [LayerGroup, readonly string[]][]) {
    for (const id of ids) out.push([id, layers[group] && !(replaying && live.has(id))]);
  }
  for (const [id, group] of Object.entries(REPLAY_LAYERS)) out.push([id, layers[group] && replaying]);
  return out;
}
/** `base` is off here (no base configured); the map store switches it on when the deployment configured one. */
export const DEFAULT_LAYERS: LayerVisibility = { base: false, roads: true, buildings: true, grids: true, pois: true, incidents: true, heatmap: false };

export interface StyleOptions {
  /** Absolute vector-tile URL template (MapLibre needs absolute tile URLs). */
  tiles: string;
  base?: MapConfig['base'];
  layers?: Partial<LayerVisibility>;
  metric?: ChoroplethMetric | null;
  locale?: string;
}

const emptyCollection = { type: 'FeatureCollection' as const, features: [] };

/**
 * The offline command-center style: a dark ground and our own vector tiles. No `glyphs` and no `sprite`:
 * labels draw from the browser's local fonts (CJK via localIdeographFontFamily), icons are made in the client
 * (`poi-*`, `inc-*`), so nothing is fetched from anywhere but our own server. An optional base layer (an
 * intranet XYZ server) sits under everything, off unless configured and switched on.
 */
export function buildStyle(opts: StyleOptions): StyleSpecification {
  const visible = { ...DEFAULT_LAYERS, ...opts.layers };
  const en = opts.locale === 'en';
  const sources: Record<string, SourceSpecification> = {
    [GEO_SOURCE]: {
      type: 'vector',
      tiles: [opts.tiles],
      minzoom: 0,
      maxzoom: TILE_MAX_ZOOM,
      promoteId: { [TILE_LAYERS.regions]: 'id', [TILE_LAYERS.labels]: 'id' },
    },
    [INCIDENT_SOURCE]: {
      type: 'geojson',
      data: emptyCollection,
      cluster: true,
      clusterRadius: 44,
      clusterMaxZoom: CLUSTER_MAX_ZOOM,
      // Clusters carry the summed heat weight and their worst severity.
      clusterProperties: { w: ['+', ['get', 'w']], sev: ['max', ['get', 'sev']] },
    },
    [REPLAY_SOURCE]: { type: 'geojson', data: emptyCollection },
  };
  const layers: LayerSpecification[] = [{ id: 'background', type: 'background', paint: { 'background-color': PALETTE.background } }];
  if (opts.base?.type === 'xyz') {
    sources[BASE_SOURCE] = { type: 'raster', tiles: [opts.base.tiles], tileSize: 256, maxzoom: 19 };
    layers.push(baseRasterLayer('xyz'));
  }
  // A PMTiles base is added by the client once it has read the archive's header (raster or vector?): see useMapBase.
  const overBase = opts.base?.type === 'xyz' && visible.base;
  layers.push(...regionLayers({ metric: opts.metric ?? null, en, overBase }), ...poiLayers(en), ...incidentLayers(), ...replayLayers());
  for (const layer of layers) {
    const group = groupOf(layer.id);
    if (group && layer.type !== 'background') layer.layout = { ...layer.layout, visibility: visible[group] ? 'visible' : 'none' } as never;
  }
  return { version: 8, name: 'GridOps command center (dark, offline)', sources, layers };
}

/**
 * The base raster layer, dimmed and desaturated so our own layers stay readable over it. Its kind is kept in
 * the layer's metadata (`gridops:base`), which the map reports on its container for the tests.
 */
export function baseRasterLayer(kind: BaseKind, visible = true): LayerSpecification {
  return {
    id: BASE_LAYER, type: 'raster', source: BASE_SOURCE, metadata: { 'gridops:base': kind },
    layout: { visibility: visible ? 'visible' : 'none' },
    paint: { 'raster-opacity': 0.45, 'raster-saturation': -0.7, 'raster-brightness-max': 0.55, 'raster-contrast': 0.1 },
  };
}

/** The toggle group a layer belongs to, if any. */
export function groupOf(layerId: string): LayerGroup | null {
  for (const [group, ids] of Object.entries(LAYER_GROUPS) as [LayerGroup, readonly string[]][]) if (ids.includes(layerId)) return group;
  return null;
}

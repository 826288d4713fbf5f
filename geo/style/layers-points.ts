import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { TILE_LAYERS } from './contract.ts';
import { GEO_SOURCE } from './layers-regions.ts';
import { PALETTE, SEVERITY_COLORS } from './palette.ts';

export const INCIDENT_SOURCE = 'incidents';
/** Incidents cluster up to this zoom; at the district's own zoom every point shows. */
export const CLUSTER_MAX_ZOOM = 12;

/** The heatmap's look apart from its weights: the live layer and the day replay's draw alike. */
export const HEATMAP_LOOK = {
  'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 16, 0.9],
  'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 10, 16, 14, 34, 16, 60],
  'heatmap-opacity': 0.8,
  'heatmap-color': [
    'interpolate', ['linear'], ['heatmap-density'],
    0, 'rgba(0,0,0,0)', 0.15, 'rgba(31,122,156,0.55)', 0.35, '#3fbfa8', 0.6, '#f2c14e', 0.8, '#f2784b', 1, '#ff3b5c',
  ],
} satisfies Record<string, ExpressionSpecification | number>;

const sevByRank: ExpressionSpecification = [
  'match', ['get', 'sev'],
  4, SEVERITY_COLORS.critical,
  3, SEVERITY_COLORS.high,
  2, SEVERITY_COLORS.medium,
  SEVERITY_COLORS.low,
];
const clustered: ExpressionSpecification = ['has', 'point_count'];

/** Names of the main facilities only (not every camera and hydrant), and only close in. */
export const poiTextField = (en: boolean): ExpressionSpecification => [
  'step', ['zoom'], '',
  16.5, ['match', ['get', 'kind'], ['camera', 'fire_hydrant', 'aed'], '', ['get', en ? 'nameEn' : 'name']],
];

/** Points of interest, drawn with icons the client makes at runtime (`poi-<kind>`). */
export function poiLayers(en: boolean): LayerSpecification[] {
  return [
    {
      id: 'poi-icon', type: 'symbol', source: GEO_SOURCE, 'source-layer': TILE_LAYERS.pois, minzoom: 14.5,
      // Cameras and hydrants are many: they join only close in.
      filter: ['any', ['>=', ['zoom'], 16], ['!', ['in', ['get', 'kind'], ['literal', ['camera', 'fire_hydrant', 'aed']]]]],
      layout: {
        'icon-image': ['concat', 'poi-', ['get', 'kind']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 14.5, 0.7, 18, 1],
        'icon-allow-overlap': false,
        'icon-padding': 1,
        'symbol-sort-key': ['match', ['get', 'kind'], 'community_service_centre', 0, 'clinic', 1, 'elderly_daycare', 1, 'school', 2, 5],
        'text-field': poiTextField(en),
        'text-font': ['sans-serif'],
        'text-size': 11,
        'text-offset': [0, 1.3],
        'text-anchor': 'top',
        'text-optional': true,
      },
      paint: { 'text-color': '#bfe6ff', 'text-halo-color': PALETTE.labelHalo, 'text-halo-width': 1.2 },
    },
  ];
}

/** Live incidents: a heatmap (off by default), clusters zoomed out, and points shaped by stage. */
export function incidentLayers(): LayerSpecification[] {
  return [
    {
      id: 'incident-heat', type: 'heatmap', source: INCIDENT_SOURCE, maxzoom: 18, layout: { visibility: 'none' },
      paint: {
        'heatmap-weight': ['to-number', ['get', 'w'], 1],
        ...HEATMAP_LOOK,
      },
    },
    {
      id: 'incident-halo', type: 'circle', source: INCIDENT_SOURCE,
      filter: ['all', ['!', clustered], ['>=', ['get', 'sev'], 3]],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 8, 14, 11, 17, 22],
        'circle-color': sevByRank,
        'circle-opacity': 0.22,
        'circle-blur': 0.7,
      },
    },
    {
      id: 'incident-cluster', type: 'circle', source: INCIDENT_SOURCE, filter: clustered,
      paint: {
        'circle-color': sevByRank,
        'circle-opacity': 0.85,
        'circle-radius': ['step', ['get', 'point_count'], 13, 10, 17, 50, 22, 200, 28],
        'circle-stroke-color': 'rgba(255,255,255,0.85)',
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'incident-cluster-count', type: 'symbol', source: INCIDENT_SOURCE, filter: clustered,
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': ['sans-serif'], 'text-size': 13, 'text-allow-overlap': true },
      paint: { 'text-color': '#06101f' },
    },
    {
      // The console's selected incident: a ring under its point (filter set by useMapSync; none by default).
      id: 'incident-selected', type: 'circle', source: INCIDENT_SOURCE, filter: ['==', ['get', 'id'], ''],
      paint: { 'circle-radius': 15, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#ffe45c', 'circle-stroke-width': 3 },
    },
    {
      id: 'incident-point', type: 'symbol', source: INCIDENT_SOURCE, filter: ['!', clustered],
      layout: {
        'icon-image': ['concat', 'inc-', ['get', 'severity'], '-', ['get', 'group']],
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.55, 14, 0.7, 17, 1.1],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
        'symbol-sort-key': ['-', 10, ['get', 'sev']],
      },
    },
  ];
}

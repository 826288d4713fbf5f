import type { StyleSpecification } from '@maplibre/maplibre-gl-style-spec';

/**
 * The offline command-center map style: a dark background and our own vector layers only. No `glyphs`
 * and no `sprite`: labels draw from the browser's local CJK fonts (localIdeographFontFamily), icons are
 * made in the client, so nothing is fetched from anywhere.
 */
export const SEVERITY_COLORS = { low: '#4fc3f7', medium: '#ffd54f', high: '#ff8a3d', critical: '#ff3b5c' } as const;

export const MAP_SOURCES = { regions: 'regions', incidents: 'incidents' } as const;

const emptyGeojson = { type: 'geojson' as const, data: { type: 'FeatureCollection' as const, features: [] } };

export function buildStyle(): StyleSpecification {
  return {
    version: 8,
    name: 'GridOps dark',
    sources: {
      [MAP_SOURCES.regions]: { ...emptyGeojson, promoteId: 'id' },
      [MAP_SOURCES.incidents]: { ...emptyGeojson, promoteId: 'id' },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#07111f' } },
      {
        id: 'grid-fill',
        type: 'fill',
        source: MAP_SOURCES.regions,
        filter: ['==', ['get', 'level'], 'grid'],
        paint: {
          'fill-color': '#0f3a5f',
          'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.75, 0.35],
        },
      },
      {
        id: 'grid-line',
        type: 'line',
        source: MAP_SOURCES.regions,
        filter: ['==', ['get', 'level'], 'grid'],
        paint: { 'line-color': '#2f86c8', 'line-width': 0.8, 'line-opacity': 0.7 },
      },
      {
        id: 'community-line',
        type: 'line',
        source: MAP_SOURCES.regions,
        filter: ['==', ['get', 'level'], 'community'],
        paint: { 'line-color': '#55c7ff', 'line-width': 1.8 },
      },
      {
        id: 'street-line',
        type: 'line',
        source: MAP_SOURCES.regions,
        filter: ['==', ['get', 'level'], 'street'],
        paint: { 'line-color': '#8fe3ff', 'line-width': 3, 'line-blur': 0.5 },
      },
      {
        id: 'grid-label',
        type: 'symbol',
        source: MAP_SOURCES.regions,
        filter: ['==', ['get', 'level'], 'grid'],
        minzoom: 14,
        layout: { 'text-field': ['get', 'name'], 'text-size': 12, 'text-font': ['sans-serif'] },
        paint: { 'text-color': '#9cc9ea', 'text-halo-color': '#07111f', 'text-halo-width': 1.2 },
      },
      {
        id: 'community-label',
        type: 'symbol',
        source: MAP_SOURCES.regions,
        filter: ['==', ['get', 'level'], 'community'],
        maxzoom: 14,
        layout: { 'text-field': ['get', 'name'], 'text-size': 14, 'text-font': ['sans-serif'] },
        paint: { 'text-color': '#d6f1ff', 'text-halo-color': '#07111f', 'text-halo-width': 1.5 },
      },
      {
        id: 'incident-halo',
        type: 'circle',
        source: MAP_SOURCES.incidents,
        filter: ['in', ['get', 'severity'], ['literal', ['high', 'critical']]],
        paint: {
          'circle-radius': 14,
          'circle-color': ['match', ['get', 'severity'], 'critical', SEVERITY_COLORS.critical, SEVERITY_COLORS.high],
          'circle-opacity': 0.25,
          'circle-blur': 0.6,
        },
      },
      {
        id: 'incident-point',
        type: 'circle',
        source: MAP_SOURCES.incidents,
        paint: {
          'circle-radius': ['match', ['get', 'severity'], 'critical', 8, 'high', 7, 6],
          'circle-color': [
            'match',
            ['get', 'severity'],
            'critical', SEVERITY_COLORS.critical,
            'high', SEVERITY_COLORS.high,
            'medium', SEVERITY_COLORS.medium,
            SEVERITY_COLORS.low,
          ],
          // Ring by status: white ring while unhandled, none once someone is on it.
          'circle-stroke-width': ['match', ['get', 'status'], ['reported', 'verifying', 'filed'], 2, 0.5],
          'circle-stroke-color': '#ffffff',
        },
      },
    ],
  };
}

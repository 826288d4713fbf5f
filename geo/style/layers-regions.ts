import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec';
import { TILE_LAYERS } from './contract.ts';
import { gridFillPaint, type ChoroplethMetric } from './choropleth.ts';
import { PALETTE } from './palette.ts';

export const GEO_SOURCE = 'geo';
export const DISTRICT_FILL = 'district-fill';

/** The district's dark ground: mostly opaque on the plain dark map, see-through over a base map. */
export const districtFillOpacity = (overBase: boolean) => (overBase ? 0.25 : 0.85);
export const NO_SELECTION = '__none__';

const level = (l: string): ExpressionSpecification => ['==', ['get', 'level'], l];
const src = (layer: string) => ({ source: GEO_SOURCE, 'source-layer': layer });
const zoomed = (pairs: number[]): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], ...pairs] as ExpressionSpecification;

/** Label text: the short form when zoomed out, the full name close in; English when asked. */
export function labelField(kind: 'grid' | 'community' | 'street' | 'road', en: boolean): ExpressionSpecification {
  const name: ExpressionSpecification = ['get', en ? 'nameEn' : 'name'];
  if (kind !== 'grid') return name;
  return ['step', ['zoom'], ['get', en ? 'shortEn' : 'short'], 16.5, name];
}

const text = (size: ExpressionSpecification | number, color: string, halo = 1.4) => ({
  layout: { 'text-font': ['sans-serif'], 'text-size': size, 'text-max-width': 8, 'text-padding': 3 },
  paint: { 'text-color': color, 'text-halo-color': PALETTE.labelHalo, 'text-halo-width': halo, 'text-halo-blur': 0.4 },
});

/** Ground: buildings, roads and the region boundaries (grids thin, communities and streets heavier). */
export function regionLayers(opts: { metric: ChoroplethMetric | null; en: boolean; overBase?: boolean }): LayerSpecification[] {
  const t = (size: ExpressionSpecification | number, color: string, halo?: number) => text(size, color, halo);
  const streetLabel = t(zoomed([12, 14, 15, 17]), PALETTE.streetLabel, 1.8);
  const communityLabel = t(zoomed([13, 12, 16, 15]), PALETTE.communityLabel, 1.6);
  const gridLabel = t(zoomed([13.8, 10, 17, 13]), PALETTE.gridLabel, 1.2);
  const roadLabel = t(11, PALETTE.roadLabel, 1.2);
  return [
    {
      id: DISTRICT_FILL, type: 'fill', ...src(TILE_LAYERS.regions), filter: level('district'),
      paint: { 'fill-color': '#081a30', 'fill-opacity': districtFillOpacity(opts.overBase ?? false) },
    },
    {
      id: 'building-fill', type: 'fill', ...src(TILE_LAYERS.buildings), minzoom: 14,
      paint: { 'fill-color': PALETTE.building, 'fill-outline-color': PALETTE.buildingLine, 'fill-opacity': zoomed([14, 0.4, 16, 0.95]) },
    },
    { id: 'grid-fill', type: 'fill', ...src(TILE_LAYERS.regions), filter: level('grid'), paint: gridFillPaint(opts.metric) },
    {
      id: 'road-casing', type: 'line', ...src(TILE_LAYERS.roads), layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': PALETTE.roadCasing, 'line-width': zoomed([12, 3, 17, 16]) },
    },
    {
      id: 'road-line', type: 'line', ...src(TILE_LAYERS.roads), layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'kind'], 'arterial', PALETTE.roadArterial, PALETTE.roadSecondary],
        'line-width': ['interpolate', ['linear'], ['zoom'], 12, ['match', ['get', 'kind'], 'arterial', 1.6, 0.8], 17, ['match', ['get', 'kind'], 'arterial', 11, 6]],
      },
    },
    {
      id: 'grid-line', type: 'line', ...src(TILE_LAYERS.regions), filter: level('grid'), minzoom: 12.5,
      paint: { 'line-color': PALETTE.gridLine, 'line-width': zoomed([13, 0.4, 17, 1.4]), 'line-opacity': 0.75 },
    },
    {
      id: 'community-line', type: 'line', ...src(TILE_LAYERS.regions), filter: level('community'), layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.communityLine, 'line-width': zoomed([11, 0.8, 16, 2.4]), 'line-opacity': 0.9 },
    },
    {
      id: 'street-glow', type: 'line', ...src(TILE_LAYERS.regions), filter: level('street'),
      paint: { 'line-color': PALETTE.streetLine, 'line-width': zoomed([10, 4, 16, 10]), 'line-blur': 6, 'line-opacity': 0.35 },
    },
    {
      id: 'street-line', type: 'line', ...src(TILE_LAYERS.regions), filter: level('street'), layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.streetLine, 'line-width': zoomed([10, 1.2, 16, 3]) },
    },
    {
      id: 'district-glow', type: 'line', ...src(TILE_LAYERS.regions), filter: level('district'),
      paint: { 'line-color': PALETTE.districtLine, 'line-width': zoomed([8, 6, 16, 16]), 'line-blur': 10, 'line-opacity': 0.45 },
    },
    {
      id: 'district-line', type: 'line', ...src(TILE_LAYERS.regions), filter: level('district'), layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.districtLine, 'line-width': zoomed([8, 1.5, 16, 3.5]) },
    },
    {
      id: 'selected-glow', type: 'line', ...src(TILE_LAYERS.regions), filter: ['==', ['get', 'id'], NO_SELECTION],
      paint: { 'line-color': PALETTE.selected, 'line-width': zoomed([10, 6, 16, 14]), 'line-blur': 8, 'line-opacity': 0.5 },
    },
    {
      id: 'selected-line', type: 'line', ...src(TILE_LAYERS.regions), filter: ['==', ['get', 'id'], NO_SELECTION], layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.selected, 'line-width': zoomed([10, 2, 16, 4]) },
    },
    {
      id: 'road-label', type: 'symbol', ...src(TILE_LAYERS.roads), minzoom: 15,
      layout: { ...roadLabel.layout, 'symbol-placement': 'line', 'text-field': labelField('road', opts.en), 'text-max-angle': 30 },
      paint: roadLabel.paint,
    },
    {
      id: 'grid-label', type: 'symbol', ...src(TILE_LAYERS.labels), filter: level('grid'), minzoom: 13.8,
      layout: { ...gridLabel.layout, 'text-field': labelField('grid', opts.en) },
      paint: { ...gridLabel.paint, 'text-opacity': zoomed([13.8, 0.6, 15.5, 1]) },
    },
    {
      id: 'community-label', type: 'symbol', ...src(TILE_LAYERS.labels), filter: level('community'), minzoom: 11.5, maxzoom: 16,
      layout: { ...communityLabel.layout, 'text-field': labelField('community', opts.en), 'symbol-sort-key': 1 },
      paint: { ...communityLabel.paint, 'text-opacity': zoomed([14.4, 1, 15, 0.55]) },
    },
    {
      id: 'street-label', type: 'symbol', ...src(TILE_LAYERS.labels), filter: level('street'), minzoom: 9, maxzoom: 14.5,
      layout: { ...streetLabel.layout, 'text-field': labelField('street', opts.en), 'text-letter-spacing': 0.1 },
      paint: streetLabel.paint,
    },
  ];
}

/** Label layers whose text follows the UI language. */
export const LABEL_LAYERS = { 'road-label': 'road', 'grid-label': 'grid', 'community-label': 'community', 'street-label': 'street' } as const;

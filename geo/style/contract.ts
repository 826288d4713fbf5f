/**
 * What the map's server routes and the client agree on: vector-tile layer names, the grid-panel facts and the
 * map configuration. Pure types and constants (no Node, no DOM), imported by server/geo and client alike.
 */
import type { RegionLevel } from '../../common/geo/types.ts';

/** Source-layer names inside every tile of GET /api/geo/tiles/{z}/{x}/{y}.pbf. */
export const TILE_LAYERS = {
  regions: 'regions',
  labels: 'labels',
  roads: 'roads',
  buildings: 'buildings',
  pois: 'pois',
} as const;
export type TileLayer = (typeof TILE_LAYERS)[keyof typeof TILE_LAYERS];

/** Tiles are cut up to this zoom; MapLibre over-zooms beyond it. */
export const TILE_MAX_ZOOM = 16;

/** Lowest zoom at which each level (or layer) is put into tiles: a city-scale set stays light when zoomed out. */
export const TILE_MIN_ZOOM = { district: 0, street: 8, community: 10, grid: 12, roads: 10, buildings: 14, pois: 14 } as const;

export const POI_KINDS = ['community_service_centre', 'elderly_daycare', 'clinic', 'school', 'fire_hydrant', 'aed', 'camera'] as const;
export type PoiKind = (typeof POI_KINDS)[number];

export interface RegionRef {
  id: string;
  level: RegionLevel;
  name: string;
  nameEn: string;
}

/** A grid worker or community staff member on duty, masked by the server for the caller's role. */
export interface WorkerOnDuty {
  id: string;
  name: string;
  nameEn: string;
  /** Null for wall displays. */
  phone: string | null;
  role: 'grid_worker' | 'community_staff';
}

/** GET /api/geo/grids/:id — facts of a grid (or of any region in scope: counts then sum its grids). */
export interface RegionFacts extends RegionRef {
  /** Root first, the region itself last. */
  path: RegionRef[];
  children: RegionRef[];
  /** [minLng, minLat, maxLng, maxLat]. */
  bbox: [number, number, number, number];
  households: number | null;
  population: number | null;
  areaKm2: number;
  buildings: number;
  pois: Partial<Record<PoiKind, number>>;
  workers: WorkerOnDuty[];
  synthetic: boolean;
}

/** GET /api/geo/map-config. */
export interface MapConfig {
  /** Vector-tile URL template, same origin. */
  tiles: string;
  /** Bounds of the user's scope, for the first view. */
  bounds: [number, number, number, number];
  scopeId: string;
  /** Optional base layer, null by default. `pmtiles` needs the client's pmtiles protocol. */
  base: { type: 'xyz'; tiles: string } | { type: 'pmtiles'; url: string } | null;
}

/** Shapes of the files in geo/data (the synthetic demo dataset). */
import type { Feature, FeatureCollection, LineString, Point, Polygon } from 'geojson';
import type { LngLat, RegionProps, RosterWorker } from '../../common/geo/types.ts';

export type EstateType = 'factory' | 'resettlement' | 'commercial';
export type PoiKind = 'community_service_centre' | 'elderly_daycare' | 'clinic' | 'school' | 'fire_hydrant' | 'aed' | 'camera';
export type DeviceKind = 'smoke' | 'elevator' | 'water_meter' | 'emergency_button';

/** Region properties as written: RegionProps plus an optional population estimate. */
export interface GeneratedRegionProps extends RegionProps {
  population?: number;
}

export interface RoadProps {
  id: string;
  name: string;
  nameEn: string;
  kind: 'arterial' | 'secondary';
  synthetic: true;
}

export interface BuildingProps {
  id: string;
  gridId: string;
  name: string;
  nameEn: string;
  estateType: EstateType;
  households: number;
  floors: number;
  builtYear: number;
  elevator: boolean;
  synthetic: true;
}

export interface PoiProps {
  id: string;
  kind: PoiKind;
  name: string;
  nameEn: string;
  gridId: string;
  synthetic: true;
}

/** The roster entry as the generator writes it: the shared type, with its base always set. */
export type Worker = RosterWorker & { base: LngLat };

export interface Device {
  productKey: string;
  deviceName: string;
  kind: DeviceKind;
  gridId: string;
  buildingId: string;
  location: LngLat;
}

export interface SyntheticMark {
  synthetic: true;
  note: string;
}

export type SyntheticCollection<G extends Polygon | LineString | Point, P> = FeatureCollection<G, P> & SyntheticMark;
export type RegionFeature = Feature<Polygon, GeneratedRegionProps>;

export interface Meta extends SyntheticMark {
  generator: { script: string; version: string };
  seed: number;
  districtId: string;
  crs: 'EPSG:4326';
  cellMetres: number;
  centre: LngLat;
  bbox: [number, number, number, number];
  zhiqiangCommunityId: string;
  counts: {
    streets: number;
    communities: number;
    grids: number;
    roads: number;
    buildings: number;
    pois: number;
    devices: number;
    workers: number;
    households: number;
  };
  files: string[];
}

export interface Dataset {
  regions: SyntheticCollection<Polygon, GeneratedRegionProps>;
  roads: SyntheticCollection<LineString, RoadProps>;
  buildings: SyntheticCollection<Polygon, BuildingProps>;
  pois: SyntheticCollection<Point, PoiProps>;
  workers: SyntheticMark & { workers: Worker[] };
  devices: SyntheticMark & { devices: Device[] };
  meta: Meta;
}

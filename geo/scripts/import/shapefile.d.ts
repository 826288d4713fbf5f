/** Minimal local typings for the `shapefile` package (0.6.x); only what the importer uses. */
declare module 'shapefile' {
  import type { Feature, FeatureCollection, Geometry, GeoJsonProperties } from 'geojson';

  export interface OpenOptions {
    /** dBASE character encoding (a TextDecoder label); the package defaults to windows-1252. */
    encoding?: string;
    highWaterMark?: number;
  }

  type Input = string | ArrayBuffer | Uint8Array;

  export interface Source<T> {
    bbox?: [number, number, number, number];
    read(): Promise<{ done: false; value: T } | { done: true; value: undefined }>;
    cancel(): Promise<void>;
  }

  export function open(
    shp: Input,
    dbf?: Input | null,
    options?: OpenOptions,
  ): Promise<Source<Feature<Geometry | null, GeoJsonProperties>>>;
  export function openShp(shp: Input, options?: OpenOptions): Promise<Source<Geometry | null>>;
  export function openDbf(dbf: Input, options?: OpenOptions): Promise<Source<Record<string, unknown>>>;
  export function read(
    shp: Input,
    dbf?: Input | null,
    options?: OpenOptions,
  ): Promise<FeatureCollection<Geometry | null, GeoJsonProperties>>;

  const shapefile: { open: typeof open; openShp: typeof openShp; openDbf: typeof openDbf; read: typeof read };
  export default shapefile;
}

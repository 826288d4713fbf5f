import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection } from 'geojson';
import type { RegionProps } from '#common/geo/types';
import { isRegionGeometry, type RegionGeometry } from './shape.ts';

/** A region: one polygon, or a MultiPolygon (islands, exclaves). */
export type RegionFeature = Feature<RegionGeometry, RegionProps>;

/** The bundled synthetic demo dataset. */
export const BUNDLED_GEO_DIR = fileURLToPath(new URL('../../geo/data', import.meta.url));

/** A deployment's imported boundaries (DATA_DIR/geo) take precedence over the bundled demo set. */
export function geoDirFor(dataDir: string): string {
  const own = join(dataDir, 'geo');
  return existsSync(join(own, 'regions.geojson')) ? own : BUNDLED_GEO_DIR;
}

export function readRegions(geoDir: string): RegionFeature[] {
  const fc = JSON.parse(readFileSync(join(geoDir, 'regions.geojson'), 'utf8')) as FeatureCollection;
  return fc.features.filter((f): f is RegionFeature => isRegionGeometry(f.geometry) && !!f.properties?.id);
}

/** Another layer of the dataset (roads, buildings, pois), or an empty collection when absent. */
export function readLayer(geoDir: string, name: string): FeatureCollection {
  const file = join(geoDir, `${name}.geojson`);
  const fallback = join(BUNDLED_GEO_DIR, `${name}.geojson`);
  const path = existsSync(file) ? file : existsSync(fallback) ? fallback : null;
  return path ? (JSON.parse(readFileSync(path, 'utf8')) as FeatureCollection) : { type: 'FeatureCollection', features: [] };
}

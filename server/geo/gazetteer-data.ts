import type { Feature, Geometry } from 'geojson';
import { readLayer, readRegions } from './dataset.ts';
import { Gazetteer, type GazetteerFeature } from './gazetteer.ts';

/** A representative point: a polygon's vertex mean, a line's middle vertex, the point itself. */
function pointOf(g: Geometry): [number, number] | null {
  if (g.type === 'Point') return [g.coordinates[0]!, g.coordinates[1]!];
  if (g.type === 'LineString') {
    const p = g.coordinates[Math.floor(g.coordinates.length / 2)];
    return p ? [p[0]!, p[1]!] : null;
  }
  if (g.type === 'Polygon') {
    const ring = g.coordinates[0]!.slice(0, -1);
    if (ring.length === 0) return null;
    return [ring.reduce((a, p) => a + p[0]!, 0) / ring.length, ring.reduce((a, p) => a + p[1]!, 0) / ring.length];
  }
  return null;
}

/** The deployment's gazetteer from its own dataset (buildings, POIs, roads; region names to drop). */
export function gazetteerFromDataset(geoDir: string): Gazetteer {
  const features: GazetteerFeature[] = [];
  for (const [layer, kind] of [['buildings', 'building'], ['pois', 'poi'], ['roads', 'road']] as const) {
    for (const f of readLayer(geoDir, layer).features as Feature[]) {
      const name = f.properties?.name;
      const point = f.geometry ? pointOf(f.geometry) : null;
      if (typeof name === 'string' && name && point) features.push({ kind, name, gridId: typeof f.properties?.gridId === 'string' ? f.properties.gridId : null, point });
    }
  }
  return new Gazetteer(features, readRegions(geoDir).map((r) => String(r.properties.name)));
}

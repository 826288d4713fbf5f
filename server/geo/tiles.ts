import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import GeoJSONVT, { type LegacyTile } from 'geojson-vt';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { isWithinScope } from '#common/geo/types';
import { TILE_LAYERS, TILE_MAX_ZOOM, TILE_MIN_ZOOM, type TileLayer } from '#geo/style/contract.ts';
import { readLayer } from './dataset.ts';
import type { Regions } from './regions.ts';
import { areaKm2, bboxOf, geometryBbox, labelPoint, type Bbox, type RegionGeometry } from './shape.ts';

// vt-pbf 3 is CommonJS without types: the one function we use, typed here.
const vtpbf = createRequire(import.meta.url)('vt-pbf') as {
  fromGeojsonVt(layers: Record<string, LegacyTile>, opts?: { version?: number; extent?: number }): Uint8Array;
};

/** Short label of a child: "双林社区第1网格" under "双林社区" → "第1网格". */
function shortName(name: string, parent: string | undefined): string {
  return parent && name.startsWith(parent) && name.length > parent.length ? name.slice(parent.length) : name;
}

const fc = (features: Feature[]): FeatureCollection => ({ type: 'FeatureCollection', features });

interface ScopeIndex {
  layers: Map<TileLayer, GeoJSONVT>;
  bbox: Bbox;
}

/**
 * Vector tiles cut on the server with geojson-vt: one index per layer and per scope (the user's region),
 * built on first use, a few scopes cached. Levels and detail layers enter the tiles only from the zoom at which
 * they are legible (TILE_MIN_ZOOM), so a 30,000-grid city stays light zoomed out. Tiles are gzipped and cached.
 */
export class TileService {
  private readonly scopes = new Map<string, ScopeIndex>();
  private readonly encoded = new Map<string, Buffer | null>();
  private base: { roads: FeatureCollection; buildings: FeatureCollection; pois: FeatureCollection } | null = null;

  constructor(
    private readonly regions: Regions,
    private readonly geoDir: string,
    private readonly opts: { maxScopes?: number; maxTiles?: number } = {},
  ) {}

  /** gzipped MVT bytes of one tile for a scope; null when the tile holds nothing. */
  tile(scopeId: string, z: number, x: number, y: number): Buffer | null {
    const key = `${scopeId}/${z}/${x}/${y}`;
    const hit = this.encoded.get(key);
    if (hit !== undefined) {
      this.encoded.delete(key);
      this.encoded.set(key, hit);
      return hit;
    }
    const index = this.scope(scopeId);
    const layers: Record<string, LegacyTile> = {};
    let any = false;
    for (const [name, vt] of index.layers) {
      const t = vt.getTile(z, x, y);
      if (!t) continue;
      const features = t.features.filter((f) => (f.tags?.minzoom as number | undefined ?? 0) <= z);
      if (features.length === 0) continue;
      layers[name] = { features };
      any = true;
    }
    const out = any ? gzipSync(vtpbf.fromGeojsonVt(layers, { version: 2, extent: 4096 })) : null;
    this.encoded.set(key, out);
    const max = this.opts.maxTiles ?? 5000;
    while (this.encoded.size > max) this.encoded.delete(this.encoded.keys().next().value!);
    return out;
  }

  /** Bounds of a scope's region. */
  bounds(scopeId: string): Bbox {
    return this.scope(scopeId).bbox;
  }

  private scope(scopeId: string): ScopeIndex {
    const cached = this.scopes.get(scopeId);
    if (cached) {
      this.scopes.delete(scopeId);
      this.scopes.set(scopeId, cached);
      return cached;
    }
    const built = this.build(scopeId);
    this.scopes.set(scopeId, built);
    const max = this.opts.maxScopes ?? 4;
    while (this.scopes.size > max) {
      const oldest = this.scopes.keys().next().value!;
      this.scopes.delete(oldest);
      for (const k of this.encoded.keys()) if (k.startsWith(`${oldest}/`)) this.encoded.delete(k);
    }
    return built;
  }

  private build(scopeId: string): ScopeIndex {
    this.base ??= {
      roads: readLayer(this.geoDir, 'roads'),
      buildings: readLayer(this.geoDir, 'buildings'),
      pois: readLayer(this.geoDir, 'pois'),
    };
    const polys: Feature<RegionGeometry>[] = [];
    const labels: Feature<Point>[] = [];
    const bbox: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of this.regions.features) {
      const p = f.properties;
      if (!isWithinScope(p.id, scopeId)) continue;
      if (p.id === scopeId) geometryBbox(f.geometry, bbox);
      const km2 = areaKm2(f.geometry);
      const parent = p.parentId ? this.regions.get(p.parentId) : undefined;
      const props = {
        id: p.id,
        level: p.level,
        name: p.name,
        nameEn: p.nameEn,
        short: shortName(p.name, parent?.name),
        shortEn: shortName(p.nameEn, parent?.nameEn.replace(/ (Community|Street)$/, '')).trim(),
        minzoom: TILE_MIN_ZOOM[p.level],
      };
      polys.push({
        type: 'Feature',
        geometry: f.geometry,
        properties: {
          ...props,
          households: p.households ?? 0,
          population: p.population ?? 0,
          density: km2 > 0 ? Math.round((p.population ?? 0) / km2) : 0,
        },
      });
      labels.push({ type: 'Feature', geometry: { type: 'Point', coordinates: labelPoint(f.geometry) }, properties: props });
    }
    if (!Number.isFinite(bbox[0])) throw new Error(`no region ${scopeId}`);
    const inScope = (f: Feature) => isWithinScope(String(f.properties?.gridId ?? ''), scopeId);
    const crosses = (g: Geometry) => {
      const b = g.type === 'LineString' ? bboxOf(g.coordinates) : g.type === 'MultiLineString' ? bboxOf(g.coordinates.flat()) : null;
      return !!b && b[0] <= bbox[2] && b[2] >= bbox[0] && b[1] <= bbox[3] && b[3] >= bbox[1];
    };
    const withMin = (features: Feature[], minzoom: number) =>
      features.map((f) => ({ ...f, properties: { ...f.properties, minzoom } }));
    const opts = { maxZoom: TILE_MAX_ZOOM, indexMaxZoom: 5, tolerance: 2, buffer: 64 };
    const layers = new Map<TileLayer, GeoJSONVT>([
      [TILE_LAYERS.regions, new GeoJSONVT(fc(polys), opts)],
      [TILE_LAYERS.labels, new GeoJSONVT(fc(labels), opts)],
      [TILE_LAYERS.roads, new GeoJSONVT(fc(withMin(this.base.roads.features.filter((f) => crosses(f.geometry)), TILE_MIN_ZOOM.roads)), opts)],
      [TILE_LAYERS.buildings, new GeoJSONVT(fc(withMin(this.base.buildings.features.filter(inScope), TILE_MIN_ZOOM.buildings)), opts)],
      [TILE_LAYERS.pois, new GeoJSONVT(fc(withMin(this.base.pois.features.filter(inScope), TILE_MIN_ZOOM.pois)), opts)],
    ]);
    return { layers, bbox };
  }
}

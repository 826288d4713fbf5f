/** Assembles the synthetic demo dataset and serialises it to the files of geo/data. */
import type { Position } from 'geojson';
import { generateBuildings, generateDevices } from './buildings.ts';
import { CELL_METRES, type Lattice } from './lattice.ts';
import { generateWorkers } from './people.ts';
import { generatePois } from './pois.ts';
import { DISTRICT_ID, buildHierarchy, type BuiltRegion } from './regions.ts';
import { createRng } from './rng.ts';
import { generateRoads } from './roads.ts';
import type { Dataset, GeneratedRegionProps, RegionFeature } from './types.ts';

export const GENERATOR_VERSION = '1.0.0';
export const DEFAULT_SEED = 510108;
export const DEFAULT_GRIDS = 220;
export const CENTRE = { lng: 104.1, lat: 30.67 } as const;
export const NOTE =
  'Synthetic demo data: invented geometry, names, people, phones and devices placed near Chenghua District, Chengdu. ' +
  'Not real boundaries or persons. Regenerate with `npm run geo:generate`.';

export interface GenerateOptions {
  grids?: number;
  seed?: number;
  /** Buildings, POIs and devices; default: only when grids <= 5000. */
  details?: boolean;
}

const ringCoords = (lat: Lattice, ring: number[]): Position[] => ring.map((k) => [lat.lng[k]!, lat.lat[k]!]);

export function generateDataset(options: GenerateOptions = {}): Dataset {
  const grids = options.grids ?? DEFAULT_GRIDS;
  const seed = options.seed ?? DEFAULT_SEED;
  const details = options.details ?? grids <= 5000;
  const rng = createRng(seed);
  const h = buildHierarchy(rng.fork('regions'), grids, CENTRE);
  const lat = h.lattice;
  const built = details ? generateBuildings(rng.fork('buildings'), h) : [];
  const pois = details ? generatePois(rng.fork('pois'), h) : [];
  const devices = details ? generateDevices(rng.fork('devices'), lat, built) : [];
  const workers = generateWorkers(rng.fork('workers'), h, pois);
  const roads = generateRoads(lat);

  // Households: summed from buildings when generated, otherwise drawn per grid; parents sum their children.
  const hhRng = rng.fork('households');
  const byGrid = new Map<string, number>();
  for (const b of built) byGrid.set(b.feature.properties.gridId, (byGrid.get(b.feature.properties.gridId) ?? 0) + b.feature.properties.households);
  for (const g of h.grids) g.households = byGrid.get(g.id) ?? hhRng.int(180, 650);
  for (const c of h.communities) c.households = c.children.reduce((a, g) => a + g.households, 0);
  for (const s of h.streets) s.households = s.children.reduce((a, c) => a + c.households, 0);
  h.district.households = h.streets.reduce((a, s) => a + s.households, 0);

  const feature = (r: BuiltRegion): RegionFeature => {
    const props: GeneratedRegionProps = { id: r.id, level: r.level, parentId: r.parentId, name: r.name, nameEn: r.nameEn, households: r.households, synthetic: true, population: Math.round(r.households * 2.45) };
    return { type: 'Feature', properties: props, geometry: { type: 'Polygon', coordinates: [ringCoords(lat, r.ring)] } };
  };
  const regionFeatures = [h.district, ...h.streets, ...h.communities, ...h.grids].map(feature);
  let bbox: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of regionFeatures[0]!.geometry.coordinates[0]!) bbox = [Math.min(bbox[0], x!), Math.min(bbox[1], y!), Math.max(bbox[2], x!), Math.max(bbox[3], y!)];
  const mark = { synthetic: true as const, note: NOTE };
  return {
    regions: { type: 'FeatureCollection', ...mark, features: regionFeatures },
    roads: { type: 'FeatureCollection', ...mark, features: roads },
    buildings: { type: 'FeatureCollection', ...mark, features: built.map((b) => b.feature) },
    pois: { type: 'FeatureCollection', ...mark, features: pois },
    workers: { ...mark, workers },
    devices: { ...mark, devices },
    meta: {
      ...mark,
      generator: { script: 'geo/scripts/generate.ts', version: GENERATOR_VERSION },
      seed,
      districtId: DISTRICT_ID,
      crs: 'EPSG:4326',
      cellMetres: CELL_METRES,
      centre: { lng: CENTRE.lng, lat: CENTRE.lat },
      bbox,
      zhiqiangCommunityId: h.zhiqiang.id,
      counts: {
        streets: h.streets.length,
        communities: h.communities.length,
        grids: h.grids.length,
        roads: roads.length,
        buildings: built.length,
        pois: pois.length,
        devices: devices.length,
        workers: workers.length,
        households: h.district.households,
      },
      files: [...DATA_FILES],
    },
  };
}

export const DATA_FILES = ['regions.geojson', 'roads.geojson', 'buildings.geojson', 'pois.geojson', 'workers.json', 'devices.json', 'meta.json'] as const;
export type DataFile = (typeof DATA_FILES)[number];

/** One JSON value per line inside the array, so the files stay compact yet diff line by line. */
function listed(head: Record<string, unknown>, key: string, items: readonly unknown[]): string {
  const start = JSON.stringify({ ...head, [key]: [] }).slice(0, -2);
  const body = items.map((it) => JSON.stringify(it)).join(',\n');
  return `${start}\n${body}\n]}\n`;
}

export function serializeDataset(d: Dataset): Record<DataFile, string> {
  const fc = (c: { type: string; synthetic: true; note: string; features: readonly unknown[] }): string =>
    listed({ type: c.type, synthetic: c.synthetic, note: c.note }, 'features', c.features);
  return {
    'regions.geojson': fc(d.regions),
    'roads.geojson': fc(d.roads),
    'buildings.geojson': fc(d.buildings),
    'pois.geojson': fc(d.pois),
    'workers.json': listed({ synthetic: true, note: d.workers.note }, 'workers', d.workers.workers),
    'devices.json': listed({ synthetic: true, note: d.devices.note }, 'devices', d.devices.devices),
    'meta.json': `${JSON.stringify(d.meta, null, 2)}\n`,
  };
}

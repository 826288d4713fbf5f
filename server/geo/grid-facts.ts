import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RosterWorker } from '#common/geo/types';
import type { Role } from '#common/auth/types';
import { audienceOf } from '#common/incidents/projection';
import { maskName, maskPhone } from '#common/privacy';
import type { PoiKind, RegionFacts, RegionRef, WorkerOnDuty } from '#geo/style/contract.ts';
import { BUNDLED_GEO_DIR, readLayer } from './dataset.ts';
import type { RegionInfo, Regions } from './regions.ts';
import { areaKm2, geometryBbox } from './shape.ts';

export type RawWorker = RosterWorker;

interface Details {
  /** Buildings per grid id. */
  buildings: Map<string, number>;
  /** POI counts per grid id and kind. */
  pois: Map<string, Map<PoiKind, number>>;
  workers: RawWorker[];
}

export function readWorkers(geoDir: string): RawWorker[] {
  for (const dir of [geoDir, BUNDLED_GEO_DIR]) {
    const file = join(dir, 'workers.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { workers?: RawWorker[] }).workers ?? [];
  }
  return [];
}

/** A worker as the caller's role may see them: wall gets a masked name and no phone. */
export function projectWorker(w: RawWorker, role: Role): WorkerOnDuty {
  const audience = audienceOf(role);
  const base = { id: w.id, role: w.role };
  if (audience === 'full') return { ...base, name: w.name, nameEn: w.nameEn, phone: w.phone };
  const nameEn = maskName(w.nameEn.split(' ')[0] ?? '') + (w.nameEn.includes(' ') ? ' *' : '');
  if (audience === 'wall') return { ...base, name: maskName(w.name), nameEn, phone: null };
  return { ...base, name: maskName(w.name), nameEn, phone: maskPhone(w.phone) };
}

const ref = (r: RegionInfo): RegionRef => ({ id: r.id, level: r.level, name: r.name, nameEn: r.nameEn });

/**
 * Facts for the grid panel: households, population, buildings, POIs by kind and the workers on duty.
 * For a street or community the counts cover all its grids. Buildings, POIs and workers are read once.
 */
export class GridFacts {
  private details: Details | null = null;

  constructor(
    private readonly regions: Regions,
    private readonly geoDir: string,
  ) {}

  facts(id: string, role: Role): RegionFacts | null {
    const r = this.regions.get(id);
    const feature = r && this.regions.features.find((f) => f.properties.id === id);
    if (!r || !feature) return null;
    const d = this.load();
    let buildings = 0;
    const pois: Partial<Record<PoiKind, number>> = {};
    for (const [gridId, n] of d.buildings) if (gridId.startsWith(id)) buildings += n;
    for (const [gridId, kinds] of d.pois) {
      if (!gridId.startsWith(id)) continue;
      for (const [kind, n] of kinds) pois[kind] = (pois[kind] ?? 0) + n;
    }
    // A grid's own workers; for a larger region the staff based at it (community staff), not every grid worker.
    const onDuty = d.workers.filter((w) => (r.level === 'grid' ? w.gridId === id : w.regionId === id));
    return {
      ...ref(r),
      path: this.regions.path(id).map(ref),
      children: (this.regions.tree(id)?.children ?? []).map((c) => ({ id: c.id, level: c.level, name: c.name, nameEn: c.nameEn })),
      bbox: geometryBbox(feature.geometry),
      households: feature.properties.households ?? null,
      population: feature.properties.population ?? null,
      areaKm2: Math.round(areaKm2(feature.geometry) * 1000) / 1000,
      buildings,
      pois,
      workers: onDuty.map((w) => projectWorker(w, role)),
      synthetic: feature.properties.synthetic === true,
    };
  }

  private load(): Details {
    if (this.details) return this.details;
    const buildings = new Map<string, number>();
    for (const f of readLayer(this.geoDir, 'buildings').features) {
      const g = String(f.properties?.gridId ?? '');
      buildings.set(g, (buildings.get(g) ?? 0) + 1);
    }
    const pois = new Map<string, Map<PoiKind, number>>();
    for (const f of readLayer(this.geoDir, 'pois').features) {
      const g = String(f.properties?.gridId ?? '');
      const kind = f.properties?.kind as PoiKind;
      const m = pois.get(g) ?? new Map<PoiKind, number>();
      m.set(kind, (m.get(kind) ?? 0) + 1);
      pois.set(g, m);
    }
    this.details = { buildings, pois, workers: readWorkers(this.geoDir) };
    return this.details;
  }
}

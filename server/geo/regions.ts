import type { RegionLevel, RegionNode } from '#common/geo/types';
import { regionAncestry } from '#common/geo/types';
import { GridIndex } from './grid-index.ts';
import type { RegionFeature } from './dataset.ts';

export interface RegionInfo {
  id: string;
  level: RegionLevel;
  parentId: string | null;
  name: string;
  nameEn: string;
}

/** The region tree and grid index, built once from the dataset. */
export class Regions {
  readonly root: RegionInfo;
  readonly grids: GridIndex;
  private readonly byId = new Map<string, RegionInfo>();
  private readonly children = new Map<string, string[]>();
  readonly features: RegionFeature[];

  constructor(features: RegionFeature[]) {
    this.features = features;
    for (const f of features) {
      const p = f.properties;
      this.byId.set(p.id, { id: p.id, level: p.level, parentId: p.parentId, name: p.name, nameEn: p.nameEn });
      if (p.parentId) {
        const list = this.children.get(p.parentId) ?? [];
        list.push(p.id);
        this.children.set(p.parentId, list);
      }
    }
    const roots = [...this.byId.values()].filter((r) => r.parentId === null || !this.byId.has(r.parentId));
    if (roots.length !== 1) throw new Error(`region dataset must have exactly one root, found ${roots.length}`);
    this.root = roots[0]!;
    for (const list of this.children.values()) list.sort();
    this.grids = new GridIndex(
      features.filter((f) => f.properties.level === 'grid').map((f) => ({ id: f.properties.id, geometry: f.geometry })),
    );
  }

  get(id: string): RegionInfo | undefined {
    return this.byId.get(id);
  }

  /** Region ids from the root down to `id` (inclusive), only those that exist. */
  path(id: string): RegionInfo[] {
    return regionAncestry(id)
      .map((a) => this.byId.get(a))
      .filter((r): r is RegionInfo => r !== undefined);
  }

  tree(id: string): RegionNode | null {
    const r = this.byId.get(id);
    if (!r) return null;
    return {
      id: r.id,
      level: r.level,
      name: r.name,
      nameEn: r.nameEn,
      children: (this.children.get(id) ?? []).map((c) => this.tree(c)!),
    };
  }

  /** Grid and its ancestors for a point: `{ gridId: null, path: [] }` outside every grid. */
  locate(lng: number, lat: number): { gridId: string | null; path: RegionInfo[] } {
    const gridId = this.grids.locate(lng, lat);
    return { gridId, path: gridId ? this.path(gridId) : [] };
  }
}

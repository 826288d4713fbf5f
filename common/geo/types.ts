/** Region hierarchy: district (6-digit code) → street (+3) → community (+3) → grid (+3). */
export const REGION_LEVELS = ['district', 'street', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Length of the hierarchical region code at each level. */
export const REGION_CODE_LENGTH: Record<RegionLevel, number> = {
  district: 6,
  street: 9,
  community: 12,
  grid: 15,
};

export interface LngLat {
  lng: number;
  lat: number;
}

/** Properties carried by every feature of geo/data/regions.geojson. */
export interface RegionProps {
  id: string;
  level: RegionLevel;
  parentId: string | null;
  name: string;
  nameEn: string;
  /** Households living in the region (grids and up), when known. */
  households?: number;
  /** Residents, when known (the demo dataset estimates it from households). */
  population?: number;
  /** True for the generated demo dataset; absent or false for imported boundaries. */
  synthetic?: boolean;
}

/** A node of the region tree as served by GET /api/regions. */
export interface RegionNode {
  id: string;
  level: RegionLevel;
  name: string;
  nameEn: string;
  children: RegionNode[];
}

/** Level of a region code, from its length; null for a malformed code. */
export function regionLevelOf(id: string): RegionLevel | null {
  if (!/^\d+$/.test(id)) return null;
  for (const level of REGION_LEVELS) if (REGION_CODE_LENGTH[level] === id.length) return level;
  return null;
}

/** Codes of a region and all its ancestors, root first. */
export function regionAncestry(id: string): string[] {
  const out: string[] = [];
  for (const level of REGION_LEVELS) {
    const len = REGION_CODE_LENGTH[level];
    if (id.length >= len) out.push(id.slice(0, len));
  }
  return out;
}

/** True when `id` is `scopeId` or lies inside it. Codes are hierarchical, so this is a prefix test. */
export function isWithinScope(id: string, scopeId: string): boolean {
  return id.startsWith(scopeId);
}

/** A grid worker or community staff member of the roster (geo/data/workers.json). */
export interface RosterWorker {
  id: string;
  name: string;
  nameEn: string;
  phone: string;
  gridId: string;
  /** The worker's region: the grid for grid workers, the community for community staff. */
  regionId: string;
  role: 'grid_worker' | 'community_staff';
  /** Usual base (a point inside `gridId`), handy for simulated positions. */
  base?: LngLat;
  /** Shift pattern of the roster (common/dispatch/shifts.ts); derived from the id when absent. */
  shift?: string;
}

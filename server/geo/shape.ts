import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';

/**
 * A region's geometry: one polygon, or several (islands, exclaves: real district and street boundaries often
 * come so). The parts of a valid MultiPolygon do not overlap (the importer refuses them otherwise), so "in any
 * part, outside its holes" is the even-odd rule over all the rings of all the parts: GridIndex and its cell
 * table use the flat ring list (ringsOf) and stay one code path for both types.
 */
export type RegionGeometry = Polygon | MultiPolygon;
export type Bbox = [number, number, number, number];

export function isRegionGeometry(g: Geometry | null | undefined): g is RegionGeometry {
  return !!g && (g.type === 'Polygon' || (g.type === 'MultiPolygon' && g.coordinates.length > 0));
}

/** The parts of a region, each its rings (exterior first, then holes). */
export function partsOf(g: RegionGeometry): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

/** Every ring of every part, for the even-odd test. */
export function ringsOf(g: RegionGeometry): Position[][] {
  return g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
}

/** Planar area of a lng/lat ring in km² (equirectangular at the ring's latitude: fine at grid size). */
export function ringAreaKm2(ring: Position[]): number {
  const lat0 = ((ring[0]?.[1] ?? 0) * Math.PI) / 180;
  const kx = 111.32 * Math.cos(lat0);
  const ky = 110.57;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += ring[j]![0]! * kx * ring[i]![1]! * ky - ring[i]![0]! * kx * ring[j]![1]! * ky;
  }
  return Math.abs(a / 2);
}

/** Area of one part: its exterior less its holes. */
export function partAreaKm2(rings: Position[][]): number {
  const [outer, ...holes] = rings;
  return outer ? ringAreaKm2(outer) - holes.reduce((s, h) => s + ringAreaKm2(h), 0) : 0;
}

/** Area of a region in km²: every part, holes taken out. */
export function areaKm2(g: RegionGeometry): number {
  return partsOf(g).reduce((s, part) => s + partAreaKm2(part), 0);
}

/** The part with the largest area (where a region's label and "centre" go). */
export function largestPart(g: RegionGeometry): Position[][] {
  const parts = partsOf(g);
  let best = parts[0]!;
  let bestArea = -1;
  for (const part of parts) {
    const a = partAreaKm2(part);
    if (a > bestArea) [best, bestArea] = [part, a];
  }
  return best;
}

/** Area-weighted centroid of a ring (the vertex mean when degenerate). */
export function ringCentroid(ring: Position[]): Position {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j] as [number, number];
    const [x1, y1] = ring[i] as [number, number];
    const f = x0 * y1 - x1 * y0;
    a += f;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  if (Math.abs(a) < 1e-15) return [ring.reduce((s, p) => s + p[0]!, 0) / ring.length, ring.reduce((s, p) => s + p[1]!, 0) / ring.length];
  return [cx / (3 * a), cy / (3 * a)];
}

/** Label point of a region: the centroid of its largest part's exterior. */
export function labelPoint(g: RegionGeometry): Position {
  return ringCentroid(largestPart(g)[0]!);
}

export function bboxOf(coords: Position[], into: Bbox = [Infinity, Infinity, -Infinity, -Infinity]): Bbox {
  for (const [x, y] of coords as [number, number][]) {
    if (x < into[0]) into[0] = x;
    if (y < into[1]) into[1] = y;
    if (x > into[2]) into[2] = x;
    if (y > into[3]) into[3] = y;
  }
  return into;
}

/** Bounds of every part's exterior. */
export function geometryBbox(g: RegionGeometry, into?: Bbox): Bbox {
  let out = into ?? [Infinity, Infinity, -Infinity, -Infinity];
  for (const part of partsOf(g)) out = bboxOf(part[0]!, out);
  return out;
}

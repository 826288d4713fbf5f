/**
 * Small planar geometry helpers for validating imported boundaries (lng/lat degrees).
 * Self-contained on purpose: @turf/kinks and @turf/boolean-within are not installed.
 */

export type Pos = [number, number];
export type Ring = Pos[];

/** Why a raw ring is structurally invalid, or null when it is fine. */
export function ringStructureProblem(ring: unknown): string | null {
  if (!Array.isArray(ring)) return 'ring is not an array of positions';
  for (let i = 0; i < ring.length; i++) {
    const p: unknown = ring[i];
    if (!Array.isArray(p) || p.length < 2) return `position ${i} is not a [lng, lat] pair`;
    const [lng, lat] = p as unknown[];
    if (typeof lng !== 'number' || typeof lat !== 'number' || !Number.isFinite(lng) || !Number.isFinite(lat)) {
      return `position ${i} has non-numeric coordinates`;
    }
    if (Math.abs(lng) > 180 || Math.abs(lat) > 90) {
      return `position ${i} (${lng}, ${lat}) is not in lng/lat degrees (projected CRS? reproject to geographic coordinates first)`;
    }
  }
  if (ring.length < 4) return `ring has ${ring.length} positions (at least 4 needed)`;
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) {
    return `ring not closed (first position ${fmt(first)} differs from last ${fmt(last)})`;
  }
  return null;
}

function fmt(p: readonly number[]): string {
  return `(${p[0]}, ${p[1]})`;
}

/** Twice the signed area (shoelace; > 0 for counter-clockwise in lng/lat). */
export function signedArea2(ring: Ring): number {
  let s = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) {
    const a = ring[i] as Pos;
    const b = ring[i + 1] as Pos;
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s;
}

/** RFC 7946 winding: exterior ring counter-clockwise, holes clockwise. Returns new rings. */
export function rewind(rings: Ring[]): Ring[] {
  return rings.map((ring, i) => {
    const ccw = signedArea2(ring) > 0;
    const wantCcw = i === 0;
    return ccw === wantCcw ? ring : [...ring].reverse();
  });
}

function orient(a: Pos, b: Pos, c: Pos): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Pos, b: Pos, p: Pos): boolean {
  return (
    Math.min(a[0], b[0]) <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) &&
    Math.min(a[1], b[1]) <= p[1] &&
    p[1] <= Math.max(a[1], b[1])
  );
}

/** True when closed segments ab and cd share at least one point. */
function segmentsIntersect(a: Pos, b: Pos, c: Pos, d: Pos): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a, b, c)) return true;
  if (o2 === 0 && onSegment(a, b, d)) return true;
  if (o3 === 0 && onSegment(c, d, a)) return true;
  if (o4 === 0 && onSegment(c, d, b)) return true;
  return false;
}

function intersectionPoint(a: Pos, b: Pos, c: Pos, d: Pos): Pos {
  const den = (a[0] - b[0]) * (c[1] - d[1]) - (a[1] - b[1]) * (c[0] - d[0]);
  if (den === 0) return onSegment(a, b, c) ? c : d; // collinear overlap
  const t = ((a[0] - c[0]) * (c[1] - d[1]) - (a[1] - c[1]) * (c[0] - d[0])) / den;
  return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
}

function dedupe(ring: Ring): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  return out;
}

interface Seg {
  ring: number;
  index: number;
  a: Pos;
  b: Pos;
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/**
 * First self-intersection of a polygon (between any two of its edges, across all its rings),
 * or null. Edges adjacent along a ring may only share their common vertex; a spike (an edge
 * folding back onto its neighbour) counts as an intersection. Consecutive duplicate vertices
 * are ignored. Sweep over edges sorted by x, so large rings stay cheap.
 */
export function findSelfIntersection(rings: Ring[]): Pos | null {
  const segs: Seg[] = [];
  const segCount: number[] = [];
  rings.forEach((raw, r) => {
    const ring = dedupe(raw);
    segCount[r] = ring.length - 1;
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i] as Pos;
      const b = ring[i + 1] as Pos;
      segs.push({
        ring: r,
        index: i,
        a,
        b,
        minX: Math.min(a[0], b[0]),
        maxX: Math.max(a[0], b[0]),
        minY: Math.min(a[1], b[1]),
        maxY: Math.max(a[1], b[1]),
      });
    }
  });
  segs.sort((s, t) => s.minX - t.minX);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i] as Seg;
    for (let j = i + 1; j < segs.length; j++) {
      const t = segs[j] as Seg;
      if (t.minX > s.maxX) break;
      if (t.minY > s.maxY || t.maxY < s.minY) continue;
      if (s.ring === t.ring) {
        const n = segCount[s.ring] ?? 0;
        const lo = Math.min(s.index, t.index);
        const hi = Math.max(s.index, t.index);
        const adjacent = hi - lo === 1 || (lo === 0 && hi === n - 1);
        if (adjacent) {
          if (n <= 2) return s.a; // a two-edge "ring" folds onto itself
          // Shared vertex is fine; anything more (collinear fold-back) is not.
          const [first, second] = hi - lo === 1 ? (s.index === lo ? [s, t] : [t, s]) : s.index === hi ? [s, t] : [t, s];
          // first.b === second.a is the shared vertex.
          if (orient(first.a, first.b, second.b) === 0 && onSegment(first.a, first.b, second.b)) return second.b;
          if (orient(second.a, second.b, first.a) === 0 && onSegment(second.a, second.b, first.a)) return first.a;
          continue;
        }
      }
      if (segmentsIntersect(s.a, s.b, t.a, t.b)) return intersectionPoint(s.a, s.b, t.a, t.b);
    }
  }
  return null;
}

/** Even-odd point-in-polygon over all rings (exterior + holes). Boundary points are unspecified. */
export function pointInRings(p: Pos, rings: Ring[]): boolean {
  const [x, y] = p;
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i] as Pos;
      const b = ring[j] as Pos;
      if (a[1] > y !== b[1] > y && x < ((b[0] - a[0]) * (y - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
  }
  return inside;
}

const M_PER_DEG = (Math.PI / 180) * 6371008.8;

/** Distance in metres from p to segment ab (local equirectangular projection, fine at metre scale). */
export function pointSegmentDistanceM(p: Pos, a: Pos, b: Pos): number {
  const kx = Math.cos((p[1] * Math.PI) / 180) * M_PER_DEG;
  const ax = (a[0] - p[0]) * kx;
  const ay = (a[1] - p[1]) * M_PER_DEG;
  const bx = (b[0] - p[0]) * kx;
  const by = (b[1] - p[1]) * M_PER_DEG;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : -(ax * dx + ay * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Distance in metres from p to the nearest edge of any ring. */
export function distanceToRingsM(p: Pos, rings: Ring[]): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const d = pointSegmentDistanceM(p, ring[i] as Pos, ring[i + 1] as Pos);
      if (d < best) best = d;
    }
  }
  return best;
}

/** A polygonal area made of one or more polygons (each: exterior ring + holes), with its bbox. */
export interface Area {
  polygons: Ring[][];
  bbox: [number, number, number, number];
}

export function areaOf(polygons: Ring[][]): Area {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of polygons) {
    for (const p of poly[0] ?? []) {
      if (p[0] < minX) minX = p[0];
      if (p[0] > maxX) maxX = p[0];
      if (p[1] < minY) minY = p[1];
      if (p[1] > maxY) maxY = p[1];
    }
  }
  return { polygons, bbox: [minX, minY, maxX, maxY] };
}

/**
 * First vertex of `rings` (a polygon) lying outside `area` by more than `toleranceM` metres,
 * with its distance, or null when every vertex is inside or within tolerance of the boundary.
 */
export function firstVertexOutside(
  rings: Ring[],
  area: Area,
  toleranceM: number,
): { pos: Pos; distanceM: number } | null {
  const [minX, minY, maxX, maxY] = area.bbox;
  const padLat = toleranceM / M_PER_DEG;
  for (const ring of rings) {
    for (const p of ring) {
      const padLng = padLat / Math.max(1e-6, Math.cos((p[1] * Math.PI) / 180));
      const inBox = p[0] >= minX - padLng && p[0] <= maxX + padLng && p[1] >= minY - padLat && p[1] <= maxY + padLat;
      if (inBox && area.polygons.some((poly) => pointInRings(p, poly))) continue;
      let d = Infinity;
      for (const poly of area.polygons) d = Math.min(d, distanceToRingsM(p, poly));
      if (d > toleranceM) return { pos: p, distanceM: d };
    }
  }
  return null;
}

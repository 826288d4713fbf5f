import polygonClipping from 'polygon-clipping';
import { findSelfIntersection, signedArea2, type Pos, type Ring } from './geometry.ts';

/** Default largest share of a region's area a repair may change (1 %). */
export const DEFAULT_MAX_AREA_CHANGE = 0.01;

export type RepairFix = 'duplicate_vertices' | 'self_intersection';

export interface RepairReport {
  fixes: RepairFix[];
  /** Consecutive repeated vertices removed. */
  removedVertices: number;
  /** Pieces of a self-intersecting ring dropped (the largest is kept: lobes meeting at a point are no valid parts). */
  droppedParts: number;
  areaBefore: number;
  areaAfter: number;
  /** |after − before| / max(before, after). */
  areaChange: number;
}

export type RepairResult = { ok: true; rings: Ring[]; report: RepairReport } | { ok: false; reason: string; report: RepairReport };

/** Planar area of a polygon: exterior minus holes (units²; only ratios are used). */
function polygonArea(rings: readonly Ring[]): number {
  const [outer, ...holes] = rings;
  return outer ? Math.abs(signedArea2(outer)) / 2 - holes.reduce((a, h) => a + Math.abs(signedArea2(h)) / 2, 0) : 0;
}

/** A closed ring without consecutive repeated positions (the closing position kept). */
function dedupe(ring: Ring): { ring: Ring; removed: number } {
  const out: Ring = [];
  for (const p of ring) {
    const last = out.at(-1);
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  return { ring: out, removed: ring.length - out.length };
}

/**
 * Repair a region's polygon (closed rings, exterior first): drop repeated vertices, then resolve
 * self-intersections with polygon-clipping (a bow-tie becomes its two lobes; the largest is kept, because lobes
 * touching at a point cannot be a MultiPolygon's parts). A MultiPolygon is repaired part by part. Refused when the area changes by more than `maxShare`, or nothing usable is left.
 */
export function repairPolygon(rings: readonly Ring[], maxShare = DEFAULT_MAX_AREA_CHANGE): RepairResult {
  const areaBefore = polygonArea(rings as Ring[]);
  const report: RepairReport = { fixes: [], removedVertices: 0, droppedParts: 0, areaBefore, areaAfter: areaBefore, areaChange: 0 };
  let out = rings.map((r) => {
    const d = dedupe(r);
    report.removedVertices += d.removed;
    return d.ring;
  });
  if (report.removedVertices > 0) report.fixes.push('duplicate_vertices');
  if (out.some((r) => r.length < 4)) return { ok: false, reason: 'a ring has fewer than 3 distinct vertices', report };
  if (findSelfIntersection(out)) {
    report.fixes.push('self_intersection');
    const parts = polygonClipping.union(out as polygonClipping.Polygon);
    if (parts.length === 0) return { ok: false, reason: 'nothing is left after resolving the self-intersection', report };
    const areas = parts.map((p) => polygonArea(p as Ring[]));
    const best = areas.indexOf(Math.max(...areas));
    out = (parts[best] as Pos[][]).map((r) => r.map((p): Pos => [p[0], p[1]]));
    report.droppedParts = parts.length - 1;
  }
  report.areaAfter = polygonArea(out);
  const base = Math.max(report.areaBefore, report.areaAfter);
  report.areaChange = base === 0 ? 1 : Math.abs(report.areaAfter - report.areaBefore) / base;
  if (report.areaChange > maxShare) {
    return { ok: false, reason: `repair would change the area by ${(report.areaChange * 100).toFixed(1)} % (limit ${(maxShare * 100).toFixed(1)} %)`, report };
  }
  return { ok: true, rings: out, report };
}

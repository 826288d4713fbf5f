/**
 * A feature's geometry as an imported region: a Polygon, or a MultiPolygon (real district, street and even
 * community boundaries have islands and exclaves). Every part is checked as a polygon of its own (closed
 * rings, holes, self-intersections, repair), converted to WGS-84 and rewound; then the parts together must not
 * cross or overlap, so that "in a part, outside its holes" is what the server's even-odd lookup answers. A part
 * lying in another part's hole (an island in a lake) is fine.
 */
import { toWgs84, isInChina, type Crs } from '../../../common/geo/crs.ts';
import { findSelfIntersection, pointInRings, rewind, ringStructureProblem, signedArea2, type Pos, type Ring } from './geometry.ts';
import { repairPolygon } from './repair.ts';

export interface PartsOptions {
  crs: Crs;
  repair?: { maxAreaChange: number };
  /** Output coordinates are rounded to this many decimals. */
  decimals: number;
}

export interface PartsResult {
  /** Converted, validated parts (each: exterior + holes), or null when the geometry was refused. */
  parts: Ring[][] | null;
  problems: string[];
  /** Repairs made, one line per repaired part. */
  repairs: string[];
  /** Positions outside China (where GCJ-02 / BD-09 offsets do not apply). */
  outsideChina: number;
}

/** Raw parts of a GeoJSON geometry, or why it is not a polygonal one. */
function rawPartsOf(g: { type?: unknown; coordinates?: unknown } | null): unknown[] | string {
  if (!g || typeof g !== 'object') return 'missing geometry';
  if (g.type === 'Polygon') return [g.coordinates];
  if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return 'MultiPolygon has no parts';
    return g.coordinates;
  }
  return `geometry type ${String(g.type)} (expected Polygon or MultiPolygon)`;
}

export function convertParts(geometry: unknown, opts: PartsOptions): PartsResult {
  const out: PartsResult = { parts: null, problems: [], repairs: [], outsideChina: 0 };
  const raw = rawPartsOf(geometry as { type?: unknown; coordinates?: unknown } | null);
  if (typeof raw === 'string') {
    out.problems.push(raw);
    return out;
  }
  const multi = raw.length > 1;
  const round = 10 ** opts.decimals;
  const parts: Ring[][] = [];
  raw.forEach((rawRings, pi) => {
    // Part numbers only when there is more than one, so a Polygon's messages read as before.
    const where = (what: string) => (multi ? `part ${pi + 1} ${what}` : what);
    if (!Array.isArray(rawRings) || rawRings.length === 0) {
      out.problems.push(multi ? `part ${pi + 1} has no rings` : 'polygon has no rings');
      return;
    }
    let ok = true;
    rawRings.forEach((r: unknown, ri) => {
      const why = ringStructureProblem(r);
      if (why) {
        ok = false;
        out.problems.push(`${where(ri === 0 ? 'exterior ring' : `hole ${ri}`)}: ${why}`);
      }
    });
    if (!ok) return;
    let rings: Ring[] = (rawRings as number[][][]).map((ring) =>
      ring.map((p): Pos => {
        const lng = p[0] as number;
        const lat = p[1] as number;
        if (!isInChina(lng, lat)) out.outsideChina++;
        const [x, y] = toWgs84(lng, lat, opts.crs);
        return [Math.round(x * round) / round, Math.round(y * round) / round];
      }),
    );
    if (opts.repair) {
      const fixed = repairPolygon(rings, opts.repair.maxAreaChange);
      if (!fixed.ok) {
        out.problems.push(`${multi ? `part ${pi + 1}: ` : ''}repair refused: ${fixed.reason}`);
        return;
      }
      rings = fixed.rings;
      if (fixed.report.fixes.length > 0) {
        const { fixes, removedVertices, droppedParts, areaChange } = fixed.report;
        out.repairs.push(
          `${multi ? `part ${pi + 1}: ` : ''}${fixes.join(' + ')} (${removedVertices} repeated vertices removed, ${droppedParts} parts dropped, area ${(areaChange * 100).toFixed(2)} % changed)`,
        );
      }
    }
    const hit = findSelfIntersection(rings);
    if (hit) out.problems.push(`${multi ? `part ${pi + 1}: ` : ''}self-intersection near (${hit[0].toFixed(7)}, ${hit[1].toFixed(7)})`);
    else if (rings.some((r) => signedArea2(r) === 0)) out.problems.push(multi ? `part ${pi + 1}: ring has zero area` : 'ring has zero area');
    else parts.push(rewind(rings));
  });
  if (out.problems.length > 0 || parts.length !== raw.length) return out;
  const between = partsProblem(parts);
  if (between) out.problems.push(between);
  else out.parts = parts;
  return out;
}

/** Why the parts of a MultiPolygon do not form one area (edges crossing, or a part inside another), or null. */
function partsProblem(parts: Ring[][]): string | null {
  if (parts.length < 2) return null;
  // Each part alone is simple, so any crossing or touching edge lies between two parts.
  const hit = findSelfIntersection(parts.flat());
  if (hit) return `parts cross or touch near (${hit[0].toFixed(7)}, ${hit[1].toFixed(7)})`;
  // Edges disjoint: a part overlaps another only by lying wholly inside it (not in one of its holes).
  for (let i = 0; i < parts.length; i++) {
    for (let j = 0; j < parts.length; j++) {
      if (i !== j && pointInRings(parts[i]![0]![0]!, parts[j]!)) return `part ${i + 1} lies inside part ${j + 1}`;
    }
  }
  return null;
}

import pointInPolygon from 'point-in-polygon-hao';
import type { Position } from 'geojson';
import { classifyCells, type CellTable } from './grid-cells.ts';
import { geometryBbox, ringsOf, type RegionGeometry } from './shape.ts';

export interface IndexedGrid {
  id: string;
  geometry: RegionGeometry;
}

/** Cells of the lookup table per grid: finer cells leave fewer of them on a boundary, at 4 bytes a cell. */
export const CELLS_PER_GRID = 24;
const EMPTY = -1;

export interface GridIndexStats {
  cols: number;
  rows: number;
  cells: number;
  /** Cells crossed by a grid edge: the only ones where a lookup runs a point-in-polygon test. */
  boundaryCells: number;
  /** Candidate entries listed for the boundary cells. */
  candidates: number;
  /** Bytes of the index's own typed arrays (the polygons themselves are shared with the caller). */
  bytes: number;
}

/**
 * Places WGS-84 points in grids through a uniform table of cells over the grids' extent, classified once
 * at build (grid-cells.ts): a cell no grid edge crosses lies wholly inside one grid (or in none), so its
 * points are answered by one array read; only a cell an edge crosses lists its candidate grids, sorted by
 * id, and runs the exact point-in-polygon test on them, stopping at the first hit. Answers are those of the
 * exact test over every grid: points on a shared edge or vertex belong to every polygon that touches them,
 * and the smallest grid id wins.
 */
export class GridIndex {
  private readonly grids: IndexedGrid[];
  private readonly rings: Position[][][];
  private readonly boxes: Float64Array;
  private readonly table: CellTable | null = null;

  /** `cellsPerGrid` sizes the cell table (tests use coarse tables to put many points in boundary cells). */
  constructor(grids: IndexedGrid[], cellsPerGrid = CELLS_PER_GRID) {
    this.grids = grids;
    // A MultiPolygon's parts become one flat ring list: the even-odd test over it is "in a part, not in its
    // holes" (parts never overlap), for both the exact test and the cell table, at the cost of a Polygon.
    this.rings = grids.map((g) => ringsOf(g.geometry));
    this.boxes = new Float64Array(grids.length * 4);
    if (grids.length === 0) return;
    grids.forEach((g, i) => this.boxes.set(geometryBbox(g.geometry), i * 4));
    const rank = new Int32Array(grids.length);
    grids
      .map((g, i) => ({ id: g.id, i }))
      .sort((p, q) => (p.id < q.id ? -1 : p.id > q.id ? 1 : 0))
      .forEach((p, r) => (rank[p.i] = r));
    this.table = classifyCells(this.rings, this.boxes, rank, Math.max(1, Math.round(grids.length * cellsPerGrid)));
  }

  get size(): number {
    return this.grids.length;
  }

  get stats(): GridIndexStats {
    const t = this.table;
    if (!t) return { cols: 0, rows: 0, cells: 0, boundaryCells: 0, candidates: 0, bytes: this.boxes.byteLength };
    return {
      cols: t.cols,
      rows: t.rows,
      cells: t.cls.length,
      boundaryCells: t.start.length - 1,
      candidates: t.items.length,
      bytes: this.boxes.byteLength + t.cls.byteLength + t.start.byteLength + t.items.byteLength,
    };
  }

  /** Id of the grid containing (lng, lat), or null outside every grid. */
  locate(lng: number, lat: number): string | null {
    const t = this.table;
    // Outside the grids' extent (or NaN) is outside every grid.
    if (t === null || !(lng >= t.minX && lng <= t.maxX && lat >= t.minY && lat <= t.maxY)) return null;
    // The far edges (x = maxX, y = maxY) fall in the last column / row.
    const c = Math.min(t.cols - 1, Math.floor((lng - t.minX) / t.cellW));
    const r = Math.min(t.rows - 1, Math.floor((lat - t.minY) / t.cellH));
    const v = t.cls[r * t.cols + c]!;
    if (v >= 0) return this.grids[v]!.id;
    if (v === EMPTY) return null;
    const j = -v - 2;
    const boxes = this.boxes;
    let p: number[] | null = null;
    for (let k = t.start[j]!, end = t.start[j + 1]!; k < end; k++) {
      const i = t.items[k]!;
      const o = i * 4;
      if (lng < boxes[o]! || lat < boxes[o + 1]! || lng > boxes[o + 2]! || lat > boxes[o + 3]!) continue;
      p ??= [lng, lat];
      // Candidates are sorted by grid id: the first polygon that holds the point is the answer.
      if (pointInPolygon(p, this.rings[i]!) !== false) return this.grids[i]!.id;
    }
    return null;
  }
}

import type { Position } from 'geojson';

/**
 * The cell table behind GridIndex. Each cell of a uniform table over the grids' extent is
 *  - a grid index (≥ 0): no grid edge comes near the cell, and that grid (the smallest id among those
 *    holding it) holds the whole cell;
 *  - EMPTY (-1): no edge comes near it and no grid holds it;
 *  - a boundary cell (≤ -2, number -v - 2): an edge may cross it; its candidate grids (every grid whose box
 *    meets it, sorted by id) are items[start[n]] … items[start[n + 1] - 1].
 * Exactness: a point is placed in the cell by floating-point division, so it may sit a rounding error
 * outside the cell's exact rectangle. Every cell an edge comes within EPS of (a million times larger than
 * any such error) is a boundary cell, and the edge test errs only towards "boundary". A polygon's inside
 * changes only across its edges, so a cell no edge reaches has one answer for all its points, taken at its
 * centre by an even-odd scanline.
 */
export interface CellTable {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  cols: number;
  rows: number;
  cellW: number;
  cellH: number;
  cls: Int32Array;
  start: Int32Array;
  items: Int32Array;
}

const EMPTY = -1;
const BOUNDARY = -2;

export function classifyCells(rings: Position[][][], boxes: Float64Array, rank: Int32Array, cellCount: number): CellTable {
  const n = rings.length;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, boxes[i * 4]!);
    minY = Math.min(minY, boxes[i * 4 + 1]!);
    maxX = Math.max(maxX, boxes[i * 4 + 2]!);
    maxY = Math.max(maxY, boxes[i * 4 + 3]!);
  }
  const w = maxX - minX, h = maxY - minY;
  // Cells about square in degrees.
  const cols = Math.max(1, Math.round(Math.sqrt((cellCount * (w || 1)) / (h || 1))));
  const rows = Math.max(1, Math.ceil(cellCount / cols));
  const cellW = w / cols || 1;
  const cellH = h / rows || 1;
  const eps = 1e-6 * Math.min(cellW, cellH);
  const col = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor((x - minX) / cellW)));
  const row = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - minY) / cellH)));
  const cls = new Int32Array(cols * rows).fill(EMPTY);

  // 1. Boundary cells: every cell within 2·EPS of an edge, by its box, then by which side of the edge's line
  // the corners of the (2·EPS larger) cell fall. An edge through the EPS-larger cell leaves a corner at least
  // EPS·length on each side; the threshold of half that keeps rounding on the safe side.
  const pad = 2 * eps;
  for (const poly of rings) {
    for (const ring of poly) {
      for (let k = 0; k + 1 < ring.length; k++) {
        const ax = ring[k]![0]!, ay = ring[k]![1]!, bx = ring[k + 1]![0]!, by = ring[k + 1]![1]!;
        const c0 = col(Math.min(ax, bx) - pad), c1 = col(Math.max(ax, bx) + pad);
        const r0 = row(Math.min(ay, by) - pad), r1 = row(Math.max(ay, by) + pad);
        const straight = c0 === c1 || r0 === r1; // one column or row: the edge meets every cell of its box
        const dx = bx - ax, dy = by - ay;
        const thr = 0.5 * eps * Math.hypot(dx, dy);
        for (let r = r0; r <= r1; r++) {
          const y0 = minY + r * cellH - pad - ay, y1 = minY + (r + 1) * cellH + pad - ay;
          for (let c = c0; c <= c1; c++) {
            if (!straight) {
              const x0 = minX + c * cellW - pad - ax, x1 = minX + (c + 1) * cellW + pad - ax;
              const o1 = dx * y0 - dy * x0, o2 = dx * y0 - dy * x1, o3 = dx * y1 - dy * x0, o4 = dx * y1 - dy * x1;
              if ((o1 > thr && o2 > thr && o3 > thr && o4 > thr) || (o1 < -thr && o2 < -thr && o3 < -thr && o4 < -thr)) continue;
            }
            cls[r * cols + c] = BOUNDARY;
          }
        }
      }
    }
  }

  // 2. Every other cell: the grids holding its centre, by an even-odd scanline along each row of cell centres.
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    for (let r = row(boxes[o + 1]!), rEnd = row(boxes[o + 3]!); r <= rEnd; r++) {
      const yc = minY + (r + 0.5) * cellH;
      xs.length = 0;
      for (const ring of rings[i]!) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const ax = ring[k]![0]!, ay = ring[k]![1]!, bx = ring[k + 1]![0]!, by = ring[k + 1]![1]!;
          if (ay > yc !== by > yc) xs.push(ax + ((yc - ay) * (bx - ax)) / (by - ay));
        }
      }
      xs.sort((a, b) => a - b);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const cStart = Math.max(0, Math.ceil((xs[k]! - minX) / cellW - 0.5));
        const cEnd = Math.min(cols - 1, Math.floor((xs[k + 1]! - minX) / cellW - 0.5));
        for (let c = cStart; c <= cEnd; c++) {
          const v = cls[r * cols + c]!;
          if (v === BOUNDARY) continue;
          if (v === EMPTY || rank[i]! < rank[v]!) cls[r * cols + c] = i;
        }
      }
    }
  }

  // 3. Number the boundary cells and list their candidates: every grid whose box comes within 2·EPS.
  let boundary = 0;
  for (let c = 0; c < cls.length; c++) if (cls[c] === BOUNDARY) cls[c] = -2 - boundary++;
  const start = new Int32Array(boundary + 1);
  const eachBoundaryCell = (i: number, f: (n: number) => void) => {
    const o = i * 4;
    for (let r = row(boxes[o + 1]! - pad), r1 = row(boxes[o + 3]! + pad); r <= r1; r++) {
      for (let c = col(boxes[o]! - pad), c1 = col(boxes[o + 2]! + pad); c <= c1; c++) {
        const v = cls[r * cols + c]!;
        if (v <= BOUNDARY) f(-v - 2);
      }
    }
  };
  for (let i = 0; i < n; i++) eachBoundaryCell(i, (b) => start[b + 1]!++);
  for (let b = 1; b <= boundary; b++) start[b]! += start[b - 1]!;
  const items = new Int32Array(start[boundary]!);
  const fill = start.slice(0, boundary);
  for (let i = 0; i < n; i++) eachBoundaryCell(i, (b) => (items[fill[b]!++] = i));
  // Sort each list by grid id (lists are short: insertion sort).
  for (let b = 0; b < boundary; b++) {
    for (let k = start[b]! + 1; k < start[b + 1]!; k++) {
      const item = items[k]!;
      let m = k - 1;
      while (m >= start[b]! && rank[items[m]!]! > rank[item]!) {
        items[m + 1] = items[m]!;
        m--;
      }
      items[m + 1] = item;
    }
  }
  return { minX, minY, maxX, maxY, cols, rows, cellW, cellH, cls, start, items };
}

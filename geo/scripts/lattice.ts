/**
 * The district is built on a jittered lattice of shared vertices: every region is a set of lattice
 * cells, so neighbouring regions share the very same (rounded) vertex coordinates along their edges.
 */
import type { Rng } from './rng.ts';

export const CELL_METRES = 80;
const METRES_PER_DEG_LAT = 111_320;

export interface Lattice {
  /** Cells per row and per column. */
  nx: number;
  ny: number;
  /** Vertex coordinates, index j * (nx + 1) + i, already rounded to 6 decimals. */
  lng: Float64Array;
  lat: Float64Array;
  /** 1 for cells inside the district. */
  inside: Uint8Array;
  /** Indices of the district's cells, row by row. */
  cells: number[];
  /** The cell whose centre is the dataset centre. */
  centreCell: number;
  /** Lattice lines kept straight for roads: rows (horizontal lines j) and columns (vertical lines i). */
  roadRows: number[];
  roadCols: number[];
}

export const round6 = (v: number): number => Math.round(v * 1e6) / 1e6;

export interface LatticeOptions {
  cells: number;
  centre: { lng: number; lat: number };
  roadSpacing: number;
}

/** Row intervals [left, right) of a rounded blob; consecutive rows overlap, so the blob is one simple polygon. */
function districtRows(rng: Rng, nx: number, ny: number, margin: number): Array<[number, number]> {
  const w = nx - 2 * margin;
  const phases = [rng.float(0, 6.3), rng.float(0, 6.3), rng.float(0, 6.3), rng.float(0, 6.3)];
  const rows: Array<[number, number]> = [];
  for (let y = 0; y < ny; y++) {
    const t = (y + 0.5) / ny;
    const taper = 0.32 * w * (1 - Math.sin(Math.PI * t)) ** 2;
    const wobL = 0.06 * w * (Math.sin(2 * Math.PI * 1.3 * t + phases[0]!) + 0.5 * Math.sin(2 * Math.PI * 2.7 * t + phases[1]!));
    const wobR = 0.06 * w * (Math.sin(2 * Math.PI * 1.1 * t + phases[2]!) + 0.5 * Math.sin(2 * Math.PI * 3.1 * t + phases[3]!));
    let l = Math.round(margin + 0.09 * w + taper + wobL);
    let r = Math.round(nx - margin - 0.09 * w - taper + wobR);
    l = Math.max(0, l);
    r = Math.min(nx, Math.max(r, l + 3));
    rows.push([l, r]);
  }
  // Enforce an overlap of at least two cells between consecutive rows (no pinch, no split).
  for (let y = 1; y < ny; y++) {
    const prev = rows[y - 1]!;
    const cur = rows[y]!;
    if (cur[0] > prev[1] - 2) cur[0] = prev[1] - 2;
    if (cur[1] < prev[0] + 2) cur[1] = prev[0] + 2;
  }
  return rows;
}

export function buildLattice(rng: Rng, opts: LatticeOptions): Lattice {
  const aspect = 1.25;
  const ny = Math.max(6, Math.round(Math.sqrt(opts.cells / aspect / 0.78)));
  const nx = Math.max(6, Math.round(ny * aspect));
  const rowsIv = districtRows(rng.fork('rows'), nx, ny, 0);
  const inside = new Uint8Array(nx * ny);
  const cells: number[] = [];
  for (let y = 0; y < ny; y++) {
    const [l, r] = rowsIv[y]!;
    for (let x = l; x < r; x++) {
      inside[y * nx + x] = 1;
      cells.push(y * nx + x);
    }
  }
  const cy = Math.floor(ny / 2);
  const [cl, cr] = rowsIv[cy]!;
  const cx = Math.floor((cl + cr) / 2);
  const centreCell = cy * nx + cx;

  // Road lines: through the centre cell's bottom edge and left edge, then every `roadSpacing` lines.
  const sp = opts.roadSpacing;
  const roadRows: number[] = [];
  const roadCols: number[] = [];
  for (let j = cy % sp; j <= ny; j += sp) if (j > 0 && j < ny) roadRows.push(j);
  for (let i = (cx + 4) % sp; i <= nx; i += sp) if (i > 0 && i < nx) roadCols.push(i);
  const onRoadRow = new Uint8Array(ny + 1);
  const onRoadCol = new Uint8Array(nx + 1);
  for (const j of roadRows) onRoadRow[j] = 1;
  for (const i of roadCols) onRoadCol[i] = 1;

  // Smooth warp (|gradient| < 0.12 cell per cell) plus per-vertex jitter of at most 0.18 cell.
  const jr = rng.fork('jitter');
  const wp = [rng.float(0, 6.3), rng.float(0, 6.3), rng.float(0, 6.3)];
  const nv = (nx + 1) * (ny + 1);
  const fx = new Float64Array(nv);
  const fy = new Float64Array(nv);
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) {
      const k = j * (nx + 1) + i;
      const wx = 1.4 * Math.sin((2 * Math.PI * j) / 80 + wp[0]!) + 0.8 * Math.sin((2 * Math.PI * (i + j)) / 95 + wp[2]!);
      const wy = 1.4 * Math.sin((2 * Math.PI * i) / 85 + wp[1]!);
      const jx = onRoadCol[i] ? 0 : jr.float(-0.18, 0.18);
      const jy = onRoadRow[j] ? 0 : jr.float(-0.18, 0.18);
      fx[k] = i + wx + jx;
      fy[k] = j + wy + jy;
    }
  }
  const dLat = CELL_METRES / METRES_PER_DEG_LAT;
  const dLng = dLat / Math.cos((opts.centre.lat * Math.PI) / 180);
  // Translate so that the centre cell's bilinear centre lands exactly on the requested centre.
  const c0 = cx + cy * (nx + 1);
  const corners = [c0, c0 + 1, c0 + nx + 2, c0 + nx + 1];
  let mx = 0;
  let my = 0;
  for (const k of corners) {
    mx += fx[k]! / 4;
    my += fy[k]! / 4;
  }
  const lng = new Float64Array(nv);
  const lat = new Float64Array(nv);
  for (let k = 0; k < nv; k++) {
    lng[k] = round6(opts.centre.lng + (fx[k]! - mx) * dLng);
    lat[k] = round6(opts.centre.lat + (fy[k]! - my) * dLat);
  }
  return { nx, ny, lng, lat, inside, cells, centreCell, roadRows, roadCols };
}

/** Vertex indices of a cell's corners: bottom-left, bottom-right, top-right, top-left (counter-clockwise). */
export function cellCorners(lat: Lattice, cell: number): [number, number, number, number] {
  const x = cell % lat.nx;
  const y = (cell - x) / lat.nx;
  const bl = y * (lat.nx + 1) + x;
  return [bl, bl + 1, bl + lat.nx + 2, bl + lat.nx + 1];
}

/** Bilinear point (u, v in [0, 1]) inside a cell, rounded to 6 decimals. */
export function cellPoint(lat: Lattice, cell: number, u: number, v: number): [number, number] {
  const [a, b, c, d] = cellCorners(lat, cell);
  const w = [(1 - u) * (1 - v), u * (1 - v), u * v, (1 - u) * v];
  const ks = [a, b, c, d];
  let x = 0;
  let y = 0;
  for (let n = 0; n < 4; n++) {
    x += w[n]! * lat.lng[ks[n]!]!;
    y += w[n]! * lat.lat[ks[n]!]!;
  }
  return [round6(x), round6(y)];
}

/**
 * Boundary of a cell set as one counter-clockwise ring of vertex indices (closed: first = last).
 * Throws when the set is not one simple polygon without holes (several loops or a pinch vertex).
 */
export function traceRing(lat: Lattice, cells: readonly number[], member: (cell: number) => boolean): number[] {
  const { nx, ny } = lat;
  const next = new Map<number, number>();
  const add = (from: number, to: number): void => {
    if (next.has(from)) throw new Error(`pinch vertex ${from}`);
    next.set(from, to);
  };
  const has = (x: number, y: number): boolean => x >= 0 && y >= 0 && x < nx && y < ny && member(y * nx + x);
  for (const cell of cells) {
    const x = cell % nx;
    const y = (cell - x) / nx;
    const [bl, br, tr, tl] = cellCorners(lat, cell);
    if (!has(x, y - 1)) add(bl, br);
    if (!has(x + 1, y)) add(br, tr);
    if (!has(x, y + 1)) add(tr, tl);
    if (!has(x - 1, y)) add(tl, bl);
  }
  let start = Infinity;
  for (const k of next.keys()) if (k < start) start = k;
  const ring = [start];
  let cur = next.get(start);
  while (cur !== undefined && cur !== start) {
    ring.push(cur);
    if (ring.length > next.size) throw new Error('boundary does not close');
    cur = next.get(cur);
  }
  if (cur === undefined) throw new Error('open boundary');
  if (ring.length !== next.size) throw new Error(`region has ${next.size - ring.length} boundary edges off its outer ring (hole or split)`);
  ring.push(start);
  return ring;
}

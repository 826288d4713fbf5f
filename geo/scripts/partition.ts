/**
 * Splits a simple cell set into k simple, hole-free, 4-connected children by balanced region growing.
 * A cell joins a child only if it is a "simple point" for it (its 8-neighbours inside the child form a
 * single run touching it by an edge), which keeps every child one simple polygon at every step.
 */
import { MinHeap } from './heap.ts';
import type { Lattice } from './lattice.ts';
import type { Rng } from './rng.ts';

const DX = [1, 1, 0, -1, -1, -1, 0, 1];
const DY = [0, 1, 1, 1, 0, -1, -1, -1];

export interface PartitionInput {
  lattice: Lattice;
  /** Cells of the parent. */
  cells: readonly number[];
  /** Relative target size of each child. */
  weights: readonly number[];
  /** Wished minimal cell count of each child (relaxed after many failed attempts). */
  minCells: readonly number[];
  /** Hard minimal cell count of each child (e.g. its own number of children). */
  hardMin: readonly number[];
  /** Owner array of this level, -1 for unassigned; children are written as base + index. */
  owner: Int32Array;
  base: number;
}

function canJoin(lat: Lattice, owner: Int32Array, cell: number, r: number): boolean {
  const { nx, ny } = lat;
  const x = cell % nx;
  const y = (cell - x) / nx;
  let mask = 0;
  for (let d = 0; d < 8; d++) {
    const xx = x + DX[d]!;
    const yy = y + DY[d]!;
    if (xx >= 0 && yy >= 0 && xx < nx && yy < ny && owner[yy * nx + xx] === r) mask |= 1 << d;
  }
  if ((mask & 0b01010101) === 0 || mask === 0xff) return false;
  let runs = 0;
  for (let d = 0; d < 8; d++) if (mask & (1 << d) && !(mask & (1 << ((d + 1) & 7)))) runs++;
  return runs === 1;
}

/** Integer hash of a cell to [0, 1): no transcendental functions, so identical on every platform. */
function cellNoise(cell: number, salt: number): number {
  let h = Math.imul(cell ^ salt, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}

function partitionOnce(inp: PartitionInput, rng: Rng, inParent: Uint8Array): number[][] | null {
  const { lattice: lat, cells, weights, owner, base } = inp;
  const { nx, ny } = lat;
  const k = weights.length;
  // Seeds: best-candidate sampling for an even spread.
  const seeds: number[] = [];
  const sx: number[] = [];
  const sy: number[] = [];
  for (let s = 0; s < k; s++) {
    let best = -1;
    let bestD = -1;
    const tries = s === 0 ? 1 : 24;
    for (let t = 0; t < tries; t++) {
      const c = cells[Math.floor(rng.next() * cells.length)]!;
      if (owner[c] !== -1) continue;
      const x = c % nx;
      const y = (c - x) / nx;
      let dmin = Infinity;
      for (let q = 0; q < seeds.length; q++) dmin = Math.min(dmin, (x - sx[q]!) ** 2 + (y - sy[q]!) ** 2);
      if (dmin > bestD) {
        bestD = dmin;
        best = c;
      }
    }
    if (best < 0) return null;
    seeds.push(best);
    sx.push(best % nx);
    sy.push(Math.floor(best / nx));
    owner[best] = base + s;
  }
  const members: number[][] = seeds.map((c) => [c]);
  const heaps = seeds.map(() => new MinHeap());
  const cosT: number[] = [];
  const sinT: number[] = [];
  const stretch: number[] = [];
  for (let s = 0; s < k; s++) {
    const th = rng.float(0, Math.PI);
    cosT.push(Math.cos(th));
    sinT.push(Math.sin(th));
    stretch.push(rng.float(0.7, 1.4));
  }
  const noise = Math.floor(rng.next() * 4294967296);
  const cost = (s: number, c: number): number => {
    const x = c % nx;
    const y = (c - x) / nx;
    const dx = x - sx[s]!;
    const dy = y - sy[s]!;
    const a = dx * cosT[s]! + dy * sinT[s]!;
    const b = -dx * sinT[s]! + dy * cosT[s]!;
    return ((a * a) / stretch[s]! + b * b * stretch[s]!) * (0.75 + 0.5 * cellNoise(c, noise));
  };
  const pushNeighbours = (s: number, c: number): void => {
    const x = c % nx;
    const y = (c - x) / nx;
    for (let d = 0; d < 8; d++) {
      const xx = x + DX[d]!;
      const yy = y + DY[d]!;
      if (xx < 0 || yy < 0 || xx >= nx || yy >= ny) continue;
      const n = yy * nx + xx;
      if (inParent[n] && owner[n] === -1) heaps[s]!.push(cost(s, n), n);
    }
  };
  const regions = new MinHeap();
  for (let s = 0; s < k; s++) {
    pushNeighbours(s, seeds[s]!);
    regions.push(1 / weights[s]!, s);
  }
  let assigned = k;
  while (regions.size > 0) {
    const s = regions.pop();
    const heap = heaps[s]!;
    let got = -1;
    while (heap.size > 0) {
      const c = heap.pop();
      if (owner[c] === -1 && canJoin(lat, owner, c, base + s)) {
        got = c;
        break;
      }
    }
    if (got < 0) continue; // this child cannot grow any more
    owner[got] = base + s;
    members[s]!.push(got);
    assigned++;
    pushNeighbours(s, got);
    regions.push(members[s]!.length / weights[s]!, s);
  }
  if (assigned !== cells.length) return null;
  for (let s = 0; s < k; s++) if (members[s]!.length < inp.minCells[s]!) return null;
  return members;
}

/** Partitions the parent, retrying with fresh seeds until every cell is placed and sizes are acceptable. */
export function partition(inp: PartitionInput, rng: Rng, inParent: Uint8Array): number[][] {
  for (let attempt = 0; attempt < 200; attempt++) {
    const relax = attempt < 40 ? 1 : attempt < 100 ? 0.6 : 0.3;
    const res = partitionOnce({ ...inp, minCells: inp.minCells.map((m, s) => Math.max(1, inp.hardMin[s]!, Math.floor(m * relax))) }, rng, inParent);
    if (res) return res;
    for (const c of inp.cells) inp.owner[c] = -1;
  }
  throw new Error(`could not partition ${inp.cells.length} cells into ${inp.weights.length} regions`);
}

import pointInPolygon from 'point-in-polygon-hao';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { BUNDLED_GEO_DIR, readRegions } from '#server/geo/dataset';
import { generateDataset } from '#geo/scripts/dataset.ts';
import { GridIndex } from '#server/geo/grid-index';
import { Regions } from '#server/geo/regions';
import { partsOf, ringsOf, type RegionGeometry } from '#server/geo/shape';

const square = (x: number, y: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]],
});

// Four unit squares around (1, 1), ids chosen so that the smallest is not the first added.
const index = new GridIndex([
  { id: '510108001001004', geometry: square(1, 1) },
  { id: '510108001001002', geometry: square(1, 0) },
  { id: '510108001001003', geometry: square(0, 1) },
  { id: '510108001001001', geometry: square(0, 0) },
]);

describe('grid lookup', () => {
  it('places interior points in their grid', () => {
    expect(index.locate(0.5, 0.5)).toBe('510108001001001');
    expect(index.locate(1.5, 0.5)).toBe('510108001001002');
    expect(index.locate(1.5, 1.5)).toBe('510108001001004');
  });

  it('gives a point on a shared edge to the smallest grid id, whatever the order', () => {
    expect(index.locate(1, 0.5)).toBe('510108001001001');
    expect(index.locate(1.5, 1)).toBe('510108001001002');
  });

  it('gives a vertex shared by four grids to the smallest id', () => {
    expect(index.locate(1, 1)).toBe('510108001001001');
    expect(index.locate(2, 2)).toBe('510108001001004');
  });

  it('answers null outside every grid, and for nonsense input', () => {
    expect(index.locate(2.0001, 0.5)).toBeNull();
    expect(index.locate(-1, -1)).toBeNull();
    expect(index.locate(Number.NaN, 0)).toBeNull();
    expect(new GridIndex([]).locate(0, 0)).toBeNull();
  });

  it('agrees with a brute-force search on the demo district, edges and vertices included', () => {
    const regions = new Regions(readRegions(BUNDLED_GEO_DIR));
    const grids = regions.features.filter((f) => f.properties.level === 'grid');
    const brute = (lng: number, lat: number) =>
      grids
        .filter((g) => partsOf(g.geometry).some((part) => pointInPolygon([lng, lat], part) !== false))
        .map((g) => g.properties.id)
        .sort()[0] ?? null;
    const points: [number, number][] = [];
    // Every vertex of the first 40 grids (shared by up to four grids), and a lattice over the bbox and beyond.
    for (const g of grids.slice(0, 40)) for (const [x, y] of ringsOf(g.geometry).flat()) points.push([x!, y!]);
    for (let i = 0; i <= 40; i++) for (let j = 0; j <= 40; j++) points.push([104.0 + i * 0.0045, 30.6 + j * 0.0035]);
    let inside = 0;
    for (const [x, y] of points) {
      const expected = brute(x, y);
      expect(regions.grids.locate(x, y), `${x},${y}`).toBe(expected);
      if (expected) inside++;
    }
    expect(inside).toBeGreaterThan(200);
    expect(inside).toBeLessThan(points.length);
    const zhiqiang = regions.locate(104.1, 30.67);
    expect(zhiqiang.path.map((p) => p.name)).toContain('志强社区');
  });
});

describe('grid lookup cell table', () => {
  // xorshift: the same points on every run.
  let s = 0x2545f491;
  const rnd = () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  // The exact rule, part by part: a point is in a grid when it is in one of its parts (edges included), outside that part's holes.
  const inGrid = (g: RegionGeometry, lng: number, lat: number) => partsOf(g).some((part) => pointInPolygon([lng, lat], part) !== false);
  const bruteOver = (grids: { id: string; geometry: RegionGeometry }[]) => (lng: number, lat: number) => {
    let best: string | null = null;
    for (const g of grids) if ((best === null || g.id < best) && inGrid(g.geometry, lng, lat)) best = g.id;
    return best;
  };

  /** Random points, every vertex, points on edges, points a hair either side of them, and the table's cell lines. */
  function probePoints(grids: { geometry: RegionGeometry }[], cols: number, rows: number, count: number): [number, number][] {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const g of grids) for (const [x, y] of ringsOf(g.geometry).flat()) {
      minX = Math.min(minX, x!); minY = Math.min(minY, y!); maxX = Math.max(maxX, x!); maxY = Math.max(maxY, y!);
    }
    const w = maxX - minX, h = maxY - minY;
    const pts: [number, number][] = [];
    for (let i = 0; i < count; i++) pts.push([minX - 0.02 * w + rnd() * 1.04 * w, minY - 0.02 * h + rnd() * 1.04 * h]);
    for (const g of grids.slice(0, 40)) {
      for (const ring of ringsOf(g.geometry)) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const [ax, ay] = ring[k]! as [number, number];
          const [bx, by] = ring[k + 1]! as [number, number];
          pts.push([ax, ay]);
          for (const t of [0.5, rnd()]) {
            const x = ax + (bx - ax) * t, y = ay + (by - ay) * t;
            pts.push([x, y]);
            for (const d of [1e-13, 1e-10, 1e-7]) pts.push([x + d, y], [x - d, y], [x, y + d], [x, y - d]);
          }
        }
      }
    }
    // On the cell lines and corners of the table, where a point's cell comes from a rounded division.
    for (let c = 0; c <= cols; c += Math.max(1, Math.floor(cols / 60))) {
      for (let r = 0; r <= rows; r += Math.max(1, Math.floor(rows / 60))) pts.push([minX + (c * w) / cols, minY + (r * h) / rows]);
    }
    pts.push([maxX, maxY], [minX, minY], [maxX, minY], [minX, maxY]);
    return pts;
  }

  it.each([1, 24, 200])('answers as the exact test over every grid on a generated city (%d cells per grid)', (cellsPerGrid) => {
    const data = generateDataset({ grids: 300, details: false });
    const grids = data.regions.features.filter((f) => f.properties.level === 'grid').map((f) => ({ id: f.properties.id, geometry: f.geometry }));
    const idx = new GridIndex(grids, cellsPerGrid);
    const brute = bruteOver(grids);
    const { cols, rows, boundaryCells, cells } = idx.stats;
    expect(boundaryCells).toBeLessThan(cells);
    let inside = 0;
    const wrong: string[] = [];
    for (const [x, y] of probePoints(grids, cols, rows, 8_000)) {
      const expected = brute(x, y);
      if (idx.locate(x, y) !== expected) wrong.push(`${x},${y}: ${idx.locate(x, y)} ≠ ${expected}`);
      if (expected) inside++;
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(inside).toBeGreaterThan(4_000);
  }, 60_000);

  it('answers as the exact test where grids overlap, nest, have holes or slant', () => {
    const ring = (pts: number[][]) => [...pts, pts[0]!];
    const grids = [
      // A big square with a square hole, a smaller square overlapping it with a smaller id, a triangle inside the hole.
      { id: 'g5', geometry: { type: 'Polygon', coordinates: [ring([[0, 0], [10, 0], [10, 10], [0, 10]]), ring([[3, 3], [3, 7], [7, 7], [7, 3]])] } },
      { id: 'g2', geometry: { type: 'Polygon', coordinates: [ring([[8, 8], [14, 8], [14, 14], [8, 14]])] } },
      { id: 'g9', geometry: { type: 'Polygon', coordinates: [ring([[4, 4], [6, 4.3], [5, 6.7]])] } },
      { id: 'g1', geometry: { type: 'Polygon', coordinates: [ring([[11, 0.5], [13.7, 2.9], [12.1, 6.3], [10.4, 3.3]])] } },
    ] as { id: string; geometry: Polygon }[];
    const brute = bruteOver(grids);
    const wrong: string[] = [];
    for (const cellsPerGrid of [0.5, 8, 300]) {
      const idx = new GridIndex(grids, cellsPerGrid);
      const { cols, rows } = idx.stats;
      for (const [x, y] of probePoints(grids, cols, rows, 8_000)) if (idx.locate(x, y) !== brute(x, y)) wrong.push(`${x},${y} (${cellsPerGrid})`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(new GridIndex(grids).locate(5, 5)).toBe('g9');
    expect(new GridIndex(grids).locate(5, 3.5)).toBeNull();
    expect(new GridIndex(grids).locate(9, 9)).toBe('g2');
  }, 60_000);

  it('answers as the exact test, part by part, where grids are MultiPolygons', () => {
    // A generated city where every 5th grid also owns a far-away grid's polygon as a second part (an exclave).
    const data = generateDataset({ grids: 300, details: false });
    const polys = data.regions.features.filter((f) => f.properties.level === 'grid').map((f) => ({ id: f.properties.id, geometry: f.geometry as Polygon }));
    const half = Math.floor(polys.length / 2);
    const taken = new Set<number>();
    const grids: { id: string; geometry: RegionGeometry }[] = [];
    polys.forEach((g, i) => {
      if (taken.has(i)) return;
      if (i % 5 === 0 && i + half < polys.length) {
        taken.add(i + half);
        const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: [g.geometry.coordinates, polys[i + half]!.geometry.coordinates] };
        grids.push({ id: g.id, geometry });
      } else grids.push(g);
    });
    const multis = grids.filter((g) => g.geometry.type === 'MultiPolygon');
    expect(multis.length).toBeGreaterThan(20);
    const brute = bruteOver(grids);
    for (const cellsPerGrid of [1, 24]) {
      const idx = new GridIndex(grids, cellsPerGrid);
      const { cols, rows } = idx.stats;
      const wrong: string[] = [];
      // Probe the multi-part grids first, so their edges (and their exclaves' edges) are all on the list.
      for (const [x, y] of probePoints([...multis, ...grids], cols, rows, 6_000)) {
        if (idx.locate(x, y) !== brute(x, y)) wrong.push(`${x},${y}: ${idx.locate(x, y)} ≠ ${brute(x, y)} (${cellsPerGrid})`);
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      // Each part of a multi-part grid answers that grid, from the exact test and the cell table alike.
      for (const g of multis.slice(0, 10)) {
        for (const part of partsOf(g.geometry)) {
          const [x0, y0, x1, y1] = [0, 1, 0, 1].map((k, j) => (j < 2 ? Math.min : Math.max)(...part[0]!.map((p) => p[k]!)));
          const c: [number, number] = [(x0! + x1!) / 2, (y0! + y1!) / 2];
          if (brute(...c) === g.id) expect(idx.locate(...c)).toBe(g.id);
        }
      }
    }
  }, 60_000);

  it('respects holes and islands in holes of a MultiPolygon grid', () => {
    const ring = (pts: number[][]) => [...pts, pts[0]!];
    const sq = (x0: number, y0: number, x1: number, y1: number) => ring([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]);
    const grids: { id: string; geometry: RegionGeometry }[] = [
      // Part 1: a square with a hole; part 2: an island inside that hole; part 3: an exclave far away.
      { id: 'm5', geometry: { type: 'MultiPolygon', coordinates: [[sq(0, 0, 10, 10), sq(2, 2, 8, 8)], [sq(4, 4, 6, 6)], [ring([[20, 0], [24, 1], [21, 4]])]] } },
      // Another grid in the ring between the hole and the island.
      { id: 'm7', geometry: { type: 'Polygon', coordinates: [sq(2.5, 2.5, 3.5, 3.5)] } },
    ];
    const brute = bruteOver(grids);
    const wrong: string[] = [];
    for (const cellsPerGrid of [0.5, 8, 300]) {
      const idx = new GridIndex(grids, cellsPerGrid);
      const { cols, rows } = idx.stats;
      for (const [x, y] of probePoints(grids, cols, rows, 8_000)) if (idx.locate(x, y) !== brute(x, y)) wrong.push(`${x},${y} (${cellsPerGrid})`);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    const idx = new GridIndex(grids);
    expect(idx.locate(1, 1)).toBe('m5'); // part 1
    expect(idx.locate(5, 5)).toBe('m5'); // the island in the hole
    expect(idx.locate(21.5, 1.5)).toBe('m5'); // the exclave
    expect(idx.locate(7, 7)).toBeNull(); // the hole
    expect(idx.locate(3, 3)).toBe('m7'); // another grid in the hole
    expect(idx.locate(15, 5)).toBeNull(); // between the parts
  }, 60_000);
});

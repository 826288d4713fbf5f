import pointInPolygon from 'point-in-polygon-hao';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { BUNDLED_GEO_DIR, readRegions } from '#server/geo/dataset';
import { generateDataset } from '#geo/scripts/dataset.ts';
import { GridIndex } from '#server/geo/grid-index';
import { Regions } from '#server/geo/regions';

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
        .filter((g) => pointInPolygon([lng, lat], g.geometry.coordinates) !== false)
        .map((g) => g.properties.id)
        .sort()[0] ?? null;
    const points: [number, number][] = [];
    // Every vertex of the first 40 grids (shared by up to four grids), and a lattice over the bbox and beyond.
    for (const g of grids.slice(0, 40)) for (const [x, y] of g.geometry.coordinates[0]!) points.push([x!, y!]);
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
  const bruteOver = (grids: { id: string; geometry: Polygon }[]) => (lng: number, lat: number) => {
    let best: string | null = null;
    for (const g of grids) if ((best === null || g.id < best) && pointInPolygon([lng, lat], g.geometry.coordinates) !== false) best = g.id;
    return best;
  };

  /** Random points, every vertex, points on edges, points a hair either side of them, and the table's cell lines. */
  function probePoints(grids: { geometry: Polygon }[], cols: number, rows: number, count: number): [number, number][] {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const g of grids) for (const [x, y] of g.geometry.coordinates[0]!) {
      minX = Math.min(minX, x!); minY = Math.min(minY, y!); maxX = Math.max(maxX, x!); maxY = Math.max(maxY, y!);
    }
    const w = maxX - minX, h = maxY - minY;
    const pts: [number, number][] = [];
    for (let i = 0; i < count; i++) pts.push([minX - 0.02 * w + rnd() * 1.04 * w, minY - 0.02 * h + rnd() * 1.04 * h]);
    for (const g of grids.slice(0, 40)) {
      for (const ring of g.geometry.coordinates) {
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
});

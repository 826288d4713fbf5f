/**
 * Point-to-grid lookups per second at city scale: GridIndex (a cell table classified at build: inside one
 * grid, empty, or boundary, where only the candidate polygons are tested) over the 30,000-grid synthetic
 * city, random WGS-84 points in its bounding box. Beside it, in the same run, the index before the cell
 * table: flatbush over bounding boxes + the same point-in-polygon test on every candidate. Budget (DESIGN):
 * ≥ 500,000 points/s; issue 14: ≥ 1,000,000.
 */
import { generateDataset } from '../../geo/scripts/dataset.ts';
import Flatbush from 'flatbush';
import pointInPolygon from 'point-in-polygon-hao';
import { GridIndex } from '../../server/geo/grid-index.ts';

export const GRIDS = 30_000;

export async function run(): Promise<{ name: string; metrics: Record<string, number | string> }> {
  const t0 = performance.now();
  const data = generateDataset({ grids: GRIDS, details: false });
  const generateMs = performance.now() - t0;
  const grids = data.regions.features
    .filter((f) => f.properties.level === 'grid')
    .map((f) => ({ id: f.properties.id, geometry: f.geometry }));
  const t1 = performance.now();
  const heap0 = process.memoryUsage().heapUsed;
  const index = new GridIndex(grids);
  const buildMs = performance.now() - t1;
  const heapDelta = process.memoryUsage().heapUsed - heap0;
  const stats = index.stats;

  // Deterministic pseudo-random points (xorshift) in the city's bbox.
  const [minX, minY, maxX, maxY] = data.meta.bbox;
  const n = 1_000_000;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let s = 0x9e3779b9;
  const rnd = () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 0x1_0000_0000;
  };
  for (let i = 0; i < n; i++) {
    xs[i] = minX + rnd() * (maxX - minX);
    ys[i] = minY + rnd() * (maxY - minY);
  }
  for (let i = 0; i < 50_000; i++) index.locate(xs[i]!, ys[i]!); // warm-up
  let inside = 0;
  const t2 = performance.now();
  for (let i = 0; i < n; i++) if (index.locate(xs[i]!, ys[i]!) !== null) inside++;
  const lookupMs = performance.now() - t2;
  // Baseline in the same run: the previous index (flatbush over bounding boxes, then the same polygon test).
  const tree = new Flatbush(grids.length);
  for (const g of grids) {
    const xs2 = g.geometry.coordinates[0]!.map((c) => c[0]!);
    const ys2 = g.geometry.coordinates[0]!.map((c) => c[1]!);
    tree.add(Math.min(...xs2), Math.min(...ys2), Math.max(...xs2), Math.max(...ys2));
  }
  tree.finish();
  const flatbushLocate = (lng: number, lat: number): string | null => {
    let best: string | null = null;
    for (const i of tree.search(lng, lat, lng, lat)) {
      const g = grids[i]!;
      if (best !== null && g.id >= best) continue;
      if (pointInPolygon([lng, lat], g.geometry.coordinates) !== false) best = g.id;
    }
    return best;
  };
  for (let i = 0; i < 50_000; i++) flatbushLocate(xs[i]!, ys[i]!);
  let same = 0;
  const t3 = performance.now();
  for (let i = 0; i < n; i++) if (flatbushLocate(xs[i]!, ys[i]!) !== null) same++;
  const baselineMs = performance.now() - t3;
  if (same !== inside) throw new Error('the bucket index and flatbush disagree');
  return {
    name: 'grid lookup (30,000 grids)',
    metrics: {
      grids: index.size,
      points: n,
      pointsPerSec: Math.round(n / (lookupMs / 1000)),
      'flatbush baseline pts/s': Math.round(n / (baselineMs / 1000)),
      'index / flatbush': Math.round((baselineMs / lookupMs) * 100) / 100,
      insideShare: `${((inside / n) * 100).toFixed(1)} %`,
      indexBuildMs: Math.round(buildMs),
      indexTableMB: Math.round((stats.bytes / 2 ** 20) * 10) / 10,
      indexHeapGrowthMB: Math.round((heapDelta / 2 ** 20) * 10) / 10,
      cells: `${stats.cols} × ${stats.rows}, ${((stats.boundaryCells / stats.cells) * 100).toFixed(1)} % boundary, ${(stats.candidates / Math.max(1, stats.boundaryCells)).toFixed(2)} candidates each`,
      generateMs: Math.round(generateMs),
      budgetPointsPerSec: 500_000,
      targetPointsPerSec: 1_000_000,
    },
  };
}

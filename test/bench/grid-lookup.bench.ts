/**
 * Point-to-grid lookups per second at city scale: GridIndex (flatbush + point-in-polygon) over the 30,000-grid
 * synthetic city, random WGS-84 points in its bounding box. Budget (DESIGN): ≥ 500,000 points/s.
 */
import { generateDataset } from '../../geo/scripts/dataset.ts';
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
  const index = new GridIndex(grids);
  const buildMs = performance.now() - t1;

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
  return {
    name: 'grid lookup (30,000 grids)',
    metrics: {
      grids: index.size,
      points: n,
      pointsPerSec: Math.round(n / (lookupMs / 1000)),
      insideShare: `${((inside / n) * 100).toFixed(1)} %`,
      indexBuildMs: Math.round(buildMs),
      generateMs: Math.round(generateMs),
      budgetPointsPerSec: 500_000,
    },
  };
}

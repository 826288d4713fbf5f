import pointInPolygon from 'point-in-polygon-hao';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { BUNDLED_GEO_DIR, readRegions } from '#server/geo/dataset';
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

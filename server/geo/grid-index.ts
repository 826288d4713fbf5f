import Flatbush from 'flatbush';
import pointInPolygon from 'point-in-polygon-hao';
import type { Polygon } from 'geojson';

export interface IndexedGrid {
  id: string;
  geometry: Polygon;
}

/**
 * Places WGS-84 points in grids: flatbush over bounding boxes, then an exact point-in-polygon test.
 * Points on a shared edge or vertex belong to every polygon that touches them; the rule that makes the
 * answer deterministic is "the smallest grid id wins".
 */
export class GridIndex {
  private readonly index: Flatbush | null;
  private readonly grids: IndexedGrid[];

  constructor(grids: IndexedGrid[]) {
    this.grids = grids;
    if (grids.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(grids.length);
    for (const g of grids) {
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (const [x, y] of g.geometry.coordinates[0]! as [number, number][]) {
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
      this.index.add(minX, minY, maxX, maxY);
    }
    this.index.finish();
  }

  get size(): number {
    return this.grids.length;
  }

  /** Id of the grid containing (lng, lat), or null outside every grid. */
  locate(lng: number, lat: number): string | null {
    if (!this.index || !Number.isFinite(lng) || !Number.isFinite(lat)) return null;
    let best: string | null = null;
    const p = [lng, lat];
    for (const i of this.index.search(lng, lat, lng, lat)) {
      const g = this.grids[i]!;
      if (best !== null && g.id >= best) continue;
      if (pointInPolygon(p, g.geometry.coordinates) !== false) best = g.id;
    }
    return best;
  }
}

import type { Regions } from '../geo/regions.ts';
import { largestPart } from '../geo/shape.ts';

const cache = new WeakMap<Regions, Map<string, { lng: number; lat: number } | null>>();

/** A point inside a grid (its largest part's bounding-box centre, else its vertices' mean, else its first vertex), cached. */
export function gridCentre(regions: Regions, gridId: string): { lng: number; lat: number } | null {
  let map = cache.get(regions);
  if (!map) cache.set(regions, (map = new Map()));
  if (map.has(gridId)) return map.get(gridId)!;
  const f = regions.features.find((x) => x.properties.id === gridId);
  let out: { lng: number; lat: number } | null = null;
  if (f) {
    const ring = largestPart(f.geometry)[0] ?? [];
    if (ring.length) {
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);
      const tries = [
        { lng: (Math.min(...xs) + Math.max(...xs)) / 2, lat: (Math.min(...ys) + Math.max(...ys)) / 2 },
        { lng: xs.reduce((a, b) => a + b, 0) / xs.length, lat: ys.reduce((a, b) => a + b, 0) / ys.length },
      ];
      out = tries.find((p) => regions.grids.locate(p.lng, p.lat) === gridId) ?? { lng: xs[0]!, lat: ys[0]! };
    }
  }
  map.set(gridId, out);
  return out;
}

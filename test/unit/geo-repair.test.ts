import { describe, expect, it } from 'vitest';
import { findSelfIntersection, type Ring } from '../../geo/scripts/import/geometry';
import { repairPolygon } from '../../geo/scripts/import/repair';

describe('geo:import --repair', () => {
  it('removes repeated vertices and reports them, the area unchanged', () => {
    const ring: Ring = [[0, 0], [10, 0], [10, 0], [10, 10], [10, 10], [10, 10], [0, 10], [0, 0]];
    const r = repairPolygon([ring]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.rings[0]).toEqual([[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]);
    expect(r.report).toMatchObject({ fixes: ['duplicate_vertices'], removedVertices: 3, areaChange: 0 });
  });

  it('resolves a bow-tie whose small lobe is a digitising slip, keeping the large part', () => {
    // A square whose last two corners were swapped by a hair: the ring crosses itself near (0, 10).
    const ring: Ring = [[0, 0], [10, 0], [10, 10], [-0.05, 9.95], [0.05, 10.05], [0, 0]];
    expect(findSelfIntersection([ring])).not.toBeNull();
    const r = repairPolygon([ring]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.report.fixes).toEqual(['self_intersection']);
    expect(r.report.droppedParts).toBe(1);
    expect(r.report.areaChange).toBeLessThan(0.01);
    expect(findSelfIntersection(r.rings)).toBeNull();
  });

  it('refuses a symmetric bow-tie: the repair would change the area by far more than the limit', () => {
    const bowTie: Ring = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]];
    const r = repairPolygon([bowTie]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toMatch(/change the area by .* %/);
    expect(r.report.fixes).toContain('self_intersection');
    // A looser limit does not save it either: half the figure would be dropped.
    expect(repairPolygon([bowTie], 0.4).ok).toBe(false);
  });

  it('refuses a ring that collapses to fewer than three distinct vertices', () => {
    expect(repairPolygon([[[0, 0], [1, 1], [1, 1], [0, 0]]]).ok).toBe(false);
  });
});

describe('geo:import command line', () => {
  it('takes --repair and --max-area-change, and refuses a share outside 0–1', async () => {
    const { parseCli } = await import('../../geo/scripts/import');
    expect(parseCli(['x.geojson', '--crs', 'wgs84', '--repair'], {})).toMatchObject({ repair: { maxAreaChange: 0.01 } });
    expect(parseCli(['x.geojson', '--crs', 'wgs84', '--repair', '--max-area-change', '0.05'], {})).toMatchObject({ repair: { maxAreaChange: 0.05 } });
    expect(parseCli(['x.geojson', '--crs', 'wgs84'], {})).not.toHaveProperty('repair');
    expect(parseCli(['x.geojson', '--crs', 'wgs84', '--repair', '--max-area-change', '2'], {})).toMatch(/share between 0 and 1/);
  });
});

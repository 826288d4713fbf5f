import { describe, expect, it } from 'vitest';
import { cstDate, cstDay, distanceM, keepFix, patrolDay } from '#common/field/mileage';

const T0 = Date.parse('2026-03-06T01:00:00Z'); // 09:00 in Chengdu
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
/** A fix `m` metres north of a base point (1° of latitude ≈ 111,195 m). */
const north = (m: number, s: number, accuracy: number | null = 5) => ({ lng: 104.1, lat: 30.67 + m / 111_195, at: at(s), accuracy });

describe('field mileage', () => {
  it('measures great-circle distances', () => {
    expect(distanceM(north(0, 0), north(1000, 0))).toBeCloseTo(1000, 0);
    expect(distanceM({ lng: 104.1, lat: 30.67 }, { lng: 104.11, lat: 30.67 })).toBeCloseTo(957, -1);
  });

  it('keeps a fix 20 m away or 10 s later, drops one both near and soon, and any not newer', () => {
    expect(keepFix(null, north(0, 0))).toBe(true);
    expect(keepFix(north(0, 0), north(5, 3))).toBe(false);
    expect(keepFix(north(0, 0), north(25, 3))).toBe(true);
    expect(keepFix(north(0, 0), north(1, 10))).toBe(true);
    expect(keepFix(north(0, 10), north(100, 5))).toBe(false);
  });

  it('sums the walk inside patrols and the day, skipping vague fixes and jumps', () => {
    const patrols = [
      { startedAt: at(0), endedAt: at(600) },
      { startedAt: at(1200), endedAt: null },
    ];
    const fixes = [
      north(0, 0),
      north(100, 60),
      north(200, 120),
      north(5000, 130, 5), // 4.8 km in 10 s: a jump
      north(300, 180),
      north(400, 240, 500), // vague: not counted
      north(500, 300),
      north(900, 900), // between patrols: not counted, breaks the walk
      north(1000, 1260),
      north(1100, 1320),
    ];
    const day = patrolDay(fixes, patrols, T0 - 3600_000, T0 + 86_400_000, T0 + 1500_000);
    // 0→100→200→300→500 in the first patrol (500 m), 1000→1100 in the second (100 m).
    expect(day.distanceM).toBeCloseTo(600, -1);
    expect(day.durationMs).toBe(600_000 + 300_000);
    expect(day.patrols).toBe(2);
    // Clipped to the range.
    expect(patrolDay(fixes, patrols, T0 + 120_000, T0 + 300_000, T0 + 1500_000)).toMatchObject({ durationMs: 180_000, patrols: 1 });
  });

  it('counts fixes the server tagged with a patrol, even dated a little ahead of its clock', () => {
    const patrols = [{ id: 'p1', startedAt: at(0), endedAt: null }];
    const fixes = [0, 1, 2].map((k) => ({ ...north(k * 100, 30 + k * 10), patrolId: 'p1' }));
    // "now" is 10 s after the start: by time alone none would count.
    expect(patrolDay(fixes, patrols, T0 - 3600_000, T0 + 86_400_000, T0 + 10_000)).toMatchObject({ distanceM: 200, durationMs: 10_000 });
  });

  it('names China Standard Time days', () => {
    expect(cstDay('2026-03-06')).toEqual([Date.parse('2026-03-05T16:00:00Z'), Date.parse('2026-03-06T16:00:00Z')]);
    expect(cstDay('2026-02-30')).toBeNull();
    expect(cstDay('tomorrow')).toBeNull();
    expect(cstDate(Date.parse('2026-03-05T16:30:00Z'))).toBe('2026-03-06');
  });
});

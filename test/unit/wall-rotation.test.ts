import { describe, expect, it } from 'vitest';
import { themeAt, type WallRotation } from '#common/wall/rotation';
import { wallRotationSchema } from '#common/wall/rotation-schema';

const MIN = 60_000;
const r: WallRotation = { themes: ['overview', 'care', 'effectiveness'], minutes: 5 };

describe('wall rotation schedule', () => {
  it('without a rotation (or with one theme) the wall stays put', () => {
    expect(themeAt(null, 123)).toEqual({ theme: 'overview', nextAtMs: null });
    expect(themeAt({ themes: ['effectiveness'], minutes: 3 }, 123)).toEqual({ theme: 'effectiveness', nextAtMs: null });
  });

  it('walks the themes in order, each for `minutes`, and wraps round', () => {
    const base = 1_000_000 * 15 * MIN; // a multiple of the 15-minute cycle
    expect(themeAt(r, base)).toEqual({ theme: 'overview', nextAtMs: base + 5 * MIN });
    expect(themeAt(r, base + 5 * MIN - 1).theme).toBe('overview');
    expect(themeAt(r, base + 5 * MIN)).toEqual({ theme: 'care', nextAtMs: base + 10 * MIN });
    expect(themeAt(r, base + 12 * MIN).theme).toBe('effectiveness');
    expect(themeAt(r, base + 15 * MIN).theme).toBe('overview');
  });

  it('is aligned to the clock, so two walls on one link agree and a reload does not restart it', () => {
    const t = Date.UTC(2026, 10, 29, 5, 7, 31);
    expect(themeAt(r, t)).toEqual(themeAt(r, t + 1000));
    expect(themeAt(r, t).nextAtMs! % (5 * MIN)).toBe(0);
  });

  it('the schema refuses repeats, unknown themes and odd minutes', () => {
    expect(wallRotationSchema.safeParse(r).success).toBe(true);
    expect(wallRotationSchema.safeParse({ themes: ['care', 'care'], minutes: 5 }).success).toBe(false);
    expect(wallRotationSchema.safeParse({ themes: ['news'], minutes: 5 }).success).toBe(false);
    expect(wallRotationSchema.safeParse({ themes: ['care'], minutes: 0 }).success).toBe(false);
  });
});

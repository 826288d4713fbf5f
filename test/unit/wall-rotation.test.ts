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

  it('takes the dwell in seconds too, but exactly one of seconds and minutes', () => {
    expect(wallRotationSchema.safeParse({ themes: ['care', 'overview'], seconds: 30 }).success).toBe(true);
    expect(wallRotationSchema.safeParse({ themes: ['care'], seconds: 30, minutes: 1 }).success).toBe(false);
    expect(wallRotationSchema.safeParse({ themes: ['care'], seconds: 5 }).success).toBe(false);
    expect(wallRotationSchema.safeParse({ themes: ['care'], seconds: 12.5 }).success).toBe(false);
    expect(wallRotationSchema.safeParse({ themes: ['care'] }).success).toBe(false);
  });

  it('walks 30-second slots aligned to the clock', () => {
    const s: WallRotation = { themes: ['overview', 'effectiveness'], seconds: 30 };
    const base = 1_800_000_000_000; // a multiple of 60 s
    expect(themeAt(s, base)).toEqual({ theme: 'overview', nextAtMs: base + 30_000 });
    expect(themeAt(s, base + 29_999).theme).toBe('overview');
    expect(themeAt(s, base + 30_000)).toEqual({ theme: 'effectiveness', nextAtMs: base + 60_000 });
    expect(themeAt(s, base + 60_000).theme).toBe('overview');
  });
});

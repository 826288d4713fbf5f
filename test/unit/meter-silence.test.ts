import { describe, expect, it } from 'vitest';
import { decideSilence, nextLastSeen, registrationMs, silenceExternalId, type MeterHeartbeat } from '#common/ingest/meter-silence';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0);
const hb = (lastSeenMs: number, raisedForMs: number | null = null, heard = true): MeterHeartbeat => ({ deviceKey: 'a1GridWater/WTR-1', lastSeenMs, raisedForMs, heard });

describe('meter silence', () => {
  it('is silent only strictly after the limit', () => {
    expect(decideSilence(hb(T0), T0 + 6 * H - 1, 6)).toEqual({ kind: 'speaking' });
    expect(decideSilence(hb(T0), T0 + 6 * H, 6)).toEqual({ kind: 'speaking' });
    expect(decideSilence(hb(T0), T0 + 6 * H + 1, 6)).toEqual({ kind: 'raise', periodMs: T0, silentHours: 6, neverHeard: false });
    expect(decideSilence(hb(T0), T0 + 7.56 * H, 6)).toMatchObject({ kind: 'raise', silentHours: 7.5 });
  });

  it('raises once per silence period', () => {
    expect(decideSilence(hb(T0, T0), T0 + 7 * H, 6)).toEqual({ kind: 'raised' });
    expect(decideSilence(hb(T0, T0), T0 + 70 * H, 6)).toEqual({ kind: 'raised' });
  });

  it('a meter that speaks again ends the silence; the next silence raises again', () => {
    // Raised for the period that began at T0, then a message at T0 + 8 h.
    const resumed = hb(nextLastSeen(T0, T0 + 8 * H), T0);
    expect(decideSilence(resumed, T0 + 9 * H, 6)).toEqual({ kind: 'speaking' });
    expect(decideSilence(resumed, T0 + 14 * H + 1, 6)).toEqual({ kind: 'raise', periodMs: T0 + 8 * H, silentHours: 6, neverHeard: false });
    expect(silenceExternalId('a1GridWater/WTR-1', T0 + 8 * H)).not.toBe(silenceExternalId('a1GridWater/WTR-1', T0));
  });

  it('a late message never moves the heartbeat back', () => {
    expect(nextLastSeen(null, T0)).toBe(T0);
    expect(nextLastSeen(T0 + H, T0)).toBe(T0 + H);
    expect(nextLastSeen(T0, T0 + H)).toBe(T0 + H);
  });

  it('a registered meter that never reported is silent from its registration, once', () => {
    const registered = hb(T0, null, false);
    expect(decideSilence(registered, T0 + 6 * H, 6)).toEqual({ kind: 'speaking' });
    expect(decideSilence(registered, T0 + 6 * H + 1, 6)).toEqual({ kind: 'raise', periodMs: T0, silentHours: 6, neverHeard: true });
    expect(decideSilence(hb(T0, T0, false), T0 + 30 * H, 6)).toEqual({ kind: 'raised' });
  });

  it('the registration time is the fitting date of the registry, never in the future, else the first sighting', () => {
    const seen = T0 + 10 * H;
    expect(registrationMs(new Date(T0).toISOString(), seen)).toBe(T0);
    expect(registrationMs('2026-11-01T08:00:00+08:00', seen)).toBe(T0);
    expect(registrationMs(undefined, seen)).toBe(seen);
    expect(registrationMs(null, seen)).toBe(seen);
    expect(registrationMs('not a date', seen)).toBe(seen);
    expect(registrationMs(new Date(seen + 48 * H).toISOString(), seen)).toBe(seen);
  });
});

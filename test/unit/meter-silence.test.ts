import { describe, expect, it } from 'vitest';
import { decideSilence, nextLastSeen, silenceExternalId, type MeterHeartbeat } from '#common/ingest/meter-silence';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0);
const hb = (lastSeenMs: number, raisedForMs: number | null = null): MeterHeartbeat => ({ deviceKey: 'a1GridWater/WTR-1', lastSeenMs, raisedForMs });

describe('meter silence', () => {
  it('is silent only strictly after the limit', () => {
    expect(decideSilence(hb(T0), T0 + 6 * H - 1, 6)).toEqual({ kind: 'speaking' });
    expect(decideSilence(hb(T0), T0 + 6 * H, 6)).toEqual({ kind: 'speaking' });
    expect(decideSilence(hb(T0), T0 + 6 * H + 1, 6)).toEqual({ kind: 'raise', periodMs: T0, silentHours: 6 });
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
    expect(decideSilence(resumed, T0 + 14 * H + 1, 6)).toEqual({ kind: 'raise', periodMs: T0 + 8 * H, silentHours: 6 });
    expect(silenceExternalId('a1GridWater/WTR-1', T0 + 8 * H)).not.toBe(silenceExternalId('a1GridWater/WTR-1', T0));
  });

  it('a late message never moves the heartbeat back', () => {
    expect(nextLastSeen(null, T0)).toBe(T0);
    expect(nextLastSeen(T0 + H, T0)).toBe(T0 + H);
    expect(nextLastSeen(T0, T0 + H)).toBe(T0 + H);
  });
});

/**
 * p90 time to close from the summed log-spaced histogram (common/analytics/counters.ts): bucket 0 holds closes
 * under 5 minutes, bucket b ≥ 1 holds [5·1.28^(b−1), 5·1.28^b) minutes, the answer is the geometric middle of the
 * bucket holding the 90th percentile (rank ⌈0.9·n⌉). Expected values below are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { bucketMid, HIST_BUCKETS, histBucket, histQuantile, zeroCounters } from '#common/analytics/counters';
import { indicatorsOf } from '#common/analytics/indicators';

const hist = (counts: Record<number, number>): number[] => {
  const h = new Array<number>(HIST_BUCKETS).fill(0);
  for (const [b, n] of Object.entries(counts)) h[Number(b)] = n;
  return h;
};

describe('histBucket: which bucket a close duration (whole minutes) falls in', () => {
  it('puts under-5-minute closes in bucket 0 and the rest by powers of 1.28', () => {
    expect(histBucket(0)).toBe(0);
    expect(histBucket(4)).toBe(0);
    expect(histBucket(5)).toBe(1); // [5, 6.4)
    expect(histBucket(6)).toBe(1);
    expect(histBucket(7)).toBe(2); // [6.4, 8.19)
    expect(histBucket(60)).toBe(11); // [59.03, 75.56)
    expect(histBucket(525_600)).toBe(47); // a year: the last, open bucket
    expect(histBucket(10_000_000)).toBe(47);
  });
});

describe('histQuantile(hist, 0.9)', () => {
  it('is null for an empty histogram', () => {
    expect(histQuantile(hist({}), 0.9)).toBeNull();
  });

  it('10 closes, 9 under 5 minutes: rank 9 lies in bucket 0 → 2.5 min', () => {
    expect(histQuantile(hist({ 0: 9, 5: 1 }), 0.9)).toBe(2.5);
  });

  it('10 closes, 1 in bucket 2 and 9 in bucket 10: rank 9 → 5·1.28^9.5 ≈ 52.18 min', () => {
    expect(histQuantile(hist({ 2: 1, 10: 9 }), 0.9)).toBeCloseTo(52.175, 2);
  });

  it('20 closes, 18 in bucket 3: rank 18 is the last of bucket 3 → 5·1.28^2.5 ≈ 9.27 min', () => {
    expect(histQuantile(hist({ 3: 18, 7: 2 }), 0.9)).toBeCloseTo(9.268, 2);
  });

  it('3 closes: rank ⌈2.7⌉ = 3 is the one in bucket 4 → 5·1.28^3.5 ≈ 11.86 min', () => {
    expect(histQuantile(hist({ 1: 2, 4: 1 }), 0.9)).toBeCloseTo(11.863, 2);
  });

  it('one close of about an hour (60 min, bucket 11) → 5·1.28^10.5 ≈ 66.78 min, within ±13 %', () => {
    const h = hist({ [histBucket(60)]: 1 });
    expect(histQuantile(h, 0.9)).toBeCloseTo(66.784, 2);
    expect(Math.abs(histQuantile(h, 0.9)! / 60 - 1)).toBeLessThan(0.132);
  });

  it('the last bucket is open: answers its middle, 5·1.28^46.5 ≈ 483,319 min', () => {
    expect(histQuantile(hist({ 47: 1 }), 0.9)).toBeCloseTo(483_318.7, 0);
    expect(bucketMid(47)).toBeCloseTo(483_318.7, 0);
  });

  it('sums of histograms (any grouping) answer like one: indicatorsOf reads p90 from the counters', () => {
    const c = zeroCounters();
    c.hist = hist({ 2: 1, 10: 9 });
    c.durN = 10;
    c.durSumMin = 500;
    expect(indicatorsOf(c).p90CloseMinutes).toBeCloseTo(52.175, 2);
    expect(indicatorsOf(c).meanCloseMinutes).toBe(50);
  });
});

/**
 * Summable counters of the analytics rollups. Every indicator is a ratio of these sums, so any range of
 * days, any set of grids and any dimension answers by adding rows (rollup.ts).
 *
 * Time to close (report → close) is kept as a histogram of HIST_BUCKETS log-spaced buckets next to the exact
 * sum and count: the mean is exact, the p90 is read from the summed histogram (the geometric middle of the
 * bucket holding the 90th percentile), within ±HIST_RATIO^0.5 ≈ 13 % of the true value.
 */
export const COUNTER_FIELDS = [
  'received',
  'filed',
  'dispatched',
  'acceptedOnTime',
  'due',
  'closed',
  'closedOnTime',
  'reworked',
  'extended',
  'overdue',
  'replied',
  'satisfied',
  'durN',
  'durSumMin',
] as const;
export type CounterField = (typeof COUNTER_FIELDS)[number];

/** Bucket 0 holds closes under HIST_BASE_MIN minutes; bucket b ≥ 1 holds [BASE·R^(b-1), BASE·R^b); the last is open. */
export const HIST_BUCKETS = 48;
export const HIST_BASE_MIN = 5;
export const HIST_RATIO = 1.28;

export type Counters = Record<CounterField, number> & { hist: number[] };

export function zeroCounters(): Counters {
  const c = { hist: new Array<number>(HIST_BUCKETS).fill(0) } as Counters;
  for (const f of COUNTER_FIELDS) c[f] = 0;
  return c;
}

/** a += sign · b, in place. */
export function addCounters(a: Counters, b: Counters, sign = 1): Counters {
  for (const f of COUNTER_FIELDS) a[f] += sign * b[f];
  for (let i = 0; i < HIST_BUCKETS; i++) a.hist[i]! += sign * b.hist[i]!;
  return a;
}

export function isZero(c: Counters): boolean {
  return COUNTER_FIELDS.every((f) => c[f] === 0) && c.hist.every((h) => h === 0);
}

export function histBucket(minutes: number): number {
  if (minutes < HIST_BASE_MIN) return 0;
  const b = Math.floor(Math.log(minutes / HIST_BASE_MIN) / Math.log(HIST_RATIO)) + 1;
  return Math.min(HIST_BUCKETS - 1, b);
}

/** Representative value (minutes) of a bucket: its geometric middle. */
export function bucketMid(b: number): number {
  if (b === 0) return HIST_BASE_MIN / 2;
  return HIST_BASE_MIN * HIST_RATIO ** (b - 0.5);
}

/** Quantile q (0..1) of a histogram in minutes, or null when empty. */
export function histQuantile(hist: readonly number[], q: number): number | null {
  const n = hist.reduce((s, x) => s + x, 0);
  if (n <= 0) return null;
  const rank = Math.ceil(q * n);
  let seen = 0;
  for (let b = 0; b < hist.length; b++) {
    seen += hist[b]!;
    if (seen >= rank) return bucketMid(b);
  }
  return bucketMid(hist.length - 1);
}

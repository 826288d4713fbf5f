import { cpus, totalmem } from 'node:os';

export interface BenchResult {
  name: string;
  metrics: Record<string, number | string>;
}

/** Percentile of an ascending-sorted array (nearest rank). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * An upstream event for load: distinct happenings 31 minutes apart and spread over the district, so the
 * pipeline never merges one into another (merge.ts) and each makes its own incident.
 */
export function distinctEvent(externalId: string, n: number, category = 'garbage_exposed') {
  return {
    externalId,
    source: 'iot',
    category,
    title: `基准 ${n}`,
    location: { lng: 104.06 + (n % 97) * 0.0008, lat: 30.64 + (n % 89) * 0.0007 },
    reportedAt: new Date(Date.UTC(2024, 0, 1) + n * 31 * 60_000).toISOString(),
  };
}

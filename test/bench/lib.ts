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

/** Slots of 31 minutes in the 29 days before the run (the pipeline refuses reports older than 30 days). */
export const SLOTS = 1347;
const BASE_MS = Date.now() - 29 * 86_400_000;

/**
 * An upstream event for load: distinct happenings, so the pipeline never merges one into another (merge.ts) and
 * each makes its own incident. Within a page of SLOTS events the place is one and the times are 31 minutes apart;
 * each page sits ~300 m from the others on a 10-wide lattice over the district.
 */
export function distinctEvent(externalId: string, n: number, category = 'garbage_exposed') {
  const page = Math.floor(n / SLOTS);
  return {
    externalId,
    source: 'iot',
    category,
    title: `基准 ${n}`,
    location: { lng: 104.06 + (page % 10) * 0.003, lat: 30.64 + Math.floor(page / 10) * 0.003 },
    reportedAt: new Date(BASE_MS + (n % SLOTS) * 31 * 60_000).toISOString(),
  };
}

const REAL_CATEGORIES = ['garbage_exposed', 'fire', 'elevator_fault', 'noise', 'waterlogging', 'street_vending', 'road_cleaning', 'gas_leak', 'pipe_burst', 'construction_noise', 'elevator', 'unlicensed_vendor'];

/**
 * An upstream event as real upstreams send it: reported now, at a pseudo-random place over ~11 × 13 km of the
 * city, in one of a dozen categories. Nearby reports of one family within 30 minutes merge, as they would live.
 */
export function realisticEvent(externalId: string, n: number, now = Date.now()) {
  // Deterministic per n (xorshift of a Weyl sequence): reruns post the same places.
  let h = (Math.imul(n + 1, 0x9e3779b1) ^ 0x85ebca6b) >>> 0;
  const next = () => {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    return (h >>> 0) / 2 ** 32;
  };
  return {
    externalId,
    source: 'iot',
    category: REAL_CATEGORIES[Math.floor(next() * REAL_CATEGORIES.length)]!,
    title: `基准 ${n}`,
    location: { lng: 104.0 + next() * 0.12, lat: 30.6 + next() * 0.12 },
    reportedAt: new Date(now).toISOString(),
  };
}

import { mergeBox, mergeFamily } from '#common/incidents/merge';

/**
 * The spatial index of merge candidates: an open incident is filed under one key, its merge family and the
 * cell of 0.002° it lies in; a report looks only under the keys of its family whose cells meet its merge box
 * (2–4 cells here). Both stores keep the key in `incidents.merge_cell` with an index on (merge_cell,
 * reported_ms) over open incidents, so finding candidates reads the few rows that can merge, not every open
 * incident of the last half hour. The key depends only on category and place, which ingest merges never change.
 */
const CELL = 0.002;
const cx = (lng: number) => Math.floor((lng + 180) / CELL);
const cy = (lat: number) => Math.floor((lat + 90) / CELL);

export function mergeCell(category: string, lng: number, lat: number): string {
  return `${mergeFamily(category)}@${cx(lng)},${cy(lat)}`;
}

/** The keys under which any incident that `category` at (lng, lat) may merge with is filed. */
export function mergeCellsNear(category: string, lng: number, lat: number): string[] {
  const { dLat, dLng } = mergeBox(lat);
  const family = mergeFamily(category);
  const out: string[] = [];
  for (let x = cx(lng - dLng); x <= cx(lng + dLng); x++) {
    for (let y = cy(lat - dLat); y <= cy(lat + dLat); y++) out.push(`${family}@${x},${y}`);
  }
  return out;
}

/**
 * The reported_ms ranges a batch needs under each key: each report's merge window, joined per key and
 * half-hour of report, so a batch spread over days reads narrow ranges. Ranges of one key may overlap:
 * callers drop rows read twice.
 */
export function candidateKeys(
  batch: readonly { category: string; location: { lng: number; lat: number }; reportedAt: string }[],
  windowMs: number,
): { key: string; lo: number; hi: number }[] {
  const keys = new Map<string, { key: string; lo: number; hi: number }>();
  for (const item of batch) {
    const t = Date.parse(item.reportedAt);
    const bucket = Math.floor(t / windowMs);
    for (const key of mergeCellsNear(item.category, item.location.lng, item.location.lat)) {
      const k = keys.get(`${key}|${bucket}`);
      if (!k) keys.set(`${key}|${bucket}`, { key, lo: t - windowMs, hi: t + windowMs });
      else {
        k.lo = Math.min(k.lo, t - windowMs);
        k.hi = Math.max(k.hi, t + windowMs);
      }
    }
  }
  return [...keys.values()];
}

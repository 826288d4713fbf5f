import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import type { WorkerSummary } from '#common/dispatch/types';
import { STALE_AFTER_MS, type PositionFix, type WorkersPositionsPush } from '#common/field/types';

export interface WorkerEntry {
  id: string;
  name: string;
  gridId: string;
  position: PositionFix | null;
  onPatrol: boolean;
}

export interface WorkersState {
  byId: ReadonlyMap<string, WorkerEntry>;
  /** Server clock minus ours (from the last push's sentAt): staleness is judged on the server's clock. */
  skewMs: number;
}

export const emptyWorkers = (): WorkersState => ({ byId: new Map(), skewMs: 0 });

/** The roster as `GET /api/workers` gives it; keeps a newer pushed fix that arrived while the request was out. */
export function fromList(state: WorkersState, items: readonly WorkerSummary[]): WorkersState {
  const byId = new Map<string, WorkerEntry>();
  for (const w of items) {
    const held = state.byId.get(w.id)?.position ?? null;
    const listed = w.lastPosition ? { lng: w.lastPosition.lng, lat: w.lastPosition.lat, at: w.lastPosition.at, accuracy: w.lastPosition.accuracy ?? null } : null;
    const position = held && (!listed || held.at > listed.at) ? held : listed;
    byId.set(w.id, { id: w.id, name: w.name, gridId: w.gridId, position, onPatrol: w.onPatrol ?? false });
  }
  return { ...state, byId };
}

/** A `workers:positions` push: each worker's fix when newer than the one held; unknown workers are not in scope of the list and are skipped. */
export function applyPush(state: WorkersState, push: WorkersPositionsPush, receivedMs: number): WorkersState {
  let byId: Map<string, WorkerEntry> | null = null;
  for (const item of push.items) {
    const cur = (byId ?? state.byId).get(item.workerId);
    if (!cur) continue;
    if (cur.position && cur.position.at >= item.position.at && cur.onPatrol === item.onPatrol) continue;
    byId ??= new Map(state.byId);
    const position = cur.position && cur.position.at > item.position.at ? cur.position : item.position;
    byId.set(item.workerId, { ...cur, position, onPatrol: item.onPatrol });
  }
  const skewMs = Date.parse(push.sentAt) - receivedMs;
  return { byId: byId ?? state.byId, skewMs: Number.isFinite(skewMs) ? skewMs : state.skewMs };
}

/** No fix for 2 minutes (by the server's clock): the marker is drawn as stale. */
export function isStale(p: PositionFix, nowMs: number, skewMs: number): boolean {
  return nowMs + skewMs - Date.parse(p.at) >= STALE_AFTER_MS;
}

export interface WorkerPointProps {
  id: string;
  name: string;
  stale: boolean;
  onPatrol: boolean;
}

/** Workers with a known position, as map points. */
export function workersCollection(state: WorkersState, nowMs: number): FeatureCollection<Point, WorkerPointProps> {
  const features: Feature<Point, WorkerPointProps>[] = [];
  for (const w of state.byId.values()) {
    if (!w.position) continue;
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [w.position.lng, w.position.lat] },
      properties: { id: w.id, name: w.name, stale: isStale(w.position, nowMs, state.skewMs), onPatrol: w.onPatrol },
    });
  }
  return { type: 'FeatureCollection', features };
}

/** A day's track as one line (no line for fewer than two fixes). */
export function trackCollection(fixes: readonly PositionFix[]): FeatureCollection<LineString> {
  if (fixes.length < 2) return { type: 'FeatureCollection', features: [] };
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: fixes.map((f) => [f.lng, f.lat]) } }],
  };
}

/** How many are placed, on patrol, and stale: the layer's legend line. */
export function workersSummary(state: WorkersState, nowMs: number): { placed: number; onPatrol: number; stale: number } {
  let placed = 0;
  let onPatrol = 0;
  let stale = 0;
  for (const w of state.byId.values()) {
    if (w.onPatrol) onPatrol++;
    if (!w.position) continue;
    placed++;
    if (isStale(w.position, nowMs, state.skewMs)) stale++;
  }
  return { placed, onPatrol, stale };
}

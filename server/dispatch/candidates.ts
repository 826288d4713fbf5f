/**
 * Facts for the ranking (common/dispatch/ranking.ts) gathered from the roster, the shift roster, the party
 * registry and the store: who is near an incident, who is on duty, how many open cases each holds and how
 * many of their cases closed in the last 30 days closed on time (two indexed queries for the whole set).
 */
import { isWithinScope, type LngLat } from '#common/geo/types';
import type { Candidate, Party, WorkerSummary } from '#common/dispatch/types';
import { rankCandidates, rankingPosition, haversineM, type WorkerFacts } from '#common/dispatch/ranking';
import { onDutyAt, shiftPatternOf } from '#common/dispatch/shifts';
import type { Incident } from '#common/incidents/types';
import type { RawWorker } from '../geo/grid-facts.ts';
import type { Regions } from '../geo/regions.ts';
import { largestPart } from '../geo/shape.ts';
import type { Store, Workload } from '../store/types.ts';
import { assigneeIdsByWorker } from './identity.ts';

/** Workers farther than this from an incident are not offered, unless based in its community. */
export const NEAR_RADIUS_M = 5000;
/** At most this many nearest workers are scored per incident. */
export const MAX_WORKERS_SCORED = 60;
export const ON_TIME_WINDOW_DAYS = 30;

/** Centre of a polygon ring's bounding box: inside the compact grid cells of a dataset; used as "home grid centre". */
function centreOf(ring: readonly (readonly number[])[]): LngLat {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of ring) {
    minX = Math.min(minX, x!);
    maxX = Math.max(maxX, x!);
    minY = Math.min(minY, y!);
    maxY = Math.max(maxY, y!);
  }
  return { lng: (minX + maxX) / 2, lat: (minY + maxY) / 2 };
}

export function createCandidates(deps: { store: Store; regions: Regions; roster: readonly RawWorker[] }) {
  const { store, regions, roster } = deps;
  const centres = new Map<string, LngLat>();
  for (const f of regions.features) if (f.properties.level === 'grid') centres.set(f.properties.id, centreOf(largestPart(f.geometry)[0]!));
  const inScope = (w: RawWorker, scope: string) => isWithinScope(w.gridId, scope) || isWithinScope(w.regionId, scope);
  const homeOf = (w: RawWorker): LngLat | null => centres.get(w.gridId) ?? w.base ?? null;
  /** Newest fixes of the last few minutes (fresher ones are all rankingPosition takes). */
  const liveFixes = async (now: Date) => store.field.lastPositions(null, new Date(now.getTime() - 5 * 60_000));

  /** Workload per worker (summed over its roster id and linked accounts) and per party id. */
  async function workloads(workers: readonly RawWorker[], parties: readonly Party[], now: Date) {
    const ids = assigneeIdsByWorker(workers.map((w) => w.id), await store.users.list());
    const all = [...[...ids.values()].flat(), ...parties.map((p) => p.id)];
    const since = new Date(now.getTime() - ON_TIME_WINDOW_DAYS * 86_400_000);
    const raw = await store.workload.byAssignee(all, since);
    const sum = (list: readonly string[]): Workload =>
      list.reduce((a, id) => {
        const w = raw.get(id);
        return w ? { open: a.open + w.open, closed: a.closed + w.closed, onTime: a.onTime + w.onTime } : a;
      }, { open: 0, closed: 0, onTime: 0 });
    return (id: string) => sum(ids.get(id) ?? [id]);
  }
  const rate = (w: Workload) => (w.closed ? w.onTime / w.closed : null);

  async function candidates(incident: Incident, scope: string, limit: number, now = new Date()): Promise<Candidate[]> {
    const regionId = incident.gridId ?? regions.root.id;
    const community = incident.gridId?.slice(0, 12) ?? null;
    const fixes = await liveFixes(now);
    const placed = new Map(roster.map((w) => [w.id, rankingPosition(fixes.get(w.id) ?? null, homeOf(w), now.getTime())]));
    const positionOf = (w: RawWorker) => placed.get(w.id)!.position;
    const near = roster
      .filter((w) => inScope(w, scope))
      .map((w) => ({ w, d: positionOf(w) ? haversineM(positionOf(w)!, incident.location) : Infinity }))
      .filter(({ w, d }) => d <= NEAR_RADIUS_M || (community !== null && w.gridId.startsWith(community)))
      .sort((a, b) => a.d - b.d)
      .slice(0, MAX_WORKERS_SCORED)
      .map(({ w }) => w);
    const parties = (await store.parties.covering(regionId)).filter((p) => p.categories.includes(incident.category));
    const load = await workloads(near, parties, now);
    const workers: WorkerFacts[] = near.map((w) => {
      const l = load(w.id);
      return { id: w.id, name: w.name, gridId: w.gridId, position: positionOf(w), livePosition: placed.get(w.id)!.live, onDuty: onDutyAt(shiftPatternOf(w), now), openCases: l.open, onTimeRate: rate(l) };
    });
    const partyFacts = parties.map((p) => {
      const l = load(p.id);
      return { id: p.id, name: p.name, categories: p.categories, regionIds: p.regionIds, openCases: l.open, onTimeRate: rate(l) };
    });
    return rankCandidates({ location: incident.location, gridId: incident.gridId, regionId, category: incident.category }, workers, partyFacts, limit);
  }

  /** `retentionStart`: the oldest position kept (POSITION_RETENTION_DAYS). */
  async function workers(scope: string, now = new Date(), retentionStart = new Date(0)): Promise<WorkerSummary[]> {
    const list = roster.filter((w) => inScope(w, scope));
    const [load, fixes, onPatrol] = await Promise.all([
      workloads(list, [], now),
      store.field.lastPositions(list.map((w) => w.id), retentionStart),
      store.field.onPatrol(),
    ]);
    return list.map((w) => ({
      id: w.id,
      name: w.name,
      gridId: w.gridId,
      regionId: w.regionId,
      onDuty: onDutyAt(shiftPatternOf(w), now),
      openCases: load(w.id).open,
      lastPosition: fixes.has(w.id) ? { lng: fixes.get(w.id)!.lng, lat: fixes.get(w.id)!.lat, at: fixes.get(w.id)!.at, accuracy: fixes.get(w.id)!.accuracy } : null,
      onPatrol: onPatrol.has(w.id),
    }));
  }

  return { candidates, workers };
}

export type Candidates = ReturnType<typeof createCandidates>;

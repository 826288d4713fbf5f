import { projectIncident, type Audience } from '#common/incidents/projection';
import type { Snapshot, SyncResult } from '#common/realtime/events';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Store } from '../store/types.ts';

/** Incidents in a snapshot: enough for the feed and the map, bounded for the wall's memory. */
export const SNAPSHOT_LIMIT = 500;
/** Staff consoles work the whole open queue (issue 8: smooth with 5,000 open incidents); `recent` puts open ones first. */
export const STAFF_SNAPSHOT_LIMIT = 5000;
const snapshotLimit = (audience: Audience): number => (audience === 'wall' ? SNAPSHOT_LIMIT : STAFF_SNAPSHOT_LIMIT);
/**
 * Beyond this many missed changes a fresh snapshot (capped at SNAPSHOT_LIMIT) is cheaper than a replay; it also
 * bounds a delta reply (about 1–2 MB) and what the store reads for it (LIMIT + 1 rows).
 */
export const REPLAY_LIMIT = 1000;

export async function buildSnapshot(
  store: Store,
  sources: SourceRegistry,
  regionId: string,
  audience: Audience,
): Promise<Snapshot> {
  // Read the head first: anything committed after it is either in `recent` too or replayed by sync:since.
  const seq = await store.incidents.headSeq();
  const [incidents, kpis] = await Promise.all([
    store.incidents.recent(regionId, snapshotLimit(audience)),
    store.incidents.kpis(regionId, new Date()),
  ]);
  return {
    regionId,
    seq,
    incidents: incidents.map((i) => projectIncident(i, audience)),
    kpis,
    sources: sources.list(),
  };
}

export async function syncSince(
  store: Store,
  sources: SourceRegistry,
  regionId: string,
  audience: Audience,
  since: number,
): Promise<SyncResult> {
  const head = await store.incidents.headSeq();
  const changes = since <= head ? await store.incidents.changesSince(since, regionId, REPLAY_LIMIT) : null;
  if (!changes) return { mode: 'snapshot', snapshot: await buildSnapshot(store, sources, regionId, audience) };
  const last = changes.at(-1)?.seq ?? 0;
  return {
    mode: 'delta',
    seq: Math.max(head, last),
    changes: changes.map((c) => ({ ...c, incident: projectIncident(c.incident, audience) })),
  };
}

import { projectIncident, type Audience } from '#common/incidents/projection';
import type { IncidentChange } from '#common/incidents/types';
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
  const delta: SyncResult = {
    mode: 'delta',
    seq: Math.max(head, last),
    changes: compactChanges(changes).map((c) => ({ ...c, incident: projectIncident(c.incident, audience) })),
  };
  // A few incidents' worth is smaller than any snapshot; past that, compare with one.
  if (delta.changes.length < COMPARE_FROM) return delta;
  const snapshot: SyncResult = { mode: 'snapshot', snapshot: await buildSnapshot(store, sources, regionId, audience) };
  return smallerReply(delta, snapshot);
}

/** Below this many incidents in a compacted delta, no snapshot is read to compare with. */
const COMPARE_FROM = 20;

/**
 * The snapshot when it is clearly smaller (≤ 3/4 of the delta's bytes): a snapshot replaces everything the
 * client holds and drops what is beyond its cap, so a delta of about the same size is the better answer.
 * A snapshot wins when the gap holds more incidents than the snapshot's cap (a wall's 500).
 */
export function smallerReply(delta: SyncResult, snapshot: SyncResult): SyncResult {
  return JSON.stringify(snapshot).length <= 0.75 * JSON.stringify(delta).length ? snapshot : delta;
}

/**
 * The missed changes reduced to the latest state of each incident, in seq order of those latest changes: a
 * client applies states, not steps, so 1,000 changes to 50 incidents are 50 entries. 'created' is kept when
 * the incident was created within the gap, so the client files it as new.
 */
export function compactChanges(changes: readonly IncidentChange[]): IncidentChange[] {
  const latest = new Map<string, IncidentChange>();
  const created = new Set<string>();
  for (const c of changes) {
    if (c.type === 'created') created.add(c.incident.id);
    latest.delete(c.incident.id); // re-insert: the Map's order becomes the order of each incident's last change
    latest.set(c.incident.id, c);
  }
  return [...latest.values()].map((c) => (created.has(c.incident.id) && c.type !== 'created' ? { ...c, type: 'created' } : c));
}

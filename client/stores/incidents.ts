import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { Incident, IncidentChange } from '#common/incidents/types';
import { socket } from '../realtime/socket';
import { advanceSeq, applyChange, applySnapshot, initialIncidents, isOpen, STAFF_CAP } from './incidents-reducer';

/** Live incidents of the subscribed region. Bound to the socket once; components only read. */
export const useIncidentsStore = defineStore('incidents', () => {
  const state = shallowRef(initialIncidents());
  /** Ids that arrived live (not from a snapshot), for a brief highlight in the feed. */
  const fresh = shallowRef(new Set<string>());
  /** Bumped on every applied change: a cheap thing to watch. */
  const version = ref(0);

  /**
   * Replay mode: the open incidents at a past instant (client/stores/replay.ts), shown instead of the live ones
   * by every reader of `list` (map, feed, charts). Live changes keep arriving into `state` meanwhile, so going
   * back to live needs no resync.
   */
  const replay = shallowRef<Incident[] | null>(null);
  /** The instant `replay` shows (epoch ms), null when live: what the screen clock reads (stores/clock.ts). */
  const replayAt = ref<number | null>(null);
  /**
   * Every version of every incident of the replayed day (null when live), set once per day: the map makes one
   * point per place from it so that each seek only restyles points (composables/useMapReplay.ts).
   */
  const replayDay = shallowRef<readonly Incident[] | null>(null);
  const list = computed<Incident[]>(() => replay.value ?? state.value.order.map((id) => state.value.byId.get(id)!));
  const open = computed(() => list.value.filter(isOpen));
  /** Told of every incident created live (not from a snapshot or a replay): the console's alerts. */
  const createdListeners = new Set<(incident: Incident) => void>();
  function onLiveCreated(fn: (incident: Incident) => void): () => void {
    createdListeners.add(fn);
    return () => createdListeners.delete(fn);
  }

  /** A desk (console) holds every open case of its scope; the wall keeps the default cap. */
  function useStaffCap(staff: boolean): void {
    state.value.cap = staff ? STAFF_CAP : initialIncidents().cap;
  }

  function snapshot(seq: number, incidents: Incident[]): void {
    applySnapshot(state.value, seq, incidents);
    fresh.value = new Set();
    triggerRef(state);
    version.value++;
  }

  /**
   * Apply pushed or replayed changes, then notify once: a burst of a thousand costs one re-render.
   * Returns the highest seq that was new, or 0.
   */
  function applyChanges(changes: readonly IncidentChange[], live: boolean): number {
    let applied = 0;
    for (const c of changes) {
      if (!applyChange(state.value, c.seq, c.incident)) continue;
      applied = Math.max(applied, c.seq);
      if (live) fresh.value.add(c.incident.id);
      if (live && c.type === 'created') for (const fn of createdListeners) fn(c.incident);
    }
    if (applied) {
      if (live) {
        for (const id of fresh.value) if (fresh.value.size > 50) fresh.value.delete(id);
        triggerRef(fresh);
      }
      triggerRef(state);
      version.value++;
    }
    return applied;
  }

  /** One change; true when it was new. */
  function change(seq: number, incident: Incident, live: boolean): boolean {
    return applyChanges([{ seq, type: 'updated', incident }], live) > 0;
  }

  /** Show the incidents open at a replayed instant `atMs` (null: back to live). */
  function showReplay(incidents: Incident[] | null, atMs: number | null = null): void {
    replay.value = incidents;
    replayAt.value = incidents ? atMs : null;
    version.value++;
  }

  function showReplayDay(incidents: readonly Incident[] | null): void {
    replayDay.value = incidents;
  }

  function advance(seq: number): void {
    advanceSeq(state.value, seq);
  }

  let bound = false;
  function bindEvents(onApplied: (seq: number) => void): void {
    if (bound) return;
    bound = true;
    const apply = (changes: IncidentChange[]) => {
      const seq = applyChanges(changes, true);
      if (seq) onApplied(seq);
    };
    socket.on('incident:created', ({ seq, incident }) => apply([{ seq, type: 'created', incident }]));
    socket.on('incident:updated', ({ seq, incident }) => apply([{ seq, type: 'updated', incident }]));
    socket.on('incidents:batch', ({ changes }) => apply(changes));
  }

  return { state, version, list, replay, replayAt, replayDay, showReplay, showReplayDay, open, fresh, onLiveCreated, useStaffCap, snapshot, change, applyChanges, advance, bindEvents };
});

import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { Incident } from '#common/incidents/types';
import { socket } from '../realtime/socket';
import { advanceSeq, applyChange, applySnapshot, initialIncidents, isOpen } from './incidents-reducer';

/** Live incidents of the subscribed region. Bound to the socket once; components only read. */
export const useIncidentsStore = defineStore('incidents', () => {
  const state = shallowRef(initialIncidents());
  /** Ids that arrived live (not from a snapshot), for a brief highlight in the feed. */
  const fresh = shallowRef(new Set<string>());
  /** Bumped on every applied change: a cheap thing to watch. */
  const version = ref(0);

  const list = computed<Incident[]>(() => state.value.order.map((id) => state.value.byId.get(id)!));
  const open = computed(() => list.value.filter(isOpen));

  function snapshot(seq: number, incidents: Incident[]): void {
    applySnapshot(state.value, seq, incidents);
    fresh.value = new Set();
    triggerRef(state);
    version.value++;
  }

  /** Returns true when the change was new. */
  function change(seq: number, incident: Incident, live: boolean): boolean {
    const changed = applyChange(state.value, seq, incident);
    if (changed) {
      if (live) {
        fresh.value.add(incident.id);
        if (fresh.value.size > 50) fresh.value.delete(fresh.value.values().next().value!);
        triggerRef(fresh);
      }
      triggerRef(state);
      version.value++;
    }
    return changed;
  }

  function advance(seq: number): void {
    advanceSeq(state.value, seq);
  }

  let bound = false;
  function bindEvents(onApplied: (seq: number) => void): void {
    if (bound) return;
    bound = true;
    socket.on('incident:created', ({ seq, incident }) => {
      if (change(seq, incident, true)) onApplied(seq);
    });
    socket.on('incident:updated', ({ seq, incident }) => {
      if (change(seq, incident, true)) onApplied(seq);
    });
    socket.on('incidents:batch', ({ changes }) => {
      for (const c of changes) if (change(c.seq, c.incident, true)) onApplied(c.seq);
    });
  }

  return { state, version, list, open, fresh, snapshot, change, advance, bindEvents };
});

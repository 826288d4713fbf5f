import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { useIncidentsStore } from './incidents';

/**
 * The screen's clock: the one "now" that every time-relative figure of the shared panels reads (the feed's
 * 未确认 after a minute, SLA flags, "minutes ago"). Live it is the wall clock, ticking once a second; while a
 * replayed instant is shown (the incidents store's replay mode) it is that instant, so a past state is judged
 * against its own time, never against today's. One timer for every panel, for the life of the page.
 */
export const useClockStore = defineStore('clock', () => {
  const incidents = useIncidentsStore();
  const wall = ref(Date.now());
  setInterval(() => (wall.value = Date.now()), 1000);
  /** Epoch ms the screen shows. */
  const now = computed(() => incidents.replayAt ?? wall.value);
  /** The replayed instant, or null when live. */
  const replayAt = computed(() => incidents.replayAt);
  return { now, replayAt };
});

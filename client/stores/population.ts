import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef, watch } from 'vue';
import type { GridLayer } from '#common/population/grids';
import type { PopulationReply } from '#common/population/types';
import { api } from '../api/http';
import { socket } from '../realtime/socket';
import { useConnectionStore } from './connection';
import * as R from './population-reducer';

/**
 * Population of the region the wall follows (connection.regionId, which the map's breadcrumbs switch), and the
 * per-grid layer of the whole scope for the map. Fetched over REST on every region switch and reconnect;
 * `population:updated` pushes (after an import) replace it live. Walls get the suppressed variant from the
 * server: this store never sees an exact small count there.
 */
export const usePopulationStore = defineStore('population', () => {
  const state = shallowRef(R.initialPopulation());
  const layer = shallowRef<GridLayer | null>(null);
  const error = ref<string | null>(null);
  /** Bumped on every new reply or layer. */
  const version = ref(0);
  const reply = computed(() => state.value.reply);
  const regionId = computed(() => state.value.regionId);
  const connection = useConnectionStore();

  /** Pushes applied so far: a REST reply requested before the latest push is older than what it replaced. */
  let pushesApplied = 0;

  async function follow(id: string): Promise<void> {
    state.value.regionId = id;
    const pushesBefore = pushesApplied;
    try {
      const r = await api<PopulationReply>(`/api/population?regionId=${encodeURIComponent(id)}`);
      if (pushesApplied === pushesBefore && R.applyReply(state.value, r)) {
        triggerRef(state);
        version.value++;
      }
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  let layerLoading: Promise<void> | null = null;
  /** The per-grid layer of the user's scope (the server's default region). */
  function loadLayer(): Promise<void> {
    layerLoading ??= api<GridLayer>('/api/population/grids')
      .then((l) => {
        layer.value = l;
        version.value++;
      })
      .catch((err: Error) => {
        error.value = err.message;
      })
      .finally(() => (layerLoading = null));
    return layerLoading;
  }

  function ensureLayer(): void {
    if (!layer.value) void loadLayer();
  }

  let bound = false;
  /** Bind the push and follow the subscribed region; idempotent. */
  function start(): void {
    if (bound) return;
    bound = true;
    socket.on('population:updated', ({ reply: r }) => {
      if (R.applyReply(state.value, r)) {
        pushesApplied++;
        triggerRef(state);
        version.value++;
      }
      void loadLayer();
    });
    // A reconnect may have missed a push: fetch again.
    socket.on('connect', () => {
      if (state.value.regionId) void follow(state.value.regionId);
      if (layer.value) void loadLayer();
    });
    watch(
      () => connection.regionId,
      (id) => {
        if (id && id !== state.value.regionId) void follow(id);
      },
      { immediate: true },
    );
    void loadLayer();
  }

  return { state, reply, regionId, layer, error, version, follow, loadLayer, ensureLayer, start };
});

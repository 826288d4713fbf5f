import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { WorkerSummary } from '#common/dispatch/types';
import type { Checkin, Patrol, PositionFix, WorkersPositionsPush } from '#common/field/types';
import type { PatrolDay } from '#common/field/mileage';
import { api } from '../api/http';
import { socket } from '../realtime/socket';
import * as R from './workers-reducer';

export interface WorkerDay {
  workerId: string;
  date: string;
  fixes: PositionFix[];
  patrols: Patrol[];
  checkins: Checkin[];
  stats: PatrolDay;
}

/** Grid workers on the dispatcher's map (issue 9): the roster with last positions, live pushes, one worker's day. */
export const useWorkersStore = defineStore('workers', () => {
  const state = shallowRef<R.WorkersState>(R.emptyWorkers());
  /** Staleness clock: markers turn stale without a push, so the layer is redrawn on this tick. */
  const now = ref(Date.now());
  const visible = ref(true);
  const selectedId = ref<string | null>(null);
  const day = shallowRef<WorkerDay | null>(null);
  const error = ref<string | null>(null);
  let started = false;
  let timer: ReturnType<typeof setInterval> | null = null;

  const onPush = (p: WorkersPositionsPush) => {
    state.value = R.applyPush(state.value, p, Date.now());
  };

  const onConnect = () => void load();

  /** Load the roster and follow pushes (staff only; the server refuses anyone else). */
  async function start(): Promise<void> {
    if (!started) {
      started = true;
      socket.on('workers:positions', onPush);
      // A reconnect may have missed pushes: the list again.
      socket.on('connect', onConnect);
      timer = setInterval(() => (now.value = Date.now()), 15_000);
    }
    await load();
  }

  async function load(): Promise<void> {
    try {
      const r = await api<{ items: WorkerSummary[] }>('/api/workers');
      state.value = R.fromList(state.value, r.items);
      error.value = null;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function stop(): void {
    socket.off('workers:positions', onPush);
    socket.off('connect', onConnect);
    if (timer) clearInterval(timer);
    started = false;
  }
  onScopeDispose(stop);

  /** Pick a worker (or none): their card, and their track for `date` (today by default) on demand. */
  function select(id: string | null): void {
    selectedId.value = id;
    if (day.value?.workerId !== id) day.value = null;
  }

  async function loadDay(id: string, date?: string): Promise<void> {
    const q = date ? `?date=${encodeURIComponent(date)}` : '';
    try {
      const d = await api<WorkerDay>(`/api/workers/${encodeURIComponent(id)}/track${q}`);
      if (selectedId.value === id) day.value = d;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  const selected = computed(() => (selectedId.value ? state.value.byId.get(selectedId.value) ?? null : null));
  const collection = computed(() => R.workersCollection(state.value, now.value));
  const summary = computed(() => R.workersSummary(state.value, now.value));
  const track = computed(() => R.trackCollection(day.value?.fixes ?? []));

  return { state, now, visible, selectedId, selected, day, error, collection, summary, track, start, stop, load, select, loadDay };
});

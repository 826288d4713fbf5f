import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { CareIndicatorsReply, WallCareReply } from '#common/care/indicators';
import type { TeamHours } from '#common/care/types';
import { api } from '../api/http';
import { socket } from '../realtime/socket';
import * as R from './care-reducer';

const REFRESH_MS = 5 * 60_000;
const DEBOUNCE_MS = 800;

/**
 * Community life of the user's scope for the wall and the grid panel: indicators (every community and grid,
 * suppressed for a wall by the server), this week's activities and the volunteer teams' hours. `care:changed`
 * pushes are hints: the store refetches, at most once per DEBOUNCE_MS, and every REFRESH_MS (the week moves on).
 */
export const useCareStore = defineStore('care', () => {
  const indicators = shallowRef<CareIndicatorsReply | WallCareReply | null>(null);
  const week = shallowRef<R.Occurrence[]>([]);
  const teams = shallowRef<TeamHours[]>([]);
  const isolation = shallowRef<Map<string, number>>(new Map());
  const error = ref<string | null>(null);
  /** Bumped on every refresh: the grid panel refetches its grid's figures then. */
  const version = ref(0);

  async function refresh(): Promise<void> {
    try {
      const { from, to } = R.cstWeek(Date.now());
      const [ind, acts, hours] = await Promise.all([
        api<CareIndicatorsReply | WallCareReply>('/api/care/indicators'),
        api<{ activities: R.ActivityView[] }>(`/api/activities?from=${from.toISOString()}&to=${to.toISOString()}`),
        api<{ teams: TeamHours[] }>('/api/volunteers/hours'),
      ]);
      indicators.value = ind;
      isolation.value = R.isolationByGrid([ind.region, ...ind.children]);
      week.value = R.flattenOccurrences(acts.activities, 60);
      teams.value = hours.teams.slice(0, 5);
      error.value = null;
      version.value++;
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  let timer: ReturnType<typeof setTimeout> | null = null;
  function soon(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void refresh();
    }, DEBOUNCE_MS);
  }

  let bound = false;
  function start(): void {
    if (bound) return;
    bound = true;
    socket.on('care:changed', soon);
    socket.on('connect', soon);
    setInterval(soon, REFRESH_MS);
    void refresh();
  }

  return { indicators, week, teams, isolation, error, version, refresh, start };
});

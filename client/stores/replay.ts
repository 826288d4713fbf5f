import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ReplayDayResponse } from '#common/replay/fold';
import { CST_OFFSET_MS } from '#common/time';
import { api } from '../api/http';
import { useConnectionStore } from './connection';
import { useDashboardStore } from './dashboard';
import { useIncidentsStore } from './incidents';
import { buildTimeline, dayVersions, frameAt, type ReplayTimeline } from './replay-reducer';

export const REPLAY_SPEEDS = [60, 600] as const;
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number];

/** Today's date in China Standard Time, YYYY-MM-DD. */
export const cstDay = (ms: number) => new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);

/**
 * Day replay: fetches a day's changes once (`/api/replay/day`), then every scrub is a local fold (replay-reducer)
 * shown through the incidents and dashboard stores' replay mode, so the one map, feed and KPI bar show the past.
 */
export const useReplayStore = defineStore('replay', () => {
  const incidents = useIncidentsStore();
  const dashboard = useDashboardStore();
  const day = ref<string | null>(null);
  const timeline = shallowRef<ReplayTimeline | null>(null);
  const atMs = ref<number | null>(null);
  const playing = ref<ReplaySpeed | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const truncated = ref(false);
  /** Milliseconds the last scrub took to fold (what the bench and the e2e read). */
  const lastFoldMs = ref(0);
  const active = computed(() => atMs.value !== null);
  let timer: ReturnType<typeof setInterval> | null = null;

  let requests = 0;
  async function openDay(d: string): Promise<void> {
    const mine = ++requests;
    loading.value = true;
    error.value = null;
    try {
      const region = useConnectionStore().regionId;
      const q = new URLSearchParams({ day: d, ...(region ? { regionId: region } : {}) });
      const res = await api<ReplayDayResponse>(`/api/replay/day?${q}`);
      // A day picked while this one loaded wins, whichever answer comes last.
      if (mine !== requests) return;
      // Another day keeps the time of day shown (10:00 yesterday → 10:00 the day before).
      const offset = atMs.value !== null && timeline.value ? atMs.value - timeline.value.fromMs : 0;
      timeline.value = buildTimeline(res);
      incidents.showReplayDay(dayVersions(timeline.value));
      truncated.value = res.truncated;
      day.value = d;
      seek(timeline.value.fromMs + offset);
    } catch (err) {
      if (mine === requests) error.value = (err as Error).message;
    } finally {
      if (mine === requests) loading.value = false;
    }
  }

  /** Show the state at `ms` (clamped to the day loaded). */
  function seek(ms: number): void {
    const t = timeline.value;
    if (!t) return;
    const at = Math.min(Math.max(ms, t.fromMs), t.toMs);
    const started = performance.now();
    const frame = frameAt(t, at);
    lastFoldMs.value = performance.now() - started;
    atMs.value = at;
    incidents.showReplay(frame.open, at);
    dashboard.replayKpis = frame.kpis;
  }

  function play(speed: ReplaySpeed): void {
    pause();
    playing.value = speed;
    const TICK = 250;
    timer = setInterval(() => {
      const t = timeline.value;
      if (!t || atMs.value === null) return pause();
      if (atMs.value >= t.toMs) return pause();
      seek(atMs.value + TICK * speed);
    }, TICK);
  }

  function pause(): void {
    if (timer) clearInterval(timer);
    timer = null;
    playing.value = null;
  }

  /** Back to live: the live state was kept up to date all along. */
  function live(): void {
    pause();
    atMs.value = null;
    timeline.value = null;
    day.value = null;
    incidents.showReplay(null);
    incidents.showReplayDay(null);
    dashboard.replayKpis = null;
  }

  return { day, timeline, atMs, playing, loading, error, truncated, lastFoldMs, active, openDay, seek, play, pause, live };
});

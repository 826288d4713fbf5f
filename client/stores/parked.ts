import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ParkedList, ParkedReport, PlaceResult } from '#common/ingest/parked';
import { api } from '../api/http';

const REFRESH_MS = 30_000;

/**
 * Parked reports (待定位) of the console: the list and its count, and placing one — pick it, click the map,
 * confirm — after which it flows like any report (its incident arrives on the socket).
 */
export const useParkedStore = defineStore('parked', () => {
  const items = shallowRef<ParkedReport[]>([]);
  const total = ref(0);
  const open = ref(false);
  const pickedId = ref<string | null>(null);
  const point = shallowRef<{ lng: number; lat: number } | null>(null);
  const busy = ref(false);
  const error = ref<string | null>(null);
  const lastPlaced = shallowRef<PlaceResult | null>(null);
  const picked = computed(() => items.value.find((p) => p.id === pickedId.value) ?? null);
  let timer: ReturnType<typeof setInterval> | undefined;

  async function load(): Promise<void> {
    try {
      const list = await api<ParkedList>('/api/parked');
      items.value = list.items;
      total.value = list.total;
      if (pickedId.value && !picked.value) cancel();
    } catch (err) {
      error.value = (err as Error).message;
    }
  }

  function start(): void {
    void load();
    timer ??= setInterval(() => void load(), REFRESH_MS);
  }
  function stop(): void {
    clearInterval(timer);
    timer = undefined;
  }

  function pick(id: string): void {
    pickedId.value = id;
    point.value = null;
    error.value = null;
  }
  function cancel(): void {
    pickedId.value = null;
    point.value = null;
  }
  /** The map's click while a report is picked. */
  function setPoint(p: { lng: number; lat: number }): void {
    if (pickedId.value) point.value = { lng: Number(p.lng.toFixed(7)), lat: Number(p.lat.toFixed(7)) };
  }

  async function confirm(): Promise<PlaceResult | null> {
    const id = pickedId.value;
    if (!id || !point.value || busy.value) return null;
    busy.value = true;
    error.value = null;
    try {
      const result = await api<PlaceResult>(`/api/parked/${encodeURIComponent(id)}/place`, { method: 'POST', body: point.value });
      lastPlaced.value = result;
      cancel();
      await load();
      return result;
    } catch (err) {
      error.value = (err as Error).message;
      return null;
    } finally {
      busy.value = false;
    }
  }

  return { items, total, open, pickedId, picked, point, busy, error, lastPlaced, load, start, stop, pick, cancel, setPoint, confirm };
});

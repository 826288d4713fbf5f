import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Kpis } from '#common/incidents/types';
import type { SourceHealth } from '#common/realtime/events';
import { socket } from '../realtime/socket';

/** Region-level aggregates pushed by the server: KPIs and upstream health. */
export const useDashboardStore = defineStore('dashboard', () => {
  const regionId = ref<string | null>(null);
  const kpis = ref<Kpis | null>(null);
  /** The KPIs at a replayed instant; while set, the header shows them instead of the live ones. */
  const replayKpis = ref<Kpis | null>(null);
  const sources = ref<SourceHealth[]>([]);

  function setSnapshot(snapshotRegion: string, k: Kpis, s: SourceHealth[]): void {
    regionId.value = snapshotRegion;
    kpis.value = k;
    sources.value = s;
  }

  let bound = false;
  function bindEvents(): void {
    if (bound) return;
    bound = true;
    socket.on('kpis:updated', (p) => {
      if (p.regionId === regionId.value) kpis.value = p.kpis;
    });
    socket.on('sources:updated', (p) => {
      sources.value = p.sources;
    });
  }

  return { regionId, kpis, replayKpis, sources, setSnapshot, bindEvents };
});

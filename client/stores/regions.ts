import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { FeatureCollection, Polygon } from 'geojson';
import type { RegionProps } from '#common/geo/types';
import { api } from '../api/http';

export type RegionCollection = FeatureCollection<Polygon, RegionProps>;

/** Region polygons in the user's scope, loaded once per session. */
export const useRegionsStore = defineStore('regions', () => {
  const collection = shallowRef<RegionCollection | null>(null);
  const error = shallowRef<string | null>(null);
  let loading: Promise<void> | null = null;
  const byId = computed(() => new Map((collection.value?.features ?? []).map((f) => [f.properties.id, f.properties])));

  function nameOf(id: string | null, locale: string): string | null {
    const p = id ? byId.value.get(id) : undefined;
    return p ? (locale === 'en' ? p.nameEn : p.name) : null;
  }

  function load(): Promise<void> {
    loading ??= api<RegionCollection>('/api/geo/regions.geojson')
      .then((fc) => {
        collection.value = fc;
        error.value = null;
      })
      .catch((err: Error) => {
        error.value = err.message;
        loading = null;
      });
    return loading;
  }

  function bbox(): [number, number, number, number] | null {
    const fc = collection.value;
    if (!fc?.features.length) return null;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const f of fc.features) {
      if (f.properties.parentId !== null) continue;
      for (const [x, y] of f.geometry.coordinates[0] as [number, number][]) {
        minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
      }
    }
    return Number.isFinite(minX) ? [minX, minY, maxX, maxY] : null;
  }

  function reset(): void {
    collection.value = null;
    loading = null;
  }

  return { collection, error, byId, nameOf, load, bbox, reset };
});

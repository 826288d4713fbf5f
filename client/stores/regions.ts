import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { RegionLevel, RegionNode } from '#common/geo/types';
import { api } from '../api/http';

export interface RegionEntry {
  id: string;
  level: RegionLevel;
  name: string;
  nameEn: string;
  parentId: string | null;
  children: string[];
}

/** Flatten the tree into entries by id. */
export function indexTree(root: RegionNode | null): Map<string, RegionEntry> {
  const out = new Map<string, RegionEntry>();
  const visit = (n: RegionNode, parentId: string | null) => {
    out.set(n.id, { id: n.id, level: n.level, name: n.name, nameEn: n.nameEn, parentId, children: n.children.map((c) => c.id) });
    for (const c of n.children) visit(c, n.id);
  };
  if (root) visit(root, null);
  return out;
}

/**
 * The region tree of the user's scope (names only, no geometry: the map draws server-cut vector tiles),
 * loaded once per session.
 */
export const useRegionsStore = defineStore('regions', () => {
  const tree = shallowRef<RegionNode | null>(null);
  const error = shallowRef<string | null>(null);
  let loading: Promise<void> | null = null;
  const byId = computed(() => indexTree(tree.value));
  const rootId = computed(() => tree.value?.id ?? null);

  function nameOf(id: string | null, locale: string): string | null {
    const p = id ? byId.value.get(id) : undefined;
    return p ? (locale === 'en' ? p.nameEn : p.name) : null;
  }

  function childrenOf(id: string): RegionEntry[] {
    return (byId.value.get(id)?.children ?? []).map((c) => byId.value.get(c)!);
  }

  function load(): Promise<void> {
    loading ??= api<RegionNode>('/api/regions')
      .then((root) => {
        tree.value = root;
        error.value = null;
      })
      .catch((err: Error) => {
        error.value = err.message;
        loading = null;
      });
    return loading;
  }

  function reset(): void {
    tree.value = null;
    loading = null;
  }

  return { tree, error, byId, rootId, nameOf, childrenOf, load, reset };
});

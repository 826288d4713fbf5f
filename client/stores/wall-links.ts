import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { WallRotation } from '#common/wall/rotation';
import type { WallLink } from '#common/wall/link';
import { api } from '../api/http';

/** Admins' wall links: list, issue (the token comes back once), change the rotation or region, reissue, revoke. */
export const useWallLinksStore = defineStore('wallLinks', () => {
  const links = ref<WallLink[]>([]);

  async function load(): Promise<void> {
    links.value = (await api<{ links: WallLink[] }>('/api/wall-links')).links;
  }

  /** The new link and the address a wall opens (only now: the server keeps no token). */
  async function create(input: { label: string; days: number; rotation: WallRotation | null; regionId: string }): Promise<{ link: WallLink; url: string }> {
    const res = await api<{ link: WallLink; path: string }>('/api/wall-links', { method: 'POST', body: input });
    await load();
    return { link: res.link, url: `${location.origin}${res.path}` };
  }

  async function update(id: string, set: { rotation?: WallRotation | null; regionId?: string }): Promise<void> {
    await api<{ link: WallLink }>(`/api/wall-links/${encodeURIComponent(id)}`, { method: 'PATCH', body: set });
    await load();
  }

  /** A new address for the same link (the old one stops working at once); like create, known only now. */
  async function reissue(id: string): Promise<{ link: WallLink; url: string }> {
    const res = await api<{ link: WallLink; path: string }>(`/api/wall-links/${encodeURIComponent(id)}/reissue`, { method: 'POST' });
    await load();
    return { link: res.link, url: `${location.origin}${res.path}` };
  }

  async function revoke(id: string): Promise<void> {
    await api<null>(`/api/wall-links/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await load();
  }

  return { links, load, create, update, reissue, revoke };
});

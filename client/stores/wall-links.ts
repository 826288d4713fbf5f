import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { WallRotation } from '#common/wall/rotation';
import type { WallLink } from '#common/wall/link';
import { api } from '../api/http';

/** Admins' wall links: list, issue (the token comes back once), change the rotation, revoke. */
export const useWallLinksStore = defineStore('wallLinks', () => {
  const links = ref<WallLink[]>([]);

  async function load(): Promise<void> {
    links.value = (await api<{ links: WallLink[] }>('/api/wall-links')).links;
  }

  /** The new link and the address a wall opens (only now: the server keeps no token). */
  async function create(input: { label: string; days: number; rotation: WallRotation | null }): Promise<{ link: WallLink; url: string }> {
    const res = await api<{ link: WallLink; path: string }>('/api/wall-links', { method: 'POST', body: input });
    await load();
    return { link: res.link, url: `${location.origin}${res.path}` };
  }

  async function setRotation(id: string, rotation: WallRotation | null): Promise<void> {
    await api<{ link: WallLink }>(`/api/wall-links/${encodeURIComponent(id)}`, { method: 'PATCH', body: { rotation } });
    await load();
  }

  async function revoke(id: string): Promise<void> {
    await api<null>(`/api/wall-links/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await load();
  }

  return { links, load, create, setRotation, revoke };
});

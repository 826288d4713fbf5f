import { defineStore } from 'pinia';
import { ref } from 'vue';
import { themeAt, type WallLinkCurrent, type WallRotation, type WallTheme } from '#common/wall/rotation';
import type { PublicUser } from '#common/auth/types';
import { api } from '../api/http';
import { useSessionStore } from './session';

/** How often a wall re-reads its link's settings when no theme slot starts sooner (an admin's edit arrives). */
export const RECHECK_MS = 60_000;

/**
 * The wall's theme: today's layout unless the wall link carries a rotation (GET /api/wall-links/current),
 * then the theme of the current slot (common/wall/rotation.ts). The settings are read again when the next slot
 * starts, and at least every minute, so an admin's change to the link (PATCH /api/wall-links/{id}) arrives; a
 * change of its region reloads the page, which signs in again with the same token into the new region.
 */
export const useWallThemeStore = defineStore('wallTheme', () => {
  const rotation = ref<WallRotation | null>(null);
  const theme = ref<WallTheme>('overview');
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;

  function show(): void {
    const { theme: now, nextAtMs } = themeAt(rotation.value, Date.now());
    theme.value = now;
    if (timer) clearTimeout(timer);
    if (!running) return;
    // +50 ms so the timer lands inside the next slot, not on its edge.
    const wait = nextAtMs === null ? RECHECK_MS : Math.min(RECHECK_MS, nextAtMs - Date.now() + 50);
    timer = setTimeout(() => void refresh(), Math.max(1000, wait));
  }

  async function read(): Promise<void> {
    try {
      const current = await api<WallLinkCurrent>('/api/wall-links/current');
      rotation.value = current.rotation;
      // An admin moved the link to another region: start again in it (the server has already closed our socket).
      const session = useSessionStore();
      const shown = session.user?.regionId;
      if (current.regionId && shown && current.regionId !== shown && session.token) {
        session.set({ token: session.token, user: await api<PublicUser>('/api/auth/me') });
        window.location.reload();
      }
    } catch {
      // Offline for a moment: keep the rotation we have. (An older server without the route: null from start.)
    }
  }

  async function refresh(): Promise<void> {
    await read();
    show();
  }

  async function start(): Promise<void> {
    // Only a wall link has settings; staff looking at the wall see today's layout (and no 403 in the console).
    rotation.value = null;
    running = useSessionStore().isWall;
    if (running) await read();
    show();
  }

  function stop(): void {
    running = false;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  return { rotation, theme, start, stop };
});

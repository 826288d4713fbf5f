import { defineStore } from 'pinia';
import { ref } from 'vue';
import { themeAt, type WallLinkCurrent, type WallRotation, type WallTheme } from '#common/wall/rotation';
import { api } from '../api/http';
import { useSessionStore } from './session';

/**
 * The wall's theme: today's layout unless the wall link carries a rotation (GET /api/wall-links/current),
 * then the theme of the current slot (common/wall/rotation.ts), re-checked when the next slot starts.
 */
export const useWallThemeStore = defineStore('wallTheme', () => {
  const rotation = ref<WallRotation | null>(null);
  const theme = ref<WallTheme>('overview');
  let timer: ReturnType<typeof setTimeout> | null = null;

  function tick(): void {
    const { theme: now, nextAtMs } = themeAt(rotation.value, Date.now());
    theme.value = now;
    if (timer) clearTimeout(timer);
    // +50 ms so the timer lands inside the next slot, not on its edge.
    timer = nextAtMs === null ? null : setTimeout(tick, Math.max(1000, nextAtMs - Date.now() + 50));
  }

  async function start(): Promise<void> {
    // Only a wall link has settings; staff looking at the wall see today's layout (and no 403 in the console).
    if (!useSessionStore().isWall) {
      rotation.value = null;
      tick();
      return;
    }
    try {
      rotation.value = (await api<WallLinkCurrent>('/api/wall-links/current')).rotation;
    } catch {
      // An older server without the route: today's layout.
      rotation.value = null;
    }
    tick();
  }

  function stop(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  return { rotation, theme, start, stop };
});

/** The wall's themes: today's layout, aging-and-care (map + population/care panels), effectiveness (analytics). */
export const WALL_THEMES = ['overview', 'care', 'effectiveness'] as const;
export type WallTheme = (typeof WALL_THEMES)[number];

/** An optional rotation set per wall link: the themes in turn (no repeats), each shown `minutes` (1 … 1,440); checked by rotation-schema.ts. */
export interface WallRotation {
  themes: WallTheme[];
  minutes: number;
}

/** What `GET /api/wall-links/current` answers to the wall holding the link's token. */
export interface WallLinkCurrent {
  rotation: WallRotation | null;
}

const MINUTE_MS = 60_000;

/**
 * The theme to show at `nowMs` and when the next one starts. Slots are aligned to the epoch (not to page load)
 * so every wall on the same link shows the same theme, and a reload does not restart the cycle.
 */
export function themeAt(rotation: WallRotation | null, nowMs: number): { theme: WallTheme; nextAtMs: number | null } {
  if (!rotation || rotation.themes.length <= 1) return { theme: rotation?.themes[0] ?? 'overview', nextAtMs: null };
  const slotMs = rotation.minutes * MINUTE_MS;
  const slot = Math.floor(nowMs / slotMs);
  return { theme: rotation.themes[slot % rotation.themes.length]!, nextAtMs: (slot + 1) * slotMs };
}

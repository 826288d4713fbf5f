/**
 * Wall theme rotation: types and the slot rule. No zod here: the wall imports this module and its bundle stays
 * free of schemas (the validator is `rotation-schema.ts`, server side).
 */

/** The wall's themes: today's layout, aging-and-care (map + population/care panels), effectiveness (analytics). */
export const WALL_THEMES = ['overview', 'care', 'effectiveness'] as const;
export type WallTheme = (typeof WALL_THEMES)[number];

/**
 * An optional rotation set per wall link: the themes in turn, each shown `seconds` (or `minutes`, the older
 * form; a rotation carries exactly one of the two).
 */
export interface WallRotation {
  themes: WallTheme[];
  minutes?: number;
  seconds?: number;
}

/** What `GET /api/wall-links/current` answers to the wall holding the link's token. */
export interface WallLinkCurrent {
  rotation: WallRotation | null;
  /** The region the link shows; a wall whose region was changed (PATCH) reloads into the new one. */
  regionId: string | null;
}

/** How long each theme stays, in seconds. */
export function dwellSeconds(rotation: WallRotation): number {
  return rotation.seconds ?? (rotation.minutes ?? 1) * 60;
}

/**
 * The theme to show at `nowMs` and when the next one starts. Slots are aligned to the epoch (not to page load)
 * so every wall on the same link shows the same theme, and a reload does not restart the cycle.
 */
export function themeAt(rotation: WallRotation | null, nowMs: number): { theme: WallTheme; nextAtMs: number | null } {
  if (!rotation || rotation.themes.length <= 1) return { theme: rotation?.themes[0] ?? 'overview', nextAtMs: null };
  const slotMs = dwellSeconds(rotation) * 1000;
  const slot = Math.floor(nowMs / slotMs);
  return { theme: rotation.themes[slot % rotation.themes.length]!, nextAtMs: (slot + 1) * slotMs };
}

import type { WallRotation } from '#common/wall/rotation';
import { wallRotationSchema } from '#common/wall/rotation-schema';
import type { WallLink } from './types.ts';

/** A `wall_links` row as both stores keep it (times in epoch ms). */
export interface WallLinkRow {
  id: string;
  label: string;
  created_by: string | null;
  created_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
  /** JSON of the rotation; null when none (and absent before the migration ran). */
  rotation?: string | null;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

export const toWallLink = (r: WallLinkRow): WallLink => ({
  id: r.id,
  label: r.label,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
  rotation: r.rotation ? parseRotation(r.rotation) : null,
});

/** A stored rotation that no longer parses (schema changed) is dropped rather than breaking the wall. */
function parseRotation(json: string): WallRotation | null {
  try {
    const r = wallRotationSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

import type { WallRotation } from '#common/wall/rotation';
import { wallRotationSchema } from '#common/wall/rotation-schema';
import type { WallLink } from '#common/wall/link';
import type { WallLinkRecord } from './types.ts';

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
  /** Null only for a link recorded before regions were kept when there was no wall account to copy from. */
  region_id?: string | null;
  token_gen?: number | string;
  reissued_at?: number | string | null;
}

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** `rootRegionId`: the region of a link that has none recorded (what every wall showed before links had one). */
export const toWallLink = (r: WallLinkRow, rootRegionId: string): WallLinkRecord => ({
  id: r.id,
  label: r.label,
  createdBy: r.created_by,
  createdAt: iso(r.created_at),
  expiresAt: iso(r.expires_at),
  revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
  rotation: r.rotation ? parseRotation(r.rotation) : null,
  regionId: r.region_id ?? rootRegionId,
  reissuedAt: r.reissued_at === null || r.reissued_at === undefined ? null : iso(r.reissued_at),
  tokenGen: Number(r.token_gen ?? 0),
});

/** The wire form: without the token generation (GET /api/wall-links). */
export const wireWallLink = ({ tokenGen: _g, ...link }: WallLinkRecord): WallLink => link;

/** A stored rotation that no longer parses (schema changed) is dropped rather than breaking the wall. */
function parseRotation(json: string): WallRotation | null {
  try {
    const r = wallRotationSchema.safeParse(JSON.parse(json));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

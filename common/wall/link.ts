import type { WallRotation } from './rotation.ts';

/** A recorded wall link: the `jti` of a wall token. The token itself is never stored. (Wire type of /api/wall-links.) */
export interface WallLink {
  id: string;
  label: string;
  /** User id of the admin who made it; null for links the server made (first start, loopback). */
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  /** Optional theme rotation the wall shows (common/wall/rotation.ts); null = today's layout only. */
  rotation: WallRotation | null;
  /** The region subtree the wall on this link shows (within its issuer's scope). */
  regionId: string;
  /** When its token was last reissued (the older token stopped working then); null if never. */
  reissuedAt: string | null;
}

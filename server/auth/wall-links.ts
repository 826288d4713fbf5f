import { randomUUID } from 'node:crypto';
import type { WallRotation } from '#common/wall/rotation';
import type { Store, WallLink } from '../store/types.ts';
import type { TokenService } from './tokens.ts';

export const WALL_LINK_DAYS = 365;
/** The label of the link the server records for loopback auto-login (one live at a time, re-used). */
export const LOOPBACK_LABEL = 'loopback auto-login';
const DAY_MS = 86_400_000;

/** Record a wall link and sign its token; the token is returned once and never stored. */
export async function issueWallLink(
  deps: { store: Store; tokens: TokenService },
  opts: { wall: { id: string; regionId: string }; label: string; createdBy: string | null; days: number; rotation?: WallRotation | null },
): Promise<{ link: WallLink; token: string }> {
  const now = new Date();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + opts.days * DAY_MS);
  await deps.store.wallLinks.create({ id, label: opts.label, createdBy: opts.createdBy, createdAt: now, expiresAt, rotation: opts.rotation ?? null });
  const token = await deps.tokens.sign(
    { sub: opts.wall.id, role: 'wall', regionId: opts.wall.regionId, jti: id },
    Math.floor(expiresAt.getTime() / 1000),
  );
  return { link: (await deps.store.wallLinks.get(id))!, token };
}

/** A token for the live loopback link (made when there is none, e.g. after it was revoked). */
export async function loopbackWallToken(deps: { store: Store; tokens: TokenService }, wall: { id: string; regionId: string }): Promise<string> {
  const now = Date.now();
  const live = (await deps.store.wallLinks.list()).find(
    (l) => l.label === LOOPBACK_LABEL && l.createdBy === null && l.revokedAt === null && Date.parse(l.expiresAt) > now + DAY_MS,
  );
  if (!live) return (await issueWallLink(deps, { wall, label: LOOPBACK_LABEL, createdBy: null, days: WALL_LINK_DAYS })).token;
  return deps.tokens.sign(
    { sub: wall.id, role: 'wall', regionId: wall.regionId, jti: live.id },
    Math.floor(Date.parse(live.expiresAt) / 1000),
  );
}

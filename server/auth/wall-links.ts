import { randomUUID } from 'node:crypto';
import type { WallRotation } from '#common/wall/rotation';
import type { Store, WallLinkRecord } from '../store/types.ts';
import type { TokenService } from './tokens.ts';

export const WALL_LINK_DAYS = 365;
/** The label of the link the server records for loopback auto-login (one live at a time, re-used). */
export const LOOPBACK_LABEL = 'loopback auto-login';
const DAY_MS = 86_400_000;

/** The wall token of a link as it is now: its region, its token generation, its expiry. */
export function signWallToken(tokens: TokenService, wallId: string, link: WallLinkRecord): Promise<string> {
  return tokens.sign(
    { sub: wallId, role: 'wall', regionId: link.regionId, jti: link.id, gen: link.tokenGen },
    Math.floor(Date.parse(link.expiresAt) / 1000),
  );
}

/**
 * Record a wall link and sign its token; the token is returned once and never stored. `regionId`: the region the
 * wall shows (the caller has checked it lies in the issuer's scope); default the wall account's.
 */
export async function issueWallLink(
  deps: { store: Store; tokens: TokenService },
  opts: { wall: { id: string; regionId: string }; label: string; createdBy: string | null; days: number; rotation?: WallRotation | null; regionId?: string },
): Promise<{ link: WallLinkRecord; token: string }> {
  const now = new Date();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + opts.days * DAY_MS);
  const regionId = opts.regionId ?? opts.wall.regionId;
  await deps.store.wallLinks.create({ id, label: opts.label, createdBy: opts.createdBy, createdAt: now, expiresAt, rotation: opts.rotation ?? null, regionId });
  const link = (await deps.store.wallLinks.get(id))!;
  return { link, token: await signWallToken(deps.tokens, opts.wall.id, link) };
}

/**
 * A new token for a live link, same settings; every earlier token of it fails from now on (its generation is
 * behind). Null when the link is gone or revoked.
 */
export async function reissueWallLink(
  deps: { store: Store; tokens: TokenService },
  wallId: string,
  id: string,
): Promise<{ link: WallLinkRecord; token: string } | null> {
  if ((await deps.store.wallLinks.reissue(id, new Date())) === null) return null;
  const link = (await deps.store.wallLinks.get(id))!;
  return { link, token: await signWallToken(deps.tokens, wallId, link) };
}

/** A token for the live loopback link (made when there is none, e.g. after it was revoked). */
export async function loopbackWallToken(deps: { store: Store; tokens: TokenService }, wall: { id: string; regionId: string }): Promise<string> {
  const now = Date.now();
  const live = (await deps.store.wallLinks.list()).find(
    (l) => l.label === LOOPBACK_LABEL && l.createdBy === null && l.revokedAt === null && Date.parse(l.expiresAt) > now + DAY_MS,
  );
  if (!live) return (await issueWallLink(deps, { wall, label: LOOPBACK_LABEL, createdBy: null, days: WALL_LINK_DAYS })).token;
  return signWallToken(deps.tokens, wall.id, live);
}

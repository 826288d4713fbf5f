import type { Store } from '../store/types.ts';
import type { TokenClaims, TokenService } from './tokens.ts';

/**
 * How long a "this account/link is live" answer is reused. Every node reads the shared store, so a disable or
 * a revocation takes effect everywhere within this time, at one store read per user (or link) per period.
 */
export const ACCOUNT_CHECK_TTL_MS = 2000;

/**
 * A token service whose verify() also fails tokens of users that are gone or disabled, tokens whose role or
 * region no longer match the account, and wall tokens without a live recorded wall link (`jti`).
 */
export function withAccountCheck(tokens: TokenService, store: Store, ttlMs = ACCOUNT_CHECK_TTL_MS): TokenService & { isLive(claims: TokenClaims): Promise<boolean> } {
  const cache = new Map<string, { at: number; live: Promise<boolean> }>();

  function cached(key: string, read: () => Promise<boolean>): Promise<boolean> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < ttlMs) return hit.live;
    // Bounded: expired entries go when the map grows (a flood of forged subs cannot grow it, they fail the signature).
    if (cache.size > 10_000) for (const [k, v] of cache) if (now - v.at >= ttlMs) cache.delete(k);
    const live = read().catch(() => false);
    cache.set(key, { at: now, live });
    return live;
  }

  async function isLive(claims: TokenClaims): Promise<boolean> {
    if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) return false;
    const userLive = cached(`user:${claims.sub}:${claims.role}:${claims.regionId}`, async () => {
      const user = await store.users.byId(claims.sub);
      return !!user && !user.disabled && user.role === claims.role && user.regionId === claims.regionId;
    });
    if (claims.role !== 'wall') return userLive;
    // A wall token is only as good as its recorded link: unrecorded (old, logged) wall tokens fail too.
    const jti = claims.jti;
    if (!jti) return false;
    const linkLive = cached(`link:${jti}`, async () => {
      const link = await store.wallLinks.get(jti);
      return !!link && link.revokedAt === null && Date.parse(link.expiresAt) > Date.now();
    });
    return (await userLive) && (await linkLive);
  }

  return {
    sign: (claims, ttl) => tokens.sign(claims, ttl),
    verify: async (token) => {
      const claims = await tokens.verify(token);
      return claims && (await isLive(claims)) ? claims : null;
    },
    isLive,
  };
}

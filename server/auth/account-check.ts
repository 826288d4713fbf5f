import type { Store } from '../store/types.ts';
import type { TokenClaims, TokenService } from './tokens.ts';

/**
 * How long a "this account/link is live" answer is reused. Every node reads the shared store, so a disable or
 * a revocation takes effect everywhere within this time, at one store read per user (or link) per period.
 * Account changes made through the API are also announced to every node (`forget`), which drops the answer
 * at once.
 */
export const ACCOUNT_CHECK_TTL_MS = 2000;

type UserState = { live: false } | { live: true; mustChangePassword: boolean };

export interface AccountCheckedTokens extends TokenService {
  isLive(claims: TokenClaims): Promise<boolean>;
  /** Drop cached answers about a user (their account just changed, here or on another node). */
  forget(userId: string): void;
  /** Drop the cached answer about a wall link (just reissued, moved or revoked on this node). */
  forgetLink(linkId: string): void;
}

/** What a wall token's link says now: null when it is gone, revoked, expired or on a later token generation. */
type LinkState = { regionId: string; gen: number } | null;

/**
 * A token service whose verify() also fails tokens of users that are gone or disabled, tokens whose role or
 * region no longer match the account, tokens issued before the account's last password or role change, and
 * wall tokens without a live recorded wall link (`jti`) or of an older token generation (`gen`, reissue). A wall
 * token's region is its link's as it is now (PATCH may move it), whatever the token was signed with: every read
 * a wall makes goes through `claims.regionId`, so the link's region is the wall's scope.
 */
export function withAccountCheck(tokens: TokenService, store: Store, ttlMs = ACCOUNT_CHECK_TTL_MS): AccountCheckedTokens {
  const cache = new Map<string, { at: number; value: Promise<unknown> }>();

  function cached<T>(key: string, read: () => Promise<T>, failed: T): Promise<T> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && now - hit.at < ttlMs) return hit.value as Promise<T>;
    // Bounded: expired entries go when the map grows (a flood of forged subs cannot grow it, they fail the signature).
    if (cache.size > 10_000) for (const [k, v] of cache) if (now - v.at >= ttlMs) cache.delete(k);
    const value = read().catch(() => failed);
    cache.set(key, { at: now, value });
    return value;
  }

  function userState(claims: TokenClaims): Promise<UserState> {
    const wall = claims.role === 'wall';
    return cached<UserState>(
      `user:${claims.sub}:${claims.role}:${wall ? '' : claims.regionId}:${claims.issuedMs ?? 0}`,
      async () => {
        const user = await store.users.byId(claims.sub);
        // The wall account's own region does not bound a wall: its link's region does (linkState).
        const regionOk = wall || user?.regionId === claims.regionId;
        const live = !!user && !user.disabled && user.role === claims.role && regionOk && (claims.issuedMs ?? 0) >= (user.tokensAfterMs ?? 0);
        return live ? { live, mustChangePassword: !!user.mustChangePassword } : { live: false };
      },
      { live: false },
    );
  }

  function linkState(jti: string): Promise<LinkState> {
    return cached<LinkState>(`link:${jti}`, async () => {
      const link = await store.wallLinks.get(jti);
      const live = !!link && link.revokedAt === null && Date.parse(link.expiresAt) > Date.now();
      return live ? { regionId: link.regionId, gen: link.tokenGen } : null;
    }, null);
  }

  /** The claims as they hold now (a wall's region is its link's), or null for a token that is no longer live. */
  async function current(claims: TokenClaims): Promise<TokenClaims | null> {
    if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) return null;
    const user = userState(claims);
    if (claims.role !== 'wall') return (await user).live ? claims : null;
    // A wall token is only as good as its recorded link: unrecorded (old, logged) wall tokens fail too.
    if (!claims.jti) return null;
    const link = await linkState(claims.jti);
    if (!(await user).live || !link || link.gen !== (claims.gen ?? 0)) return null;
    return { ...claims, regionId: link.regionId };
  }

  return {
    sign: (claims, ttl) => tokens.sign(claims, ttl),
    verify: async (token) => {
      const signed = await tokens.verify(token);
      const claims = signed && (await current(signed));
      if (!claims) return null;
      const state = await userState(signed);
      return state.live && state.mustChangePassword ? { ...claims, mustChangePassword: true } : claims;
    },
    isLive: async (claims) => (await current(claims)) !== null,
    forget: (userId) => {
      for (const key of cache.keys()) if (key.startsWith(`user:${userId}:`)) cache.delete(key);
    },
    forgetLink: (linkId) => {
      cache.delete(`link:${linkId}`);
    },
  };
}

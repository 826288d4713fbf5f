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
}

/**
 * A token service whose verify() also fails tokens of users that are gone or disabled, tokens whose role or
 * region no longer match the account, tokens issued before the account's last password or role change, and
 * wall tokens without a live recorded wall link (`jti`).
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
    return cached<UserState>(
      `user:${claims.sub}:${claims.role}:${claims.regionId}:${claims.issuedMs ?? 0}`,
      async () => {
        const user = await store.users.byId(claims.sub);
        const live = !!user && !user.disabled && user.role === claims.role && user.regionId === claims.regionId && (claims.issuedMs ?? 0) >= (user.tokensAfterMs ?? 0);
        return live ? { live, mustChangePassword: !!user.mustChangePassword } : { live: false };
      },
      { live: false },
    );
  }

  async function isLive(claims: TokenClaims): Promise<boolean> {
    if (claims.exp !== undefined && claims.exp * 1000 <= Date.now()) return false;
    const user = userState(claims);
    if (claims.role !== 'wall') return (await user).live;
    // A wall token is only as good as its recorded link: unrecorded (old, logged) wall tokens fail too.
    const jti = claims.jti;
    if (!jti) return false;
    const linkLive = cached(`link:${jti}`, async () => {
      const link = await store.wallLinks.get(jti);
      return !!link && link.revokedAt === null && Date.parse(link.expiresAt) > Date.now();
    }, false);
    return (await user).live && (await linkLive);
  }

  return {
    sign: (claims, ttl) => tokens.sign(claims, ttl),
    verify: async (token) => {
      const claims = await tokens.verify(token);
      if (!claims || !(await isLive(claims))) return null;
      const state = await userState(claims);
      return state.live && state.mustChangePassword ? { ...claims, mustChangePassword: true } : claims;
    },
    isLive,
    forget: (userId) => {
      for (const key of cache.keys()) if (key.startsWith(`user:${userId}:`)) cache.delete(key);
    },
  };
}

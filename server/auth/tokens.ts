import { jwtVerify, SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { ROLES, type Role } from '#common/auth/types';
import type { SettingsStore } from '../store/types.ts';

export interface TokenClaims {
  sub: string;
  role: Role;
  regionId: string;
  /** Wall tokens: the id of their recorded wall link (store.wallLinks), so they can be revoked. */
  jti?: string;
  /** Wall tokens: their link's token generation (claim `gen`, absent = 0); a reissue moves the link on and older ones fail. */
  gen?: number;
  /** Expiry, seconds since the epoch (set on verified tokens). */
  exp?: number;
  /** Issued at, milliseconds since the epoch (claim `iam`; set on verified tokens): tokens older than the account's `tokensAfterMs` fail. */
  issuedMs?: number;
  /** Set by the account check: the account must change its password before anything else. */
  mustChangePassword?: boolean;
}

const ISSUER = 'gridops';

export interface TokenService {
  /** `ttl`: a jose time span ('12h') or an absolute expiry in seconds since the epoch. */
  sign(claims: TokenClaims, ttl: string | number): Promise<string>;
  /** The claims of a valid token, or null for a missing, expired or forged one. */
  verify(token: string | undefined | null): Promise<TokenClaims | null>;
}

/** HS256 tokens with a secret made on first start and kept in the database, so every node shares it. */
export async function createTokenService(settings: SettingsStore): Promise<TokenService> {
  // Several nodes starting at once on an empty database agree on one secret: the first write wins.
  const secretB64 = (await settings.get('jwt_secret')) ?? (await settings.setIfAbsent('jwt_secret', randomBytes(32).toString('base64url')));
  const secret = Buffer.from(secretB64, 'base64url');
  return {
    sign: (claims, ttl) => {
      const jwt = new SignJWT({ role: claims.role, regionId: claims.regionId, iam: Date.now(), ...(claims.gen ? { gen: claims.gen } : {}) }).setProtectedHeader({
        alg: 'HS256',
      });
      if (claims.jti) jwt.setJti(claims.jti);
      return jwt
        .setSubject(claims.sub)
        .setIssuer(ISSUER)
        .setIssuedAt()
        .setExpirationTime(ttl)
        .sign(secret);
    },
    verify: async (token) => {
      if (!token) return null;
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, algorithms: ['HS256'] });
        const role = payload.role as Role;
        if (!payload.sub || !ROLES.includes(role) || typeof payload.regionId !== 'string') return null;
        return {
          sub: payload.sub,
          role,
          regionId: payload.regionId,
          ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
          ...(typeof payload.gen === 'number' ? { gen: payload.gen } : {}),
          ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
          ...(typeof payload.iam === 'number' ? { issuedMs: payload.iam } : typeof payload.iat === 'number' ? { issuedMs: payload.iat * 1000 } : {}),
        };
      } catch {
        return null;
      }
    },
  };
}

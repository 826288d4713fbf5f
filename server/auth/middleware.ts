import type { NextFunction, Request, Response } from 'express';
import type { Role } from '#common/auth/types';
import type { TokenClaims, TokenService } from './tokens.ts';

declare module 'express-serve-static-core' {
  interface Request {
    user?: TokenClaims;
  }
}

export function bearerToken(req: Request): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : null;
}

/** What an account with a reset password may still call (paths below /api). */
const PASSWORD_CHANGE_OPEN = new Set(['/me/password', '/auth/me']);

/** 401 unless the request carries a valid token; 403 for a reset password's token outside PASSWORD_CHANGE_OPEN. */
export function requireAuth(tokens: TokenService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const claims = await tokens.verify(bearerToken(req));
    if (!claims) {
      res.status(401).json({ error: { code: 'auth/unauthorized', message: 'A valid token is required.' } });
      return;
    }
    // A reset (temporary) password may only be replaced: every other call waits for the new one.
    if (claims.mustChangePassword && !PASSWORD_CHANGE_OPEN.has(req.path)) {
      res.status(403).json({ error: { code: 'auth/password_change_required', message: 'Set a new password first.' } });
      return;
    }
    req.user = claims;
    next();
  };
}

/** 403 unless the authenticated user has one of `roles`. */
export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user || !roles.includes(req.user.role)) {
      res.status(403).json({ error: { code: 'auth/forbidden', message: 'Your role may not do this.' } });
      return;
    }
    next();
  };
}

/** The authenticated user's claims; only for handlers behind requireAuth. */
export function userOf(req: Request): TokenClaims {
  if (!req.user) throw new Error('userOf() called on a route without requireAuth');
  return req.user;
}

import { Router, type Request } from 'express';
import { z } from 'zod';
import type { LoginResponse } from '#common/auth/types';
import type { WallLinkCurrent } from '#common/wall/rotation';
import { wallRotationSchema } from '#common/wall/rotation-schema';
import { isWithinScope } from '#common/geo/types';
import type { Regions } from '../geo/regions.ts';
import { wireWallLink } from '../store/wall-link-rows.ts';
import type { Store, WallLinkRecord } from '../store/types.ts';
import { WALL_USERNAME } from './bootstrap.ts';
import { requireAuth, requireRole, userOf } from './middleware.ts';
import type { TokenService } from './tokens.ts';
import { issueWallLink, loopbackWallToken, reissueWallLink } from './wall-links.ts';

export const newLinkSchema = z.object({
  label: z.string().trim().min(1).max(64),
  days: z.number().int().min(1).max(366),
  rotation: wallRotationSchema.nullish(),
  /** The region the wall shows; default the issuer's own. */
  regionId: z.string().min(1).max(64).optional(),
});
/** An edit of a live link: its label, its rotation (null = back to today's layout only) and/or its region. */
export const linkPatchSchema = z
  .object({
    label: z.string().trim().min(1).max(64).optional(),
    rotation: wallRotationSchema.nullable().optional(),
    regionId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((p) => p.label !== undefined || p.rotation !== undefined || p.regionId !== undefined, { message: 'nothing to change' });
const invalid = (error: z.ZodError) => ({
  error: { code: 'wall_links/invalid', message: error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') },
});
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDED_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/** Whether a proxy says it forwarded the request (then the peer address is the proxy's, not the client's). */
export function forwarded(req: Request): boolean {
  return FORWARDED_HEADERS.some((h) => req.headers[h] !== undefined);
}

/**
 * Is this request from a browser on the server's own machine? Without TRUST_PROXY any forwarding header
 * means a proxy is in between (the peer is loopback, the browser is not): refuse. With TRUST_PROXY set,
 * Express works out the client address through the trusted proxies (req.ip) and that is judged.
 */
export function fromThisMachine(req: Request, trustProxy: boolean): boolean {
  if (trustProxy) return LOOPBACK.has(req.ip ?? '');
  if (forwarded(req)) return false;
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/**
 * Wall displays: loopback auto-login, and the admins' list / issue / edit / reissue / revoke of wall links. An
 * admin sees and manages the links whose region lies in their own scope, and can point one only there.
 */
export function wallRoutes(deps: {
  store: Store;
  regions: Regions;
  tokens: TokenService & { forgetLink?(id: string): void };
  wallAutoLogin: boolean;
  trustProxy: boolean;
}): Router {
  const { store, tokens, regions } = deps;
  const r = Router();
  const admin = [requireAuth(tokens), requireRole('admin')];

  /** A region an admin may point a link at: an existing one within their scope; else the error to answer. */
  function regionError(regionId: string, scope: string): { status: number; body: object } | null {
    if (!regions.get(regionId)) return { status: 400, body: { error: { code: 'wall_links/invalid', message: `regionId: no region ${regionId}.` } } };
    if (isWithinScope(regionId, scope)) return null;
    return { status: 403, body: { error: { code: 'wall_links/region_out_of_scope', message: `Region ${regionId} is outside your scope.` } } };
  }

  /** The link if it exists and lies in the admin's scope (one outside it is answered as if it did not exist). */
  async function linkInScope(id: string, scope: string): Promise<WallLinkRecord | null> {
    const link = await store.wallLinks.get(id);
    return link && isWithinScope(link.regionId, scope) ? link : null;
  }

  async function wallAccount() {
    const wall = await store.users.byUsername(WALL_USERNAME);
    return wall && !wall.disabled ? wall : null;
  }

  // A wall screen on the server's own machine gets a read-only token without typing anything.
  r.post('/auth/wall-token', async (req, res) => {
    if (!deps.wallAutoLogin || !fromThisMachine(req, deps.trustProxy)) {
      res.status(403).json({ error: { code: 'auth/forbidden', message: 'Use a wall link from an administrator.' } });
      return;
    }
    const wall = await wallAccount();
    if (!wall) {
      res.status(404).json({ error: { code: 'auth/no_wall_account', message: 'No wall account.' } });
      return;
    }
    const { passwordHash: _h, ...user } = wall;
    res.json({ token: await loopbackWallToken({ store, tokens }, wall), user } satisfies LoginResponse);
  });

  // The wall reads its own link's settings (the link is the token's jti; account-check already proved it live).
  r.get('/wall-links/current', requireAuth(tokens), requireRole('wall'), async (req, res) => {
    const jti = userOf(req).jti;
    const link = jti ? await store.wallLinks.get(jti) : null;
    res.json({ rotation: link?.rotation ?? null, regionId: userOf(req).regionId } satisfies WallLinkCurrent);
  });

  r.get('/wall-links', ...admin, async (req, res) => {
    const scope = userOf(req).regionId;
    res.json({ links: (await store.wallLinks.list()).filter((l) => isWithinScope(l.regionId, scope)).map(wireWallLink) });
  });

  r.post('/wall-links', ...admin, async (req, res) => {
    const body = newLinkSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(invalid(body.error));
      return;
    }
    const issuer = userOf(req);
    const regionId = body.data.regionId ?? issuer.regionId;
    const refused = regionError(regionId, issuer.regionId);
    if (refused) {
      res.status(refused.status).json(refused.body);
      return;
    }
    const wall = await wallAccount();
    if (!wall) {
      res.status(404).json({ error: { code: 'auth/no_wall_account', message: 'No wall account.' } });
      return;
    }
    const { link, token } = await issueWallLink({ store, tokens }, {
      wall,
      label: body.data.label,
      createdBy: issuer.sub,
      days: body.data.days,
      rotation: body.data.rotation ?? null,
      regionId,
    });
    res.status(201).json({ link: wireWallLink(link), token, path: `/?wall=${token}` });
  });

  // A new token for the same link; the old one fails from now on (the wall on it goes back to the sign-in screen).
  r.post('/wall-links/:id/reissue', ...admin, async (req, res) => {
    const id = String(req.params.id);
    const link = await linkInScope(id, userOf(req).regionId);
    if (!link || link.revokedAt !== null) {
      res.status(link ? 409 : 404).json(linkGone(id, !!link));
      return;
    }
    if (Date.parse(link.expiresAt) <= Date.now()) {
      res.status(409).json({ error: { code: 'wall_links/expired', message: 'This link has expired; issue a new one.' } });
      return;
    }
    const wall = await wallAccount();
    if (!wall) {
      res.status(404).json({ error: { code: 'auth/no_wall_account', message: 'No wall account.' } });
      return;
    }
    const issued = await reissueWallLink({ store, tokens }, wall.id, id);
    if (!issued) {
      res.status(409).json(linkGone(id, true));
      return;
    }
    tokens.forgetLink?.(id);
    res.json({ link: wireWallLink(issued.link), token: issued.token, path: `/?wall=${issued.token}` });
  });

  // A wall on the link reads the change when its next theme slot starts (client/stores/wall-theme.ts).
  r.patch('/wall-links/:id', ...admin, async (req, res) => {
    const id = String(req.params.id);
    const body = linkPatchSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json(invalid(body.error));
      return;
    }
    const scope = userOf(req).regionId;
    const link = await linkInScope(id, scope);
    const refused = body.data.regionId === undefined ? null : regionError(body.data.regionId, scope);
    if (link && refused) {
      res.status(refused.status).json(refused.body);
      return;
    }
    const set = {
      label: body.data.label ?? link?.label ?? '',
      rotation: body.data.rotation === undefined ? (link?.rotation ?? null) : body.data.rotation,
      regionId: body.data.regionId ?? link?.regionId ?? scope,
    };
    if (!link || !(await store.wallLinks.update(id, set))) {
      res.status(link ? 409 : 404).json(linkGone(id, !!link));
      return;
    }
    // A wall on the link reads its new region at once here (≤ 2 s on other nodes); its socket is moved by reconnecting.
    tokens.forgetLink?.(id);
    res.json({ link: wireWallLink((await store.wallLinks.get(id))!) });
  });

  r.delete('/wall-links/:id', ...admin, async (req, res) => {
    const id = String(req.params.id);
    const link = await linkInScope(id, userOf(req).regionId);
    if (!link || !(await store.wallLinks.revoke(id, new Date()))) {
      res.status(link ? 409 : 404).json(linkGone(id, !!link));
      return;
    }
    tokens.forgetLink?.(id);
    res.status(204).end();
  });

  return r;
}

/** The answer for a link that cannot be changed: revoked (409) or never was (404). */
function linkGone(id: string, exists: boolean) {
  return {
    error: exists
      ? { code: 'wall_links/revoked', message: 'This link is already revoked.' }
      : { code: 'wall_links/not_found', message: `No wall link ${id}.` },
  };
}

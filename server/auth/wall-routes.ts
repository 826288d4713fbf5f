import { Router, type Request } from 'express';
import { z } from 'zod';
import type { LoginResponse } from '#common/auth/types';
import type { WallLinkCurrent } from '#common/wall/rotation';
import { wallRotationSchema } from '#common/wall/rotation-schema';
import type { Store } from '../store/types.ts';
import { WALL_USERNAME } from './bootstrap.ts';
import { requireAuth, requireRole, userOf } from './middleware.ts';
import type { TokenService } from './tokens.ts';
import { issueWallLink, loopbackWallToken } from './wall-links.ts';

export const newLinkSchema = z.object({
  label: z.string().trim().min(1).max(64),
  days: z.number().int().min(1).max(366),
  rotation: wallRotationSchema.nullish(),
});
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const FORWARDED_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * Is this request from a browser on the server's own machine? Without TRUST_PROXY any forwarding header
 * means a proxy is in between (the peer is loopback, the browser is not): refuse. With TRUST_PROXY set,
 * Express works out the client address through the trusted proxies (req.ip) and that is judged.
 */
export function fromThisMachine(req: Request, trustProxy: boolean): boolean {
  if (trustProxy) return LOOPBACK.has(req.ip ?? '');
  if (FORWARDED_HEADERS.some((h) => req.headers[h] !== undefined)) return false;
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

/** Wall displays: loopback auto-login, and the admins' list / issue / revoke of wall links. */
export function wallRoutes(deps: { store: Store; tokens: TokenService; wallAutoLogin: boolean; trustProxy: boolean }): Router {
  const { store, tokens } = deps;
  const r = Router();
  const admin = [requireAuth(tokens), requireRole('admin')];

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
    res.json({ rotation: link?.rotation ?? null } satisfies WallLinkCurrent);
  });

  r.get('/wall-links', ...admin, async (_req, res) => {
    res.json({ links: await store.wallLinks.list() });
  });

  r.post('/wall-links', ...admin, async (req, res) => {
    const body = newLinkSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'wall_links/invalid', message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
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
      createdBy: userOf(req).sub,
      days: body.data.days,
      rotation: body.data.rotation ?? null,
    });
    res.status(201).json({ link, token, path: `/?wall=${token}` });
  });

  r.delete('/wall-links/:id', ...admin, async (req, res) => {
    const id = String(req.params.id);
    if (!(await store.wallLinks.revoke(id, new Date()))) {
      const exists = await store.wallLinks.get(id);
      res.status(exists ? 409 : 404).json({
        error: exists
          ? { code: 'wall_links/revoked', message: 'This link is already revoked.' }
          : { code: 'wall_links/not_found', message: `No wall link ${id}.` },
      });
      return;
    }
    res.status(204).end();
  });

  return r;
}

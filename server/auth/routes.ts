import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ROLES, type LoginResponse } from '#common/auth/types';
import { isWithinScope } from '#common/geo/types';
import type { RawWorker } from '../geo/grid-facts.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import { requireAuth, requireRole, userOf } from './middleware.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { TokenService } from './tokens.ts';

export const USER_TOKEN_TTL = '12h';
/** Failed logins allowed per account in a window, from any number of addresses (guessing one password). */
const ACCOUNT_FAILURES = 5;
const ACCOUNT_WINDOW_MS = 15 * 60_000;
const RATE_LIMITED = { error: { code: 'auth/rate_limited', message: 'Too many login attempts; wait a minute.' } };
export const loginSchema = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const newUserSchema = z.object({
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/i, '3–32 letters, digits, . _ or -'),
  displayName: z.string().min(1).max(64),
  password: z.string().min(8).max(256),
  role: z.enum(ROLES),
  regionId: z.string().regex(/^\d{6,15}$/),
  /** The roster grid worker a `worker` account is (geo/data/workers.json). */
  workerId: z.string().min(1).max(64).nullable().optional(),
});

export function authRoutes(deps: {
  store: Store;
  tokens: TokenService;
  regions: Regions;
  /** Roster grid workers that `worker` accounts may be linked to. */
  roster?: readonly RawWorker[];
  wallAutoLogin: boolean;
  loginLimitPerMinute?: number;
  /** Failed logins per username per window (default 5 per 15 minutes). */
  accountLimit?: { failures: number; windowMs: number };
  now?: () => Date;
}): Router {
  const { store, tokens, regions } = deps;
  const r = Router();
  const auth = requireAuth(tokens);

  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.loginLimitPerMinute ?? 10,
    // Failed logins only: a whole shift signs in from one address (an office, a carrier's NAT) within minutes.
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    message: RATE_LIMITED,
  });
  const accountLimit = deps.accountLimit ?? { failures: ACCOUNT_FAILURES, windowMs: ACCOUNT_WINDOW_MS };
  const now = deps.now ?? (() => new Date());

  r.post('/auth/login', loginLimiter, async (req, res) => {
    const body = loginSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'auth/bad_request', message: 'username and password are required.' } });
      return;
    }
    // Every attempt counts against the account before the password is checked (so concurrent guesses on any
    // node cannot slip past the limit) and a success clears it. Unknown usernames are counted the same way, so
    // neither the limit nor its answer tells which usernames exist.
    const account = body.data.username.trim().toLowerCase();
    const attempts = await store.loginFailures.hit(account, now(), accountLimit.windowMs);
    if (attempts > accountLimit.failures) {
      const message = `Too many login attempts for this account; try again in ${Math.round(accountLimit.windowMs / 60_000)} minutes.`;
      res.status(429).json({ error: { code: 'auth/rate_limited', message } });
      return;
    }
    const user = await store.users.byUsername(body.data.username);
    // Verify against a hash even for unknown users, so timing does not reveal which usernames exist.
    const valid = await verifyPassword(body.data.password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || user.role === 'wall' || user.disabled) {
      res.status(401).json({ error: { code: 'auth/invalid_credentials', message: 'Wrong username or password.' } });
      return;
    }
    await store.loginFailures.reset(account);
    const { passwordHash: _h, ...publicUser } = user;
    const token = await tokens.sign({ sub: user.id, role: user.role, regionId: user.regionId }, USER_TOKEN_TTL);
    res.json({ token, user: publicUser } satisfies LoginResponse);
  });

  // POST /auth/wall-token lives in wall-routes.ts with the wall links.

  r.get('/auth/me', auth, async (req, res) => {
    const user = await store.users.byId(userOf(req).sub);
    if (!user) {
      res.status(401).json({ error: { code: 'auth/unauthorized', message: 'Account no longer exists.' } });
      return;
    }
    const { passwordHash: _h, ...publicUser } = user;
    // A wall's scope is its link's region (server/auth/account-check.ts), not the wall account's.
    res.json(user.role === 'wall' ? { ...publicUser, regionId: userOf(req).regionId } : publicUser);
  });

  r.get('/users', auth, requireRole('admin'), async (req, res) => {
    const scope = userOf(req).regionId;
    res.json({ users: (await store.users.list()).filter((u) => isWithinScope(u.regionId, scope)) });
  });

  r.post('/users', auth, requireRole('admin'), async (req, res) => {
    const body = newUserSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'users/invalid', message: body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return;
    }
    const { password, workerId: givenWorker, ...rest } = body.data;
    if (!regions.get(rest.regionId) || !isWithinScope(rest.regionId, userOf(req).regionId)) {
      res.status(400).json({ error: { code: 'users/bad_region', message: `No region ${rest.regionId} in your scope.` } });
      return;
    }
    const workerId = givenWorker?.trim() || null;
    if (workerId !== null) {
      const linkError = await rosterLinkError(workerId, rest.role, rest.regionId);
      if (linkError) return void res.status(linkError[0]).json({ error: { code: linkError[1], message: linkError[2] } });
    }
    if (await store.users.byUsername(rest.username)) {
      res.status(409).json({ error: { code: 'users/exists', message: `User ${rest.username} exists.` } });
      return;
    }
    const user = { id: randomUUID(), ...rest, workerId };
    await store.users.create({ ...user, passwordHash: await hashPassword(password) });
    res.status(201).json(user);
  });

  /** Why `workerId` cannot be linked to a new account of `role` scoped to `regionId`; null when it can. */
  async function rosterLinkError(workerId: string, role: string, regionId: string): Promise<[number, string, string] | null> {
    if (role !== 'worker') return [400, 'users/bad_worker', 'Only a worker account can be linked to a roster worker.'];
    const w = deps.roster?.find((x) => x.id === workerId);
    if (!w) return [400, 'users/bad_worker', `No roster worker ${workerId}.`];
    if (!isWithinScope(w.gridId, regionId) && !isWithinScope(w.regionId, regionId)) {
      return [400, 'users/bad_worker', `Roster worker ${workerId} works outside region ${regionId}.`];
    }
    if ((await store.users.list()).some((u) => u.workerId === workerId)) {
      return [409, 'users/worker_linked', `Roster worker ${workerId} is already linked to an account.`];
    }
    return null;
  }

  return r;
}

// A valid hash of a random string, computed once, for the unknown-user path.
const DUMMY_HASH = await hashPassword(randomUUID());

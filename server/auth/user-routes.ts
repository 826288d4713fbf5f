import { Router, type Response } from 'express';
import { passwordProblems } from '#common/accounts/password-policy';
import { passwordChangeSchema, userPatchSchema, type PasswordResetResponse } from '#common/accounts/schema';
import type { LoginResponse } from '#common/auth/types';
import { isWithinScope } from '#common/geo/types';
import type { AccountChanges } from '../accounts/changes.ts';
import type { Regions } from '../geo/regions.ts';
import { toPublic } from '../store/rows.ts';
import type { Store, UserPatch } from '../store/types.ts';
import { requireRole, userOf } from './middleware.ts';
import { hashPassword, randomPassword, verifyPassword } from './passwords.ts';
import type { TokenService } from './tokens.ts';
import { USER_TOKEN_TTL } from './routes.ts';

/** Wrong current passwords allowed per account in a window on POST /me/password (guessing through a stolen token). */
const CHANGE_FAILURES = 5;
const CHANGE_WINDOW_MS = 15 * 60_000;

const fail = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });

/**
 * Accounts over their lifetime (mounted behind requireAuth): admins change role, scope, name and state of
 * accounts in their scope and reset passwords; everyone changes their own password. Any change that must end
 * a session (disable, role, region, password) also ends the account's tokens and sockets on every node.
 */
export function userRoutes(deps: { store: Store; regions: Regions; tokens: TokenService; accounts: AccountChanges; now?: () => Date }): Router {
  const { store, regions, tokens, accounts } = deps;
  const now = deps.now ?? (() => new Date());
  const r = Router();

  /** The target account if it is in the admin's scope; out of scope reads as absent (an admin learns nothing above or beside their region). */
  async function targetInScope(id: string, scope: string) {
    const target = await store.users.byId(id);
    return target && isWithinScope(target.regionId, scope) ? target : null;
  }

  r.patch('/users/:id', requireRole('admin'), async (req, res) => {
    const body = userPatchSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'users/invalid', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const me = userOf(req);
    const target = await targetInScope(String(req.params.id), me.regionId);
    if (!target) return fail(res, 404, 'users/not_found', `No user ${String(req.params.id)} in your scope.`);
    const { disabled, role, regionId, displayName } = body.data;
    const roleChanges = role !== undefined && role !== target.role;
    const regionChanges = regionId !== undefined && regionId !== target.regionId;
    // An admin cannot lock themselves out: no disabling, demoting or re-scoping their own account.
    if (target.id === me.sub && (disabled === true || roleChanges || regionChanges)) {
      return fail(res, 409, 'users/self', 'You cannot disable your own account or change its role or region.');
    }
    if (target.role === 'wall' && (roleChanges || regionChanges)) {
      return fail(res, 400, 'users/wall_account', 'A wall account keeps its role and region; manage wall links instead.');
    }
    if (regionChanges && (!regions.get(regionId) || !isWithinScope(regionId, me.regionId))) {
      return fail(res, 400, 'users/bad_region', `No region ${regionId} in your scope.`);
    }
    const patch: UserPatch = {};
    if (disabled !== undefined) patch.disabled = disabled;
    if (displayName !== undefined) patch.displayName = displayName;
    if (roleChanges) patch.role = role;
    if (regionChanges) patch.regionId = regionId;
    // A roster link belongs to a worker account in that worker's region: a new role or region ends it.
    if ((roleChanges || regionChanges) && target.workerId !== null) patch.workerId = null;
    // Tokens carry role and region: old ones die now, even if the account is later changed back. A disable ends
    // them for good too: re-enabling must not revive a token taken before it (the wall account's tokens are its
    // links', ended one by one through /api/wall-links).
    const disables = disabled === true && !target.disabled && target.role !== 'wall';
    if (roleChanges || regionChanges || disables) patch.tokensAfterMs = Date.now();
    await store.users.update(target.id, patch);
    accounts.changed(target.id, { disconnect: disabled === true || roleChanges || regionChanges });
    const updated = await store.users.byId(target.id);
    res.json(toPublic(updated ?? target));
  });

  r.post('/users/:id/password-reset', requireRole('admin'), async (req, res) => {
    const me = userOf(req);
    const target = await targetInScope(String(req.params.id), me.regionId);
    if (!target) return fail(res, 404, 'users/not_found', `No user ${String(req.params.id)} in your scope.`);
    if (target.id === me.sub) return fail(res, 409, 'users/self', 'Change your own password under your account, not by a reset.');
    if (target.role === 'wall') return fail(res, 400, 'users/wall_account', 'A wall account has no password to reset.');
    const temporaryPassword = randomPassword();
    await store.users.update(target.id, { passwordHash: await hashPassword(temporaryPassword), mustChangePassword: true, tokensAfterMs: Date.now() });
    accounts.changed(target.id, { disconnect: true });
    res.json({ temporaryPassword, mustChangePassword: true } satisfies PasswordResetResponse);
  });

  r.post('/me/password', async (req, res) => {
    const body = passwordChangeSchema.safeParse(req.body);
    if (!body.success) return fail(res, 400, 'password/invalid', 'Body must be { current, next }.');
    const me = userOf(req);
    const user = await store.users.byId(me.sub);
    if (!user || user.role === 'wall') return fail(res, 403, 'auth/forbidden', 'This account has no password to change.');
    const key = `password-change:${user.id}`;
    if ((await store.loginFailures.hit(key, now(), CHANGE_WINDOW_MS)) > CHANGE_FAILURES) {
      return fail(res, 429, 'auth/rate_limited', 'Too many attempts; try again later.');
    }
    if (!(await verifyPassword(body.data.current, user.passwordHash))) return fail(res, 403, 'password/wrong_current', 'The current password is wrong.');
    const problems = passwordProblems(body.data.next, { username: user.username, current: body.data.current });
    if (problems.length > 0) {
      res.status(400).json({ error: { code: 'password/weak', message: `Password refused: ${problems.join(', ')}.`, problems } });
      return;
    }
    await store.loginFailures.reset(key);
    // Every other session of the account ends; this one continues with the token returned here.
    const tokensAfterMs = Date.now();
    await store.users.update(user.id, { passwordHash: await hashPassword(body.data.next), mustChangePassword: false, tokensAfterMs });
    accounts.changed(user.id, { disconnect: true });
    const token = await tokens.sign({ sub: user.id, role: user.role, regionId: user.regionId }, USER_TOKEN_TTL);
    const updated = await store.users.byId(user.id);
    res.json({ token, user: toPublic(updated ?? user) } satisfies LoginResponse);
  });

  return r;
}

import { Router } from 'express';
import { z } from 'zod';
import { isWithinScope } from '#common/geo/types';
import type { Store } from '../store/types.ts';
import { requireRole, userOf } from './middleware.ts';

const patchSchema = z.object({ disabled: z.boolean() }).strict();

/** Admin changes to an account in their scope (mounted behind requireAuth). */
export function userRoutes(deps: { store: Store }): Router {
  const { store } = deps;
  const r = Router();

  r.patch('/users/:id', requireRole('admin'), async (req, res) => {
    const body = patchSchema.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'users/invalid', message: 'Body must be { disabled: boolean }.' } });
      return;
    }
    const me = userOf(req);
    const target = await store.users.byId(String(req.params.id));
    // Out of scope reads as absent: an admin learns nothing about accounts above or beside their region.
    if (!target || !isWithinScope(target.regionId, me.regionId)) {
      res.status(404).json({ error: { code: 'users/not_found', message: `No user ${String(req.params.id)} in your scope.` } });
      return;
    }
    if (target.id === me.sub && body.data.disabled) {
      res.status(409).json({ error: { code: 'users/self', message: 'You cannot disable your own account.' } });
      return;
    }
    await store.users.setDisabled(target.id, body.data.disabled);
    const { passwordHash: _h, ...user } = target;
    res.json({ ...user, disabled: body.data.disabled });
  });

  return r;
}

import type { Audit } from '../audit/index.ts';
import type { Router } from 'express';
import type { RosterWorker } from '#common/geo/types';
import type { WorkersPositionsPush } from '#common/field/types';
import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import { roleRoomsFor } from '../realtime/rooms.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Store } from '../store/types.ts';
import { createCoalescer } from './coalesce.ts';
import { fieldRoutes } from './routes.ts';

/** Live positions go to these roles' rooms only (never a wall, never other workers). */
export const POSITION_ROLES = ['dispatcher', 'leader'] as const;
const PUSH_WINDOW_MS = 1000;
const PRUNE_EVERY_MS = 3600_000;

type Item = WorkersPositionsPush['items'][number];

/** Grid workers in the field (issue 9): routes, the coalesced `workers:positions` push, and retention. */
export function createField(deps: { store: Store; regions: Regions; roster: readonly RosterWorker[]; io: IoServer; retentionDays: number; now: () => Date; log: Logger; audit?: Audit }): {
  routes: Router;
  close(): void;
} {
  const push = createCoalescer<Item>(PUSH_WINDOW_MS, (room, items) => deps.io.to(room).emit('workers:positions', { sentAt: new Date().toISOString(), items }));
  const routes = fieldRoutes({
    ...deps,
    onFix: (worker, position, onPatrol) => push.add(roleRoomsFor(worker.regionId, POSITION_ROLES), worker.id, { workerId: worker.id, position, onPatrol }),
  });
  const prune = () => {
    const before = new Date(deps.now().getTime() - deps.retentionDays * 86_400_000);
    deps.store.field.prune(before).catch((err: unknown) => deps.log.error({ err }, 'position pruning failed'));
  };
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return {
    routes,
    close: () => {
      clearInterval(timer);
      push.close();
    },
  };
}

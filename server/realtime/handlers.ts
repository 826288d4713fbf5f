import { fail, ok } from '#common/api';
import { isWithinScope } from '#common/geo/types';
import { audienceOf } from '#common/incidents/projection';
import { AUTH_UNAUTHORIZED } from '#common/realtime/events';
import type { TokenService } from '../auth/tokens.ts';
import type { Regions } from '../geo/regions.ts';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { roleRoom, roomOf, userRoom } from './rooms.ts';
import { buildSnapshot, syncSince } from './snapshot.ts';
import type { IoServer, IoSocket } from './types.ts';

interface Deps {
  store: Store;
  sources: SourceRegistry;
  regions: Regions;
  tokens: TokenService;
  log: Logger;
}

/** Unknown errors reach the client as a code only; the detail stays in our log. */
function internal(log: Logger, err: unknown, what: string) {
  log.error({ err }, `${what} failed`);
  return fail('server/internal', 'Internal error; see the server log.');
}

export function bindHandlers(io: IoServer, deps: Deps): void {
  const { store, sources, regions, tokens, log } = deps;

  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const claims = await tokens.verify(typeof auth.token === 'string' ? auth.token : null);
    if (!claims) return next(new Error(AUTH_UNAUTHORIZED));
    socket.data.user = claims;
    socket.data.regionId = null;
    next();
  });

  io.on('connection', (socket: IoSocket) => {
    const user = socket.data.user;
    const audience = audienceOf(user.role);
    // Pushes meant for a person or a duty (the SLA ladder) reach them whatever region they subscribed to.
    if (user.role !== 'wall') void socket.join([userRoom(user.sub), roleRoom(user.role, user.regionId)]);
    // A worker account linked to a roster worker also gets what is sent to that roster id (cases dispatched to it).
    if (user.role === 'worker') {
      void store.users
        .byId(user.sub)
        .then((u) => (u?.workerId ? socket.join(userRoom(u.workerId)) : undefined))
        .catch((err: unknown) => log.warn({ err }, 'worker room join failed'));
    }

    /** Scope-check `requested` (default: the user's own region) and move the socket into its room. */
    async function enter(requested: unknown) {
      const regionId = typeof requested === 'string' ? requested : user.regionId;
      if (!isWithinScope(regionId, user.regionId)) return fail('scope/forbidden', `Region ${regionId} is outside your scope.`);
      if (!regions.get(regionId)) return fail('scope/not_found', `No region ${regionId}.`);
      if (socket.data.regionId !== regionId) {
        if (socket.data.regionId) await socket.leave(roomOf(socket.data.regionId, audience));
        // Join before reading any state, so no change falls between the read and the first push.
        await socket.join(roomOf(regionId, audience));
        socket.data.regionId = regionId;
      }
      return ok(regionId);
    }

    socket.on('scope:subscribe', async (payload, ack) => {
      if (typeof ack !== 'function') return;
      try {
        const entered = await enter(payload?.regionId);
        if (!entered.ok) return ack(entered);
        ack(ok(await buildSnapshot(store, sources, entered.data, audience)));
      } catch (err) {
        ack(internal(log, err, 'scope:subscribe'));
      }
    });

    socket.on('sync:since', async (payload, ack) => {
      if (typeof ack !== 'function') return;
      const seq = payload?.seq;
      if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
        return ack(fail('sync/bad_seq', 'seq must be a non-negative integer.'));
      }
      try {
        const requested = payload.regionId ?? socket.data.regionId;
        if (!requested) return ack(fail('scope/not_subscribed', 'Subscribe to a region first, or pass regionId.'));
        const entered = await enter(requested);
        if (!entered.ok) return ack(entered);
        ack(ok(await syncSince(store, sources, entered.data, audience, seq)));
      } catch (err) {
        ack(internal(log, err, 'sync:since'));
      }
    });
  });
}

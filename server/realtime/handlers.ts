import { fail, ok } from '#common/api';
import { isWithinScope } from '#common/geo/types';
import { audienceOf } from '#common/incidents/projection';
import { AUTH_UNAUTHORIZED, RATE_LIMITED } from '#common/realtime/events';
import type { ReporterReads, SocketRef } from '../audit/reporter-reads.ts';
import type { TokenService } from '../auth/tokens.ts';
import type { Regions } from '../geo/regions.ts';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { LIMITS, Strikes, TokenBucket, UserBuckets, type BucketSize } from './limits.ts';
import { accountRoom, roleRoom, roomOf, userRoom } from './rooms.ts';
import { buildSnapshot, syncSince } from './snapshot.ts';
import type { IoServer, IoSocket } from './types.ts';

interface Deps {
  store: Store;
  sources: SourceRegistry;
  regions: Regions;
  tokens: TokenService;
  log: Logger;
  /** Commands per user per node (SOCKET_USER_LIMIT). */
  userLimit?: BucketSize;
  /** Unmasked reporters sent to sockets, into the audit log (coalesced per socket). */
  reads?: ReporterReads;
}

/** Who a socket is, for its audit entries. */
export function socketRef(socket: IoSocket): SocketRef {
  const ua = socket.handshake.headers['user-agent'];
  return {
    id: socket.id,
    user: { sub: socket.data.user.sub, role: socket.data.user.role },
    regionId: socket.data.regionId ?? socket.data.user.regionId,
    ip: socket.handshake.address || null,
    userAgent: typeof ua === 'string' ? ua : null,
  };
}

/** Unknown errors reach the client as a code only; the detail stays in our log. */
function internal(log: Logger, err: unknown, what: string) {
  log.error({ err }, `${what} failed`);
  return fail('server/internal', 'Internal error; see the server log.');
}

/** How often every socket's token is checked again (user disabled or deleted, wall link revoked). */
export const REVALIDATE_MS = 2000;
/** setTimeout's ceiling (~24.8 days); a later expiry is caught by the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function bindHandlers(io: IoServer, deps: Deps): { close(): void } {
  const { store, sources, regions, tokens, log } = deps;
  const userBuckets = new UserBuckets(deps.userLimit);

  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const claims = await tokens.verify(typeof auth.token === 'string' ? auth.token : null);
    // A reset (temporary) password opens no live feed until it is changed.
    if (!claims || claims.mustChangePassword) return next(new Error(AUTH_UNAUTHORIZED));
    socket.data.user = claims;
    socket.data.regionId = null;
    next();
  });

  // Tokens end when the user does: every node re-checks its own sockets (the check reads the shared store).
  const revalidate = setInterval(() => {
    for (const socket of io.of('/').sockets.values()) {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      tokens
        .verify(typeof token === 'string' ? token : null)
        .then((claims) => {
          // A wall whose link was moved to another region (PATCH) leaves the old region's rooms; it reloads into the new one.
          if (!claims || claims.regionId !== socket.data.user.regionId) socket.disconnect(true);
        })
        .catch((err: unknown) => log.error({ err }, 'socket re-validation failed'));
    }
  }, REVALIDATE_MS);

  io.on('connection', (socket: IoSocket) => {
    const user = socket.data.user;
    const audience = audienceOf(user.role);
    // Pushes meant for a person or a duty (the SLA ladder) reach them whatever region they subscribed to.
    if (user.role !== 'wall') void socket.join([userRoom(user.sub), roleRoom(user.role, user.regionId)]);
    void socket.join(accountRoom(user.sub));
    // A worker account linked to a roster worker also gets what is sent to that roster id (cases dispatched to it).
    if (user.role === 'worker') {
      void store.users
        .byId(user.sub)
        .then((u) => (u?.workerId ? socket.join(userRoom(u.workerId)) : undefined))
        .catch((err: unknown) => log.warn({ err }, 'worker room join failed'));
    }

    // Disconnect at expiry, not at the next check.
    if (user.exp !== undefined) {
      const expiry = setTimeout(() => socket.disconnect(true), Math.min(MAX_TIMER_MS, Math.max(0, user.exp * 1000 - Date.now())));
      socket.once('disconnect', () => clearTimeout(expiry));
    }

    // Limits (limits.ts): checked before any handler runs; a refusal is answered at once, never queued.
    const socketBucket = new TokenBucket(LIMITS.socket.burst, LIMITS.socket.perSecond);
    const userBucket = userBuckets.acquire(user.sub);
    socket.once('disconnect', () => {
      userBuckets.release(user.sub);
      deps.reads?.closed(socket.id);
    });
    const inFlight = new Set<string>();
    const strikes = new Strikes();
    socket.use((packet, next) => {
      const [event] = packet;
      const ack: unknown = packet.at(-1);
      if (typeof ack !== 'function') return; // every command is acknowledged; one without an ack is dropped
      const refuse = (message: string) => {
        (ack as (reply: unknown) => void)(fail(RATE_LIMITED, message));
        if (strikes.add()) {
          log.warn({ userId: user.sub, event }, 'socket disconnected after repeated rate limiting');
          socket.disconnect(true);
        }
      };
      if (inFlight.has(event)) return refuse(`One ${event} at a time: wait for the reply.`);
      if (!socketBucket.take() || !userBucket.take()) return refuse('Too many requests; slow down.');
      inFlight.add(event);
      packet[packet.length - 1] = (reply: unknown) => {
        inFlight.delete(event);
        (ack as (reply: unknown) => void)(reply);
      };
      next();
    });

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
        const snapshot = await buildSnapshot(store, sources, entered.data, audience);
        deps.reads?.sockets([socketRef(socket)], snapshot.incidents, audience);
        ack(ok(snapshot));
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
        const sync = await syncSince(store, sources, entered.data, audience, seq);
        deps.reads?.sockets([socketRef(socket)], sync.mode === 'snapshot' ? sync.snapshot.incidents : sync.changes.map((c) => c.incident), audience);
        ack(ok(sync));
      } catch (err) {
        ack(internal(log, err, 'sync:since'));
      }
    });
  });

  return { close: () => clearInterval(revalidate) };
}

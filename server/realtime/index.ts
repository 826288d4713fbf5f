import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { Server, type ServerOptions } from 'socket.io';
import { AUDIENCES } from '#common/incidents/projection';
import { maskPersonalText } from '#common/privacy';
import type { IncidentChange } from '#common/incidents/types';
import type { EscalationNotice } from '../incidents/service.ts';
import type { SourceHealth } from '#common/realtime/events';
import type { TokenService } from '../auth/tokens.ts';
import type { Regions } from '../geo/regions.ts';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import type { ReporterReads } from '../audit/reporter-reads.ts';
import { bindHandlers, socketRef } from './handlers.ts';
import type { BucketSize } from './limits.ts';
import { createKpiRounds } from './kpi-rounds.ts';
import { createPublisher } from './publisher.ts';
import { createSeqOrder } from './seq-order.ts';
import { parseRoom, roleRoomsFor, roomOf, userRoom } from './rooms.ts';
import type { IoServer } from './types.ts';

export interface Realtime {
  io: IoServer;
  /** Push committed changes to every room of the regions containing them, one projection per audience. */
  publish(changes: IncidentChange[]): void;
  /** `incident:escalated` to staff in the incident's scope, and to its assignee for a reminder or an urge (never walls). */
  notify(notice: EscalationNotice): void;
  close(): Promise<void>;
}

const KPI_INTERVAL_MS = 2000;
/** Share of the time KPI rounds may take (their cost spaces them further apart than KPI_INTERVAL_MS). */
const KPI_BUDGET = 0.05;

export function createRealtime(
  httpServer: HttpServer,
  deps: {
    store: Store;
    sources: SourceRegistry;
    regions: Regions;
    tokens: TokenService;
    log: Logger;
    heartbeatMs: number;
    userLimit?: BucketSize;
    /** Share rooms and broadcasts with other nodes (see connectRedisAdapter); closed with the server. */
    adapter?: ClusterAdapter;
    /** Unmasked reporters in snapshots, deltas and pushes, into the audit log; closed (flushed) with the server. */
    reads?: ReporterReads;
  },
): Realtime {
  const { store, sources, regions, log } = deps;
  const io: IoServer = new Server(httpServer, {
    serveClient: false,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    // Every command is a few dozen bytes; the 1 MB default only lets a client make us buffer more.
    maxHttpBufferSize: 16 * 1024,
    ...(deps.adapter ? { adapter: deps.adapter.factory } : {}),
  });
  const handlers = bindHandlers(io, deps);

  const reads = deps.reads;
  const publisher = createPublisher(
    io,
    regions,
    undefined,
    reads &&
      ((socketIds, changes) => {
        const sockets = io.of('/').sockets;
        const refs = [...socketIds].flatMap((id) => {
          const s = sockets.get(id);
          return s ? [socketRef(s)] : [];
        });
        reads.sockets(refs, changes.map((c) => c.incident), 'full');
      }),
  );
  // In seq order whichever node wrote them (seq-order.ts), so each room's pushes ascend.
  const ordered = createSeqOrder((changes) => publisher.publish(changes));
  store.incidents
    .headSeq()
    .then((h) => ordered.start(h))
    .catch((err: unknown) => {
      log.error({ err }, 'log head unreadable at start; pushing in arrival order');
      ordered.start(0);
    });
  function pushLocally(changes: IncidentChange[]): void {
    for (const change of changes) if (change.seq > head) head = change.seq;
    ordered.push(changes);
  }
  // Several nodes: the writer sends each change once to the others (one encoding, one Redis message), and
  // every node pushes it to its own members; no node sends packets for rooms that are empty everywhere.
  if (deps.adapter) io.on('incidents:changes', pushLocally);
  function publish(changes: IncidentChange[]): void {
    if (deps.adapter) io.serverSideEmit('incidents:changes', changes);
    pushLocally(changes);
  }

  // Heartbeat: proof of life, the log head and, to each region room, the last change already pushed to it. A
  // socket that has not applied that one lost a push (pushes and heartbeats share one ordered connection) and
  // resyncs; changes still held in a coalescing window, or outside its region, cause no resync.
  let head = 0;
  const heartbeat = setInterval(() => {
    store.incidents
      .headSeq()
      .then((seq) => {
        head = seq;
        const at = new Date().toISOString();
        const regionRooms = [...io.of('/').adapter.rooms.keys()].filter((room) => parseRoom(room) !== null);
        for (const room of regionRooms) {
          io.local.to(room).emit('system:heartbeat', { at, seq, pushed: publisher.lastSeqOf(room), intervalMs: deps.heartbeatMs });
        }
        io.local.except(regionRooms).emit('system:heartbeat', { at, seq, intervalMs: deps.heartbeatMs });
      })
      .catch((err: unknown) => log.error({ err }, 'heartbeat failed'));
  }, deps.heartbeatMs);

  // KPIs of the subscribed regions, rounds spaced by their cost (kpi-rounds.ts).
  const kpiRounds = createKpiRounds({
    regions: () => {
      const ids = new Set<string>();
      for (const room of io.of('/').adapter.rooms.keys()) {
        const r = parseRoom(room);
        if (r) ids.add(r.regionId);
      }
      return ids;
    },
    head: () => head,
    update: async (regionId, now) => {
      const kpis = await store.incidents.kpis(regionId, now);
      for (const audience of AUDIENCES) io.local.to(roomOf(regionId, audience)).emit('kpis:updated', { regionId, kpis });
    },
    onError: (err) => log.error({ err }, 'kpi update failed'),
    intervalMs: KPI_INTERVAL_MS,
    budget: KPI_BUDGET,
  });

  // Source health: coalesced to at most one push per second.
  let pendingSources: SourceHealth[] | null = null;
  const offSources = sources.onChange((list) => {
    pendingSources = list;
  });
  const sourcesTimer = setInterval(() => {
    if (!pendingSources) return;
    io.local.emit('sources:updated', { sources: pendingSources });
    pendingSources = null;
  }, 1000);

  function notify({ incident, stage, at }: EscalationNotice): void {
    const rooms = roleRoomsFor(incident.gridId ?? regions.root.id, ['dispatcher', 'leader', 'admin']);
    if ((stage === 'reminded' || stage === 'urged') && incident.assigneeId) rooms.push(userRoom(incident.assigneeId));
    // One emit to the union of rooms: a socket in several of them gets it once; the adapter reaches every node.
    // Leaders are among them and get masked text: a title stored before titles were server-made can hold a
    // citizen's words, so it is masked for every room (the drawer shows the audience's own projection).
    io.to(rooms).emit('incident:escalated', { incidentId: incident.id, stage, at, title: maskPersonalText(incident.title) });
  }

  return {
    io,
    publish,
    notify,
    close: async () => {
      handlers.close();
      clearInterval(heartbeat);
      kpiRounds.close();
      clearInterval(sourcesTimer);
      offSources();
      ordered.close();
      publisher.close();
      await io.close();
      await reads?.close();
      await deps.adapter?.close();
    },
  };
}

/** A Socket.IO adapter that links this node's rooms to the other nodes', and the connection behind it. */
export interface ClusterAdapter {
  factory: NonNullable<ServerOptions['adapter']>;
  close(): Promise<void>;
}

const REDIS_CONNECT_TIMEOUT_MS = 10_000;

/**
 * The Socket.IO Redis Streams adapter (the one that supports connection-state recovery across nodes) on a
 * `redis` v5 client. `prefix` names the stream, the pub/sub channels and the session keys, so two clusters
 * (or two test runs) can share one Redis. Fails when Redis does not answer at start; later outages are
 * retried by the client and logged.
 */
export async function connectRedisAdapter(url: string, prefix: string, log: Logger): Promise<ClusterAdapter> {
  const client = createClient({ url });
  client.on('error', (err: unknown) => log.warn({ err }, 'redis connection error'));
  let timer: NodeJS.Timeout | undefined;
  const connecting = client.connect();
  // Settled either way below; destroying the client on timeout rejects it, which is expected.
  connecting.catch(() => undefined);
  try {
    await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        // The host only: the URL may carry a password.
        const where = URL.canParse(url) ? new URL(url).host : 'REDIS_URL';
        timer = setTimeout(() => reject(new Error(`Redis at ${where} did not answer within ${REDIS_CONNECT_TIMEOUT_MS} ms`)), REDIS_CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    if (client.isOpen) client.destroy();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    factory: createAdapter(client, { streamName: `${prefix}:stream`, channelPrefix: `${prefix}:ch`, sessionKeyPrefix: `${prefix}:session:` }),
    // io.close() has already closed the adapter, which lets go of the reading connections it duplicated.
    close: async () => {
      if (client.isOpen) await client.close();
    },
  };
}

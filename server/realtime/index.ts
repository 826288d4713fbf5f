import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { AUDIENCES, projectIncident } from '#common/incidents/projection';
import type { IncidentChange } from '#common/incidents/types';
import type { SourceHealth } from '#common/realtime/events';
import type { TokenService } from '../auth/tokens.ts';
import type { Regions } from '../geo/regions.ts';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import { bindHandlers } from './handlers.ts';
import { parseRoom, roomOf, roomsFor } from './rooms.ts';
import type { IoServer } from './types.ts';

export interface Realtime {
  io: IoServer;
  /** Push committed changes to every room of the regions containing them, one projection per audience. */
  publish(changes: IncidentChange[]): void;
  close(): Promise<void>;
}

const KPI_INTERVAL_MS = 2000;

export function createRealtime(
  httpServer: HttpServer,
  deps: { store: Store; sources: SourceRegistry; regions: Regions; tokens: TokenService; log: Logger; heartbeatMs: number },
): Realtime {
  const { store, sources, regions, log } = deps;
  const io: IoServer = new Server(httpServer, { serveClient: false, pingInterval: 10_000, pingTimeout: 10_000 });
  bindHandlers(io, deps);

  function publish(changes: IncidentChange[]): void {
    for (const change of changes) {
      if (change.seq > head) head = change.seq;
      const regionId = change.incident.gridId ?? regions.root.id;
      const event = change.type === 'created' ? 'incident:created' : 'incident:updated';
      for (const audience of AUDIENCES) {
        io.to(roomsFor(regionId, audience)).emit(event, { seq: change.seq, incident: projectIncident(change.incident, audience) });
      }
    }
  }

  // Heartbeat: proof of life plus the log head, so a client that missed something knows to resync.
  let head = 0;
  const heartbeat = setInterval(() => {
    store.incidents
      .headSeq()
      .then((seq) => {
        head = seq;
        io.local.emit('system:heartbeat', { at: new Date().toISOString(), seq });
      })
      .catch((err: unknown) => log.error({ err }, 'heartbeat failed'));
  }, deps.heartbeatMs);

  // KPIs: recomputed for this node's subscribed regions when the log has moved, at most every 2 s.
  let kpiHead = -1;
  const kpiTimer = setInterval(() => {
    if (head === kpiHead) return;
    kpiHead = head;
    const now = new Date();
    const regionIds = new Set<string>();
    for (const room of io.of('/').adapter.rooms.keys()) {
      const r = parseRoom(room);
      if (r) regionIds.add(r.regionId);
    }
    for (const regionId of regionIds) {
      store.incidents
        .kpis(regionId, now)
        .then((kpis) => {
          for (const audience of AUDIENCES) io.local.to(roomOf(regionId, audience)).emit('kpis:updated', { regionId, kpis });
        })
        .catch((err: unknown) => log.error({ err }, 'kpi update failed'));
    }
  }, KPI_INTERVAL_MS);

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

  return {
    io,
    publish,
    close: async () => {
      clearInterval(heartbeat);
      clearInterval(kpiTimer);
      clearInterval(sourcesTimer);
      offSources();
      await io.close();
    },
  };
}

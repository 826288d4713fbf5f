import type { Request } from 'express';
import { chunkIds, ReadCoalescer, unmaskedReporterIds, type ReadBatch } from '#common/audit/reporter-reads';
import type { Audience } from '#common/incidents/projection';
import type { Incident } from '#common/incidents/types';
import type { Logger } from '../log.ts';
import type { Audit } from './index.ts';

type Carried = Iterable<Pick<Incident, 'id' | 'reporter'>>;

/**
 * Unmasked reporters in lists and on sockets (common/audit/reporter-reads.ts), into the audit log.
 *
 * A list reply (`GET /api/incidents`, the replay) is recorded before it is answered, one entry per request naming
 * the incidents whose reporter it shows: a read that cannot be recorded is refused, as the detail read is.
 * Sockets are coalesced: the snapshots, deltas and pushes one socket gets are gathered and recorded as one entry
 * per socket per window (a minute), each incident once, and at once when the socket closes. A push is not held
 * back for its entry; a node that dies loses at most its last window's entries.
 */
export interface ReporterReads {
  list(req: Request, incidents: Carried, audience: Audience, what: { via: string; regionId: string }): Promise<void>;
  /** The same reply or push went to each of `sockets`. */
  sockets(sockets: Iterable<SocketRef>, incidents: Carried, audience: Audience): void;
  /** The socket closed: its window is recorded now. */
  closed(socketId: string): void;
  /** Records every window that has ended (the timer calls it); `all` records the open ones too. */
  flush(all?: boolean): Promise<void>;
  close(): Promise<void>;
}

/** What a socket entry names: who, from where, which region. */
export interface SocketRef {
  id: string;
  user: { sub: string; role: string };
  regionId: string;
  ip: string | null;
  userAgent: string | null;
}

type Meta = Omit<SocketRef, 'id'>;

export function createReporterReads(deps: { audit: Audit; log: Logger; windowMs?: number; now?: () => number }): ReporterReads {
  const { audit, log } = deps;
  const windowMs = deps.windowMs ?? 60_000;
  const now = deps.now ?? Date.now;
  const sockets = new ReadCoalescer<Meta>(windowMs);
  const writing = new Set<Promise<void>>();

  async function recordBatch(b: ReadBatch<Meta>): Promise<void> {
    const parts = chunkIds(b.ids);
    for (const [i, ids] of parts.entries()) {
      await audit.record({
        action: 'incident.reporter_push',
        target: null,
        actor: { id: b.meta.user.sub, role: b.meta.user.role },
        ip: b.meta.ip,
        userAgent: b.meta.userAgent,
        regionId: b.meta.regionId,
        detail: {
          socket: b.key,
          count: b.ids.length,
          ids,
          reads: b.reads,
          from: new Date(b.firstMs).toISOString(),
          to: new Date(b.lastMs).toISOString(),
          ...(parts.length > 1 ? { part: i + 1, parts: parts.length } : {}),
        },
      });
    }
  }
  function write(batches: ReadBatch<Meta>[]): Promise<void> {
    const p = Promise.all(batches.map(recordBatch))
      .then(() => undefined)
      .catch((err: unknown) => log.error({ err }, 'audit of socket reporter reads failed'));
    writing.add(p);
    void p.finally(() => writing.delete(p));
    return p;
  }

  const timer = setInterval(() => void write(sockets.due(now())), Math.min(5000, windowMs));
  timer.unref();

  return {
    async list(req, incidents, audience, what) {
      const ids = unmaskedReporterIds(incidents, audience);
      const parts = chunkIds(ids);
      for (const [i, part] of parts.entries()) {
        await audit.record(
          {
            action: 'incident.reporter_list_read',
            target: null,
            regionId: what.regionId,
            detail: { via: what.via, count: ids.length, ids: part, ...(parts.length > 1 ? { part: i + 1, parts: parts.length } : {}) },
          },
          req,
        );
      }
    },
    sockets(refs, incidents, audience) {
      const ids = unmaskedReporterIds(incidents, audience);
      if (ids.length === 0) return;
      const at = now();
      for (const { id, ...meta } of refs) sockets.add(id, meta, ids, at);
    },
    closed(socketId) {
      const b = sockets.take(socketId);
      if (b) void write([b]);
    },
    async flush(all = false) {
      await write(all ? sockets.drain() : sockets.due(now()));
    },
    async close() {
      clearInterval(timer);
      await write(sockets.drain());
      await Promise.all([...writing]);
    },
  };
}

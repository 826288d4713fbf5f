import { AUDIENCES, projectIncident } from '#common/incidents/projection';
import type { IncidentChange } from '#common/incidents/types';
import type { Regions } from '../geo/regions.ts';
import { parseRoom, roomsFor, userRoom } from './rooms.ts';
import type { IoServer } from './types.ts';

/**
 * Pushes changes to this node's sockets only (every node gets every change once, see index.ts), and only to
 * rooms that have a member here: a change used to be encoded for 12 rooms (3 audiences × 4 region levels)
 * and sent through the cluster adapter whether anyone listened or not. An audience with no member in any of
 * the change's rooms is not even projected.
 *
 * At most one incident message per room every `windowMs`: the first change after a quiet spell goes out at
 * once; changes that follow within the window are held and sent together when it ends. At a few events a
 * second nothing waits; under a burst, 1,000 sockets get 20 frames a second instead of one per change, which
 * is what keeps loopback TCP and the clients' parsers from saturating (see the latency benchmark).
 */
export function createPublisher(
  io: IoServer,
  regions: Regions,
  windowMs = 50,
  /** Called with each full-audience room's sockets here and what they were sent (reporter reads, server/audit). */
  onFullSend?: (socketIds: ReadonlySet<string>, changes: readonly IncidentChange[]) => void,
) {
  const pending = new Map<string, IncidentChange[]>();
  const lastSent = new Map<string, number>();
  /** Highest seq sent to each room: the heartbeat tells a room's sockets this, not the log head (index.ts). */
  const lastSeq = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;

  const rooms = io.of('/').adapter.rooms;

  function send(room: string, changes: IncidentChange[], now: number): void {
    lastSent.set(room, now);
    // Emptied since the change came: whoever joins later starts from a snapshot.
    if (!rooms.has(room)) return;
    lastSeq.set(room, Math.max(lastSeq.get(room) ?? 0, changes.at(-1)!.seq));
    if (onFullSend && parseRoom(room)?.audience === 'full') onFullSend(rooms.get(room)!, changes);
    if (changes.length === 1) {
      const [c] = changes as [IncidentChange];
      io.local.to(room).emit(c.type === 'created' ? 'incident:created' : 'incident:updated', { seq: c.seq, incident: c.incident });
    } else {
      io.local.to(room).emit('incidents:batch', { changes });
    }
  }

  function flush(): void {
    timer = null;
    const now = performance.now();
    for (const [room, changes] of pending) send(room, changes, now);
    pending.clear();
  }

  function publish(changes: IncidentChange[]): void {
    const byRoom = new Map<string, IncidentChange[]>();
    for (const change of changes) {
      const regionId = change.incident.gridId ?? regions.root.id;
      for (const audience of AUDIENCES) {
        let projected: IncidentChange | null = null;
        for (const room of roomsFor(regionId, audience)) {
          if (!rooms.has(room)) continue;
          projected ??= { seq: change.seq, type: change.type, incident: projectIncident(change.incident, audience) };
          const list = byRoom.get(room);
          if (list) list.push(projected);
          else byRoom.set(room, [projected]);
        }
      }
      // The people a case is sent to get it wherever it lies (a neighbour's grid): their app lists it live.
      // A worker's socket in the region room too gets it twice; the client keeps one (by seq).
      // Those it was taken from get it too, so it leaves their list (incidents/service.ts, formerHolders).
      const people = [change.incident.assigneeId, ...(change.incident.assistingPartyIds ?? []), ...(change.formerHolders ?? [])].filter((id): id is string => !!id);
      if (people.length) {
        const projected = { seq: change.seq, type: change.type, incident: projectIncident(change.incident, 'masked') };
        for (const id of new Set(people)) {
          const room = userRoom(id);
          const list = byRoom.get(room);
          if (list) list.push(projected);
          else byRoom.set(room, [projected]);
        }
      }
    }
    const now = performance.now();
    for (const [room, list] of byRoom) {
      const held = pending.get(room);
      if (held) held.push(...list);
      else if (now - (lastSent.get(room) ?? -Infinity) >= windowMs) send(room, list, now);
      else pending.set(room, list);
    }
    if (pending.size > 0 && !timer) timer = setTimeout(flush, windowMs);
  }

  return {
    publish,
    lastSeqOf: (room: string): number => lastSeq.get(room) ?? 0,
    close(): void {
      if (timer) clearTimeout(timer);
      flush();
    },
  };
}

import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';
import type { IncidentChange } from '#common/incidents/types';
import type { TokenClaims } from '../auth/tokens.ts';

export interface SocketData {
  user: TokenClaims;
  /** The region this socket is subscribed to, once it has subscribed. */
  regionId: string | null;
}

/** Between nodes (serverSideEmit): committed changes, once per write cluster-wide (each node pushes them to its own
 * members), and account changes, so cached token answers about that user go. */
export interface InterServerEvents {
  'incidents:changes': (changes: IncidentChange[]) => void;
  'account:changed': (userId: string) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

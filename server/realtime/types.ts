import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';
import type { TokenClaims } from '../auth/tokens.ts';

export interface SocketData {
  user: TokenClaims;
  /** The region this socket is subscribed to, once it has subscribed. */
  regionId: string | null;
}

/** Between nodes (serverSideEmit): an account changed, so cached token answers about it go. */
export interface InterServerEvents {
  'account:changed': (userId: string) => void;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

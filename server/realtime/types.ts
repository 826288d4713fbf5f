import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';
import type { TokenClaims } from '../auth/tokens.ts';

export interface SocketData {
  user: TokenClaims;
  /** The region this socket is subscribed to, once it has subscribed. */
  regionId: string | null;
}

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let tokenProvider: () => string | null = () => null;

/**
 * The one socket of the app, same origin. Not connected until a session has a token; the handshake asks
 * for the token on every (re)connect, so a new login takes effect on the next connection.
 */
export const socket: AppSocket = io({
  autoConnect: false,
  transports: ['websocket', 'polling'],
  reconnectionDelay: 500,
  reconnectionDelayMax: 5000,
  auth: (cb) => cb({ token: tokenProvider() ?? '' }),
});

export function setTokenProvider(provider: () => string | null): void {
  tokenProvider = provider;
}

/** Emit with an ack as a promise, failing after `timeoutMs`. */
export function request<E extends keyof ClientToServerEvents>(
  event: E,
  payload: Parameters<ClientToServerEvents[E]>[0],
  timeoutMs = 10_000,
): Promise<Parameters<Parameters<ClientToServerEvents[E]>[1]>[0]> {
  return new Promise((resolve, reject) => {
    // socket.io's typed emit cannot follow the generic event name; the signature above carries the types.
    (socket.timeout(timeoutMs) as unknown as {
      emit: (e: string, p: unknown, cb: (err: Error | null, reply: unknown) => void) => void;
    }).emit(event, payload, (err, reply) => (err ? reject(err) : resolve(reply as never)));
  });
}

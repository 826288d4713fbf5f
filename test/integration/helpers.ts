import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { LoginResponse } from '#common/auth/types';
import type { IngestEventInput } from '#common/ingest/schema';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';
import { createApp, type App } from '#server/app';
import { loadConfig } from '#server/config';

export const ADMIN_PASSWORD = 'integration-admin-pw';
export const INGEST_KEY = 'test-ingest-key-0123456789';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Running extends App {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** createApp on port 0 with its own temporary DATA_DIR; the simulator off unless asked for. */
export async function startApp(env: Record<string, string> = {}, dataDir?: string): Promise<Running> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'gridops-it-'));
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    SIMULATOR: 'off',
    GRIDOPS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    HEARTBEAT_MS: '200',
    INGEST_KEYS: `test:${INGEST_KEY}`,
    ...env,
  });
  const app = await createApp({ config, loginLimitPerMinute: 1000 });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    ...app,
    url: `http://127.0.0.1:${port}`,
    dataDir: dir,
    stop: async () => {
      await app.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function login(url: string, username = 'admin', password = ADMIN_PASSWORD): Promise<LoginResponse> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return (await res.json()) as LoginResponse;
}

export function socketFor(url: string, token: string | null, opts: { reconnection?: boolean } = {}): ClientSocket {
  return connect(url, {
    transports: ['websocket'],
    auth: token === null ? {} : { token },
    reconnection: opts.reconnection ?? false,
    forceNew: true,
  });
}

export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** A valid upstream event at a point inside the demo district (Zhiqiang Community). */
export function event(n: number, over: Partial<IngestEventInput> = {}): IngestEventInput {
  return {
    externalId: `ext-${n}`,
    source: 'hotline',
    category: 'garbage_exposed',
    title: `测试事件 ${n}`,
    location: { lng: 104.1, lat: 30.67 },
    ...over,
  };
}

export async function ingest(url: string, body: unknown, key = INGEST_KEY): Promise<Response> {
  return fetch(`${url}/api/ingest/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
    body: JSON.stringify(body),
  });
}

/** Resolves with the first `n` payloads of `event` on `socket`. */
export function collect<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  eventName: E,
  n: number,
  timeoutMs = 10_000,
): Promise<Parameters<ServerToClientEvents[E]>[0][]> {
  return new Promise((resolve, reject) => {
    const got: Parameters<ServerToClientEvents[E]>[0][] = [];
    const timer = setTimeout(() => reject(new Error(`timed out with ${got.length}/${n} ${eventName}`)), timeoutMs);
    // socket.io's typed `on` cannot follow a generic event name; the signature above carries the types.
    const raw = socket as unknown as { on(e: string, l: (p: unknown) => void): void; off(e: string, l: (p: unknown) => void): void };
    const on = (payload: unknown) => {
      got.push(payload as Parameters<ServerToClientEvents[E]>[0]);
      if (got.length === n) {
        clearTimeout(timer);
        raw.off(eventName, on);
        resolve(got);
      }
    };
    raw.on(eventName, on);
  });
}

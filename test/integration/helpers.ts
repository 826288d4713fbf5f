import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io as connect, type Socket } from 'socket.io-client';
import type { LoginResponse } from '#common/auth/types';
import type { Incident, IncidentChange } from '#common/incidents/types';
import type { IngestEventInput } from '#common/ingest/schema';
import type { ClientToServerEvents, ServerToClientEvents } from '#common/realtime/events';
import { createApp, type App } from '#server/app';
import { loadConfig } from '#server/config';

export const ADMIN_PASSWORD = 'integration-admin-pw';
/** The key of the `hotline` upstream (event() reports hotline work orders). */
export const INGEST_KEY = 'test-ingest-key-0123456789';
/** A key per other source kind: a key may submit only the kinds its connector may claim (common/ingest/claims.ts). */
export const KIND_KEYS: Readonly<Record<string, string>> = {
  hotline: INGEST_KEY,
  iot: 'test-iot-key-0123456789',
  video: 'test-video-key-0123456789',
  patrol: 'test-patrol-key-0123456789',
  open311: 'test-open311-key-0123456789',
};
export const TEST_INGEST_KEYS = Object.entries(KIND_KEYS).map(([source, key]) => `${source}:${key}`).join(',');

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Running extends App {
  url: string;
  dataDir: string;
  stop(): Promise<void>;
}

const isCI = process.env.CI === 'true' || process.env.CI === '1';

/**
 * The URL of a service a test needs (TEST_POSTGRES_URL, TEST_REDIS_URL). When it is not set the tests are
 * skipped with one line saying so, except under CI=true, where they run and fail on `requireEnv`.
 */
export function serviceUrl(name: string, what: string): { url: string | undefined; skip: boolean } {
  const url = process.env[name] || undefined;
  if (url || isCI) return { url, skip: false };
  console.warn(`[${what}] not run: ${name} is not set (e.g. ${name === 'TEST_REDIS_URL' ? 'redis://127.0.0.1:6379' : 'postgres://postgres@127.0.0.1:5432/test'})`);
  return { url, skip: true };
}

export function requireEnv(name: string): string {
  const url = process.env[name];
  if (!url) throw new Error(`${name} is not set${isCI ? ' (required under CI=true)' : ''}`);
  return url;
}

export interface PgSchema {
  schema: string;
  /** `base` with search_path set to the schema. */
  url: string;
  drop(): Promise<void>;
}

async function onAdmin(base: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL schema of this test run's own under `base` (created if missing). */
export async function createPgSchema(base: string, schema = `gridops_test_${randomBytes(6).toString('hex')}`): Promise<PgSchema> {
  await onAdmin(base, `CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  const options = encodeURIComponent(`-c search_path=${schema}`);
  return {
    schema,
    url: `${base}${base.includes('?') ? '&' : '?'}options=${options}`,
    drop: () => onAdmin(base, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`),
  };
}

/**
 * createApp on port 0 with its own temporary DATA_DIR; the simulator off unless asked for.
 * TEST_STORE=postgres (the integration-pg project): the store is a fresh schema under TEST_POSTGRES_URL,
 * dropped by stop(). A caller that passes its own dataDir to restart on the same data gets the same schema
 * back (named after the directory) and keeps it, as it keeps the directory.
 */
export async function startApp(
  env: Record<string, string> = {},
  dataDir?: string,
  opts: { redisPrefix?: string; now?: () => Date; deadLetterCapPerHour?: number; loginLimitPerMinute?: number } = {},
): Promise<Running> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'gridops-it-'));
  const pgSchema =
    process.env.TEST_STORE === 'postgres' && !env.DATABASE_URL
      ? await createPgSchema(
          requireEnv('TEST_POSTGRES_URL'),
          dataDir ? `gridops_test_${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}` : undefined,
        )
      : null;
  const config = loadConfig({
    DATA_DIR: dir,
    PORT: '0',
    SIMULATOR: 'off',
    GRIDOPS_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    HEARTBEAT_MS: '200',
    INGEST_KEYS: TEST_INGEST_KEYS,
    ...(pgSchema ? { DATABASE_URL: pgSchema.url } : {}),
    ...env,
  });
  const app = await createApp({ config, loginLimitPerMinute: opts.loginLimitPerMinute ?? 1000, redisPrefix: opts.redisPrefix, now: opts.now, deadLetterCapPerHour: opts.deadLetterCapPerHour }).catch(async (err: unknown) => {
    if (pgSchema && !dataDir) await pgSchema.drop();
    throw err;
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    ...app,
    url: `http://127.0.0.1:${port}`,
    dataDir: dir,
    stop: async () => {
      await app.close();
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
      if (pgSchema && !dataDir) await pgSchema.drop();
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

/**
 * A valid upstream event at a point inside the demo district (Zhiqiang Community). Events with different `n`
 * are reported 31 minutes apart, so they are distinct happenings and never merge (merge.ts); a higher `n` is
 * newer.
 */
/** Reports older than 30 days are refused (MAX_REPORTED_AGE_MS), so test events are dated in the last 25 days. */
const EVENT_BASE_MS = Math.floor((Date.now() - 25 * 86_400_000) / 60_000) * 60_000;

/** Slots of 31 minutes in the 24 days after EVENT_BASE_MS; prime-sized, so round ns (1000, 3001 …) do not collide. */
const EVENT_SLOTS = 1117;

/**
 * Event n, 31 minutes after event n-1 so no two merge (MERGE_WINDOW_MS); every EVENT_SLOTS events the clock wraps
 * and the place moves ~190 m east instead (beyond MERGE_RADIUS_M).
 */
export function event(n: number, over: Partial<IngestEventInput> = {}): IngestEventInput {
  return {
    externalId: `ext-${n}`,
    source: 'hotline',
    category: 'garbage_exposed',
    title: `测试事件 ${n}`,
    location: { lng: Number((104.1 + Math.floor(Math.abs(n) / EVENT_SLOTS) * 0.002).toFixed(6)), lat: 30.67 },
    reportedAt: new Date(EVENT_BASE_MS + (Math.abs(n) % EVENT_SLOTS) * 31 * 60_000).toISOString(),
    ...over,
  };
}

/** POST /api/ingest/events, by default with the key of the first item's source kind. */
export async function ingest(url: string, body: unknown, key = keyFor(body)): Promise<Response> {
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

/**
 * The first `n` incident changes pushed to `socket`, whether they came one by one (`incident:created`,
 * `incident:updated`) or coalesced (`incidents:batch`); only those `keep` accepts count.
 */
export function collectChanges(
  socket: ClientSocket,
  n: number,
  timeoutMs = 10_000,
  keep: (c: IncidentChange) => boolean = () => true,
): Promise<IncidentChange[]> {
  return new Promise((resolve, reject) => {
    const got: IncidentChange[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out with ${got.length}/${n} incident changes`)), timeoutMs);
    const add = (list: IncidentChange[]) => {
      got.push(...list.filter(keep));
      if (got.length >= n) {
        clearTimeout(timer);
        socket.off('incident:created', onCreated);
        socket.off('incident:updated', onUpdated);
        socket.off('incidents:batch', onBatch);
        resolve(got.slice(0, n));
      }
    };
    const onCreated = (p: { seq: number; incident: Incident }) => add([{ seq: p.seq, type: 'created', incident: p.incident }]);
    const onUpdated = (p: { seq: number; incident: Incident }) => add([{ seq: p.seq, type: 'updated', incident: p.incident }]);
    const onBatch = (p: { changes: IncidentChange[] }) => add(p.changes);
    socket.on('incident:created', onCreated);
    socket.on('incident:updated', onUpdated);
    socket.on('incidents:batch', onBatch);
  });
}

function keyFor(body: unknown): string {
  const first: unknown = Array.isArray(body) ? body[0] : body;
  const source = first && typeof first === 'object' && 'source' in first ? String(first.source) : 'hotline';
  return KIND_KEYS[source] ?? INGEST_KEY;
}

import { isIP } from 'node:net';
import { z } from 'zod';

const onOff = z.enum(['on', 'off']);
const urlOrEmpty = (protocols: string[]) =>
  z
    .string()
    .refine((v) => v === '' || protocols.some((p) => v.startsWith(`${p}://`)), {
      message: `must be empty or a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    })
    .default('');

/** `a.b.c.d`, an IPv6 address, or either with a prefix length in range (`/8`); `netmask`: also `/255.0.0.0`. */
function addressOrSubnet(entry: string, netmask: boolean): boolean {
  const [addr = '', bits, extra] = entry.split('/');
  const family = isIP(addr);
  if (!family || extra !== undefined) return false;
  if (bits === undefined) return true;
  if (/^\d{1,3}$/.test(bits)) return Number(bits) <= (family === 6 ? 128 : 32);
  return netmask && family === 4 && isIP(bits) === 4;
}
const entries = (v: string) => v.split(',').map((e) => e.trim()).filter(Boolean);
/** METRICS_ALLOW as parseAllowList (server/metrics) takes it. */
const allowListOk = (v: string) => entries(v).every((e) => e === 'loopback' || addressOrSubnet(e, false));
/** TRUST_PROXY as Express (proxy-addr) takes it: a hop count, true/false, or named ranges and addresses/subnets. */
const trustProxyOk = (v: string) =>
  ['', 'true', 'false'].includes(v.trim()) || /^\d+$/.test(v.trim()) || entries(v).every((e) => ['loopback', 'linklocal', 'uniquelocal'].includes(e) || addressOrSubnet(e, true));

/** Every setting the server reads from the environment; documented in .env.example and the README. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: urlOrEmpty(['postgres', 'postgresql']),
  REDIS_URL: urlOrEmpty(['redis', 'rediss']),
  MQTT_URL: urlOrEmpty(['mqtt', 'mqtts', 'ws', 'wss']),
  SIMULATOR: onOff.default('on'),
  SIMULATOR_RATE: z.coerce.number().min(0).max(60_000).default(30),
  GRIDOPS_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HEARTBEAT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** How often each node looks for SLA ladder steps due (remind, warn, 督办); each step is written once across nodes. */
  ESCALATION_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
  /** How often each node looks for caring visits past due (welfare tasks, server/care/service.ts). */
  CARE_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(86_400_000).default(300_000),
  /** Dead letters (refused upstream messages) older than this many days are pruned, hourly. */
  DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  WALL_AUTO_LOGIN: z.enum(['loopback', 'off']).default('loopback'),
  /**
   * Express `trust proxy` (a hop count, `loopback`, addresses/subnets, or `true`). Empty: no proxy trusted, and
   * a request carrying X-Forwarded-For / Forwarded / X-Real-IP never gets the loopback wall auto-login.
   */
  /** Socket commands (subscribe, resync) per user per node: `burst,perSecond` (a token bucket). */
  SOCKET_USER_LIMIT: z
    .string()
    .regex(/^\d{1,6},\d{1,6}$/, 'must be burst,perSecond, e.g. 100,20')
    .refine((v) => v.split(',').every((n) => Number(n) >= 1), 'both numbers must be at least 1')
    .default('100,20'),
  /** Bearer token that opens GET /metrics from anywhere; empty: only METRICS_ALLOW addresses. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Addresses/subnets that may read GET /metrics without the token (`loopback`, `10.0.0.0/8`, …). */
  METRICS_ALLOW: z.string().refine(allowListOk, 'must be loopback or addresses/subnets (10.0.0.0/8, fd00::/8), comma-separated').default('loopback'),
  TRUST_PROXY: z.string().refine(trustProxyOk, 'must be a hop count, true, loopback, linklocal, uniquelocal, or addresses/subnets').default(''),
  INGEST_KEYS: z
    .string()
    .default('')
    .superRefine((v, ctx) => {
      if (v === '') return;
      const entries = v.split(',');
      // Entries are named by position only: the text of a bad entry may be a key.
      const bad = entries.flatMap((p, i) => (/^[a-z0-9_-]+:.{16,}$/i.test(p.trim()) ? [] : [i + 1]));
      if (bad.length) {
        const which = `entr${bad.length === 1 ? 'y' : 'ies'} ${bad.join(', ')} of ${entries.length}`;
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of source:key, each key at least 16 characters (${which})` });
      }
    }),
  PUBLIC_URL: z.string().optional(),
  /** Optional raster base layer under the map: an XYZ template on the deployment's own servers ({z}/{x}/{y}). */
  MAP_BASE_XYZ: urlOrEmpty(['http', 'https']).refine((v) => v === '' || (v.includes('{z}') && v.includes('{x}') && v.includes('{y}')), {
    message: 'must contain {z}, {x} and {y}',
  }),
  /** Optional base layer: path of a PMTiles file the server hosts at /api/geo/base.pmtiles. */
  MAP_BASE_PMTILES: z.string().default(''),
  /** MQTT connector: client id (a persistent session; each node its own), default gridops-<hostname>. */
  MQTT_CLIENT_ID: z.string().max(64).default(''),
  MQTT_USERNAME: z.string().default(''),
  MQTT_PASSWORD: z.string().default(''),
  /** Prepended to the Alink topics (`{prefix}/sys/{productKey}/{deviceName}/thing/event/property/post`). */
  MQTT_TOPIC_PREFIX: z.string().regex(/^[^#+]*$/, 'must not contain + or #').refine((v) => !v.endsWith('/'), 'must not end with /').default(''),
  /** Subscribe as `$share/<group>/…` so several nodes split the device messages (empty: plain subscription). */
  MQTT_SHARED_GROUP: z.string().regex(/^[^/#+]*$/, 'must not contain /, + or #').default(''),
  /** Welfare check: a lone elderly resident's meter under WATER_ALERT_LITRES in WATER_ALERT_HOURS → an incident. */
  WATER_ALERT_LITRES: z.coerce.number().min(0).max(100_000).default(10),
  WATER_ALERT_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(24),
  /** A water meter silent longer than this raises a device-offline incident (a welfare check for a lone elderly resident's). */
  METER_SILENCE_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(6),
  /** Largest photo upload accepted, in bytes (larger: 413 media/too_large). */
  MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(10 * 1024 * 1024),
  /** S3-compatible object store for media, `http(s)://host:port/bucket` (path style); empty: files under DATA_DIR/media. */
  MEDIA_S3_URL: urlOrEmpty(['http', 'https']),
  MEDIA_S3_ACCESS_KEY_ID: z.string().default(''),
  MEDIA_S3_SECRET_ACCESS_KEY: z.string().default(''),
  MEDIA_S3_REGION: z.string().default('us-east-1'),
  /** Grid workers' positions and check-ins (personal data) older than this many days are pruned, hourly. */
  POSITION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/**
 * Parse the environment once. A bad value names the variable and what is allowed, never the value itself:
 * keys, passwords and URLs with credentials would otherwise land in a shared log.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).map((k) => [k, (env[k] === '' ? undefined : env[k])]),
  );
  const parsed = configSchema.safeParse(input);
  if (parsed.success) {
    mediaS3Settings(parsed.data);
    return parsed.data;
  }
  const lines = parsed.error.issues.map((i) => {
    const name = String(i.path[0] ?? '?');
    return `  ${name}: ${i.message}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

export function socketUserLimit(value: string): { burst: number; perSecond: number } {
  const [burst, perSecond] = value.split(',').map(Number);
  return { burst: burst!, perSecond: perSecond! };
}

/** TRUST_PROXY as Express's `trust proxy` value; false when unset. */
export function trustProxyValue(value: string): boolean | number | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** Parse INGEST_KEYS (`source:key,…`) into a map key → source id. */
export function parseIngestKeys(value: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    out.set(part.slice(i + 1), part.slice(0, i));
  }
  return out;
}

/**
 * The S3 media store's settings from MEDIA_S3_*, or null when MEDIA_S3_URL is empty (media on the file system).
 * Throws a ConfigError naming what is missing; never echoes the URL or keys.
 */
export function mediaS3Settings(c: Config): { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null {
  if (!c.MEDIA_S3_URL) return null;
  const problems: string[] = [];
  let endpoint = '';
  let bucket = '';
  try {
    const u = new URL(c.MEDIA_S3_URL);
    if (u.username || u.password) problems.push('MEDIA_S3_URL: must not carry credentials; set MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY');
    bucket = u.pathname.split('/').filter(Boolean)[0] ?? '';
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push('MEDIA_S3_URL: must name the bucket as its path (scheme://host:port/<bucket>)');
    endpoint = `${u.protocol}//${u.host}`;
  } catch {
    problems.push('MEDIA_S3_URL: is not a valid URL');
  }
  if (!c.MEDIA_S3_ACCESS_KEY_ID) problems.push('MEDIA_S3_ACCESS_KEY_ID: is required when MEDIA_S3_URL is set');
  if (!c.MEDIA_S3_SECRET_ACCESS_KEY) problems.push('MEDIA_S3_SECRET_ACCESS_KEY: is required when MEDIA_S3_URL is set');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { endpoint, bucket, region: c.MEDIA_S3_REGION, accessKeyId: c.MEDIA_S3_ACCESS_KEY_ID, secretAccessKey: c.MEDIA_S3_SECRET_ACCESS_KEY };
}

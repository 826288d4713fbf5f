import { reportRoutes } from './reports/routes.ts';
import { replayRoutes } from './replay/routes.ts';
import compression from 'compression';
import express, { type ErrorRequestHandler } from 'express';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapAccounts } from './auth/bootstrap.ts';
import { withAccountCheck } from './auth/account-check.ts';
import { requireAuth } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { createTokenService } from './auth/tokens.ts';
import { userRoutes } from './auth/user-routes.ts';
import { accountChanges } from './accounts/changes.ts';
import { createAudit, type Audit } from './audit/index.ts';
import { createReporterReads } from './audit/reporter-reads.ts';
import { createMetrics, metricsRoutes } from './metrics/index.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { createCalendar } from './calendar/index.ts';
import { auditRoutes } from './audit/routes.ts';
import { auditTrail } from './audit/trail.ts';
import { wallRoutes } from './auth/wall-routes.ts';
import { parseIngestKeys, socketUserLimit, trustProxyValue, type Config } from './config.ts';
import { geoDirFor, readRegions } from './geo/dataset.ts';
import { Regions } from './geo/regions.ts';
import { readWorkers } from './geo/grid-facts.ts';
import { geoRoutes } from './geo/routes.ts';
import { healthRoutes } from './http/health.ts';
import { securityHeaders } from './http/security-headers.ts';
import { staticRoutes } from './http/static.ts';
import { incidentRoutes } from './incidents/routes.ts';
import { mobileRoutes } from './mobile/routes.ts';
import { uploadIdempotency } from './mobile/upload-idempotency.ts';
import { startEscalation } from './incidents/escalation.ts';
import { createIncidentService, type IncidentService } from './incidents/service.ts';
import { createPipeline, type Pipeline } from './ingest/pipeline.ts';
import { createLocateStep } from './ingest/locate.ts';
import { parkedRoutes } from './ingest/parked-routes.ts';
import { gazetteerFromDataset } from './geo/gazetteer-data.ts';
import { connectorRoutes, hotlineParseErrors, rejectedRoutes, requireUtf8Ingest, startMqtt } from './ingest/connectors/index.ts';
import { ingestKeyRoutes } from './ingest/key-routes.ts';
import { KeyRing } from './ingest/keys.ts';
import { answerIngest, ingestRoutes } from './ingest/routes.ts';
import { ingestFastPath } from './ingest/http-fast-path.ts';
import { jsonBodies } from './http/body-limits.ts';
import { bodyDepthGuard } from './ingest/body-depth.ts';
import { capDeadLetters, startDeadLetterPruning } from './ingest/dead-letters.ts';
import { startSimulator, type Simulator } from './ingest/simulator.ts';
import { SourceRegistry } from './ingest/sources.ts';
import { createLogger, type Logger } from './log.ts';
import { createPopulation } from './population/index.ts';
import { createDispatch } from './dispatch/index.ts';
import { createCare, type Care } from './care/index.ts';
import { mediaRoutes, mediaStoreFor } from './media/index.ts';
import { createField } from './field/index.ts';
import { createAnalytics } from './analytics/index.ts';
import { createFeedback } from './feedback/index.ts';
import { mayRead } from './dispatch/parties.ts';
import { connectRedisAdapter, createRealtime } from './realtime/index.ts';
import type { IoServer } from './realtime/types.ts';
import { createPostgresStore } from './store/postgres/index.ts';
import { createSqliteStore } from './store/sqlite/index.ts';
import type { Store } from './store/types.ts';

export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface AppDeps {
  config: Config;
  log?: Logger;
  /** Login attempts per minute per client; tests raise it. */
  loginLimitPerMinute?: number;
  /** Names the Redis stream, channels and keys of the Socket.IO adapter when REDIS_URL is set; tests give each run its own. */
  redisPrefix?: string;
  /** The clock of the case flow and the SLA ladder (tests move it); the wall clock by default. */
  now?: () => Date;
  /** Dead letters stored per connector per clock hour (default 1,000); tests lower it. */
  deadLetterCapPerHour?: number;
}

export interface App {
  app: express.Express;
  io: IoServer;
  httpServer: HttpServer;
  store: Store;
  regions: Regions;
  pipeline: Pipeline;
  incidents: IncidentService;
  /** The SLA ladder's loop; `tick()` runs a round now. */
  escalation: { tick(): Promise<number> };
  /** Community life; `care.service.sweep()` runs a welfare sweep now. */
  care: Care;
  /** Silent water meters (with MQTT_URL set); `sweep()` runs a round now. */
  meterSilence: { sweep(): Promise<number> } | null;
  sources: SourceRegistry;
  /** The append-only audit log: `audit.record({ action, target, detail }, req)` (server/audit). */
  audit: Audit;
  /** Stop accepting, finish in-flight writes, close sockets and the database. */
  close(): Promise<void>;
}

/** The single assembly point: everything the server is, wired from its dependencies. */
export async function createApp(deps: AppDeps): Promise<App> {
  const { config } = deps;
  const log = deps.log ?? createLogger(config.LOG_LEVEL);
  const startedAt = Date.now();

  const geoDir = geoDirFor(config.DATA_DIR);
  const regions = new Regions(readRegions(geoDir));
  const store: Store = config.DATABASE_URL
    ? await createPostgresStore(config.DATABASE_URL, regions.root.id, (err) => log.error({ err }, 'postgres connection error'))
    : createSqliteStore(join(config.DATA_DIR, 'gridops.sqlite'), regions.root.id);
  // Every writer of dead letters (routes, connectors, pipeline, MQTT) goes through the cap.
  const rejects = capDeadLetters(store.rejects, deps.deadLetterCapPerHour);
  store.rejects = rejects;
  const metrics = createMetrics();
  metrics.instrumentStore(store);
  // Every token check also asks the store (cached ≤ 2 s) whether the user, and a wall token's link, are still live.
  const tokens = withAccountCheck(await createTokenService(store.settings), store);
  const publicUrl = config.PUBLIC_URL ?? `http://${config.HOST}:${config.PORT}`;
  await bootstrapAccounts({ store, tokens, rootRegionId: regions.root.id, adminPassword: config.GRIDOPS_ADMIN_PASSWORD, publicUrl, dataDir: config.DATA_DIR, log });

  const sources = new SourceRegistry();
  const app = express();
  // Requests go to Express, but for the fast path of POST /api/ingest/events once the pipeline exists.
  let handle: (req: IncomingMessage, res: ServerResponse) => void = app;
  const httpServer = createServer((req, res) => handle(req, res));
  const adapter = config.REDIS_URL ? await connectRedisAdapter(config.REDIS_URL, deps.redisPrefix ?? 'gridops', log) : undefined;
  const audit = createAudit({ store, log });
  const reporterReads = createReporterReads({ audit, log });
  const realtime = createRealtime(httpServer, { store, sources, regions, tokens, log, heartbeatMs: config.HEARTBEAT_MS, userLimit: socketUserLimit(config.SOCKET_USER_LIMIT), adapter, reads: reporterReads });
  const accounts = accountChanges(realtime.io, tokens, adapter !== undefined);
  const keys = await KeyRing.open(parseIngestKeys(config.INGEST_KEYS), store.settings, log, regions.root.id);
  const publish = metrics.timedPublish(realtime.publish);
  const locate = createLocateStep({ gazetteer: gazetteerFromDataset(geoDir), store, regions, log });
  const pipeline = createPipeline({ store, regions, sources, publish, log, locate });
  metrics.instrumentPipeline(pipeline);
  const now = deps.now ?? (() => new Date());
  const feedback = await createFeedback({ store, keys, sources, publish, now, log });
  const calendar = await createCalendar({ store, log, now });
  const incidents = createIncidentService({ store, regions, workers: readWorkers(geoDir), publish: feedback.tap(publish), notify: realtime.notify, now, calendar: calendar.current,
    partyExists: async (id, scope) => {
      const party = await store.parties.get(id);
      return party !== null && mayRead(party, scope);
    } });
  const escalation = startEscalation({ store, service: incidents, intervalMs: config.ESCALATION_INTERVAL_MS, now, calendar: calendar.current, log });
  const population = await createPopulation({ store, regions, io: realtime.io, log });
  const dispatch = await createDispatch({ store, regions, roster: incidents.roster, log });
  const care = await createCare({ store, regions, pipeline, io: realtime.io, geoDir, now, log, sweepMs: config.CARE_SWEEP_INTERVAL_MS, audit, incidents });
  const field = createField({ store, regions, roster: incidents.roster, io: realtime.io, retentionDays: config.POSITION_RETENTION_DAYS, now, log, audit });

  app.disable('x-powered-by');
  const trustProxy = trustProxyValue(config.TRUST_PROXY);
  app.set('trust proxy', trustProxy);
  const security = securityHeaders({ mapBaseXyz: config.MAP_BASE_XYZ });
  app.use(security);
  // gzip for the client bundle and JSON (a wall on a street office's LAN loads ~0.7 MB instead of ~2.4 MB).
  app.use(compression());
  const keyKnown = (key: string | undefined) => key !== undefined && keys.get(key) !== undefined;
  app.use(jsonBodies({ keyKnown, verify: requireUtf8Ingest }));
  app.use(bodyDepthGuard({ store, sources, keys }));
  // Ingest first after the body checks: what the fast path hands over should not walk the routers below
  // (health, metrics, audit trail, wall, auth, OpenAPI), none of which answers this path.
  app.use('/api', ingestRoutes({ pipeline, keys }));
  // One event per request at thousands a second: the plain case bypasses Express (http-fast-path.ts).
  handle = ingestFastPath({ answer: (key, body) => answerIngest({ pipeline, keys }, key, body), keyKnown, security, verify: requireUtf8Ingest, express: app });
  app.use(healthRoutes({ store, sources, version: VERSION, startedAt }));
  metrics.watch({ io: realtime.io, store, rootRegionId: regions.root.id, now });
  app.use(metricsRoutes(metrics, { token: config.METRICS_TOKEN, allow: config.METRICS_ALLOW, trustProxy: trustProxy !== false }));
  app.use(
    '/api',
    auditTrail(
      audit,
      {
        incident: async (id) => {
          const i = await store.incidents.get(id);
          return i ? (i.gridId ?? regions.root.id) : undefined;
        },
        user: async (id) => (await store.users.byId(id))?.regionId,
      },
      (err) => log.error({ err }, 'audit trail failed'),
    ),
  );
  app.use('/api', wallRoutes({ store, regions, tokens, wallAutoLogin: config.WALL_AUTO_LOGIN === 'loopback', trustProxy: trustProxy !== false }));
  app.use('/api', authRoutes({ store, tokens, regions, roster: incidents.roster, wallAutoLogin: config.WALL_AUTO_LOGIN === 'loopback', loginLimitPerMinute: deps.loginLimitPerMinute, now }));
  app.use('/api', openApiRoutes(VERSION));
  app.use(connectorRoutes({ pipeline, store, sources, regions, keys, feedbackPath: feedback.linkPath }));
  app.use(feedback.routes);
  app.use('/api', requireAuth(tokens));
  app.use('/api', userRoutes({ store, regions, tokens, accounts, now }));
  app.use('/api', geoRoutes(regions, { geoDir, mapBase: config }));
  app.use('/api', uploadIdempotency({ store }));
  app.use('/api', mediaRoutes({ store, regions, media: mediaStoreFor(config), maxBytes: config.MEDIA_MAX_BYTES, now, log, audit }));
  app.use('/api', incidentRoutes({ store, regions, service: incidents, audit, reads: reporterReads }));
  app.use('/api', mobileRoutes({ store, pipeline, now }));
  app.use('/api', auditRoutes({ store, rootRegionId: regions.root.id }));
  app.use('/api', calendar.routes);
  app.use('/api', population.routes);
  app.use('/api', field.routes);
  app.use('/api', dispatch);
  app.use('/api', care.routes);
  app.use('/api', replayRoutes({ store, now, reads: reporterReads }));
  app.use('/api', await createAnalytics({ store, regions, roster: incidents.roster, now }));
  app.use('/api', reportRoutes({ store, regions, roster: incidents.roster, now }));
  app.use('/api', parkedRoutes({ store, regions, pipeline, audit, now }));
  app.use('/api', rejectedRoutes({ store, rejects, rootRegionId: regions.root.id }));
  app.use('/api', ingestKeyRoutes({ keys, sources }));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'api/not_found', message: 'No such API route.' } });
  });
  app.use(staticRoutes());
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, _next) => {
    // Body-parser errors carry a 4xx status; anything else is ours and stays in the log.
    if (err.status && err.status < 500) {
      res.status(err.status).json({ error: { code: 'http/bad_request', message: err.type ?? 'Bad request.' } });
      return;
    }
    log.error({ err }, 'request failed');
    res.status(500).json({ error: { code: 'server/internal', message: 'Internal error; see the server log.' } });
  };
  app.use(hotlineParseErrors({ store, sources, keys }));
  app.use(onError);

  for (const source of keys.sources()) sources.register(source, 'http', 'connected');
  const simulator: Simulator | null =
    config.SIMULATOR === 'on'
      ? startSimulator({
          pipeline,
          regions,
          sources,
          ratePerMinute: config.SIMULATOR_RATE,
          workflow: { store, service: incidents, workers: incidents.roster, rootRegionId: regions.root.id, stepSeconds: 20 },
          log,
        })
      : null;
  const pruning = startDeadLetterPruning(store.rejects, config.DEAD_LETTER_RETENTION_DAYS, (err) => log.error({ err }, 'dead-letter pruning failed'));
  const mqtt = startMqtt({ pipeline, store, sources, log, now }, config);

  let closing: Promise<void> | null = null;
  return {
    app,
    io: realtime.io,
    httpServer,
    store,
    regions,
    pipeline,
    incidents,
    escalation,
    care,
    meterSilence: mqtt?.silence ?? null,
    sources,
    audit,
    close: () =>
      (closing ??= (async () => {
        simulator?.stop();
        pruning.stop();
        await escalation.stop();
        await care.close();
        keys.close();
        population.close();
        field.close();
        calendar.close();
        await mqtt?.silence.stop();
        await mqtt?.connector.stop();
        const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeIdleConnections();
        await pipeline.drain();
        await realtime.close();
        await stopped;
        await store.close();
      })()),
  };
}

import { BlockList, isIP } from 'node:net';
import { Router, type Request } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { IncidentChange } from '#common/incidents/types';
import type { Pipeline } from '../ingest/pipeline.ts';
import type { IoServer } from '../realtime/types.ts';
import type { Store } from '../store/types.ts';
import { forwarded } from '../auth/wall-routes.ts';

/** Store writes whose duration is the commit latency (one transaction each). */
const COMMITS = new Set(['ingest', 'update', 'transition', 'merge', 'split']);
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The node's Prometheus metrics, one registry per app (several apps share a test process). Instruments by
 * wrapping what exists (store methods, the pipeline's submit, the publisher) rather than editing each feature.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gridops_' });
  const ingested = new Counter({ name: 'gridops_ingest_events_total', help: 'Upstream events accepted, per connector and outcome (created, merged, duplicate).', labelNames: ['source', 'outcome'], registers: [registry] });
  const rejected = new Counter({ name: 'gridops_ingest_rejects_total', help: 'Upstream events refused by the pipeline, per connector and error code.', labelNames: ['source', 'code'], registers: [registry] });
  const deadLetters = new Counter({ name: 'gridops_dead_letters_total', help: 'Refused upstream messages stored as dead letters, per connector.', labelNames: ['source'], registers: [registry] });
  const pipelineSeconds = new Histogram({ name: 'gridops_pipeline_seconds', help: 'One pipeline submit (validate → commit → publish), per connector.', labelNames: ['source'], buckets: SECONDS, registers: [registry] });
  const commitSeconds = new Histogram({ name: 'gridops_store_commit_seconds', help: 'Store write transactions, per operation.', labelNames: ['op'], buckets: SECONDS, registers: [registry] });
  const storeErrors = new Counter({ name: 'gridops_store_errors_total', help: 'Store calls that failed, per sub-store and method.', labelNames: ['store', 'op'], registers: [registry] });
  const pushLag = new Histogram({ name: 'gridops_push_lag_seconds', help: 'From an incident change being committed to its push leaving this node.', buckets: SECONDS, registers: [registry] });

  /** Wrap every async method of every sub-store in place: errors counted, write transactions timed. */
  function instrumentStore(store: Store): void {
    for (const [name, sub] of Object.entries(store)) {
      if (!sub || typeof sub !== 'object') continue;
      const methods = sub as Record<string, unknown>;
      for (const [op, fn] of Object.entries(methods)) {
        if (typeof fn !== 'function') continue;
        const timed = name === 'incidents' && COMMITS.has(op);
        methods[op] = (...args: unknown[]) => {
          const end = timed ? commitSeconds.startTimer({ op }) : null;
          let out: unknown;
          try {
            out = (fn as (...a: unknown[]) => unknown).apply(sub, args);
          } catch (err) {
            storeErrors.inc({ store: name, op });
            throw err;
          }
          if (!(out instanceof Promise)) return out;
          return out.then(
            (v: unknown) => (end?.(), v),
            (err: unknown) => {
              storeErrors.inc({ store: name, op });
              throw err;
            },
          );
        };
      }
    }
    const add = store.rejects.add.bind(store.rejects);
    store.rejects.add = (connectorId, reason, payload, now) => (deadLetters.inc({ source: connectorId }), add(connectorId, reason, payload, now));
  }

  function instrumentPipeline(pipeline: Pipeline): void {
    const submit = pipeline.submit.bind(pipeline);
    pipeline.submit = async (connectorId, items, now, options) => {
      const end = pipelineSeconds.startTimer({ source: connectorId });
      const results = await submit(connectorId, items, now, options);
      end();
      for (const r of results) {
        if (r.ok) ingested.inc({ source: connectorId, outcome: r.duplicate ? 'duplicate' : r.merged ? 'merged' : 'created' });
        else rejected.inc({ source: connectorId, code: r.error.code });
      }
      return results;
    };
  }

  /** A publish that records, per change, how long after its commit it was pushed. */
  function timedPublish(publish: (changes: IncidentChange[]) => void): (changes: IncidentChange[]) => void {
    return (changes) => {
      publish(changes);
      const now = Date.now();
      for (const c of changes) {
        const at = Date.parse(c.incident.updatedAt);
        if (Number.isFinite(at) && at <= now) pushLag.observe((now - at) / 1000);
      }
    };
  }

  /** Gauges read at scrape time: sockets per role on this node, open incidents past their deadline. */
  function watch(deps: { io: IoServer; store: Store; rootRegionId: string; now: () => Date }): void {
    new Gauge({
      name: 'gridops_sockets',
      help: 'Open Socket.IO connections on this node, per role.',
      labelNames: ['role'],
      registers: [registry],
      collect() {
        this.reset();
        const counts = new Map<string, number>();
        for (const s of deps.io.of('/').sockets.values()) counts.set(s.data.user.role, (counts.get(s.data.user.role) ?? 0) + 1);
        for (const role of ['admin', 'leader', 'dispatcher', 'worker', 'wall']) this.set({ role }, counts.get(role) ?? 0);
      },
    });
    new Gauge({
      name: 'gridops_sla_overdue_incidents',
      help: 'Open incidents past their SLA deadline (whole deployment, shared store).',
      registers: [registry],
      async collect() {
        this.set((await deps.store.incidents.kpis(deps.rootRegionId, deps.now())).overdue);
      },
    });
  }

  return { registry, instrumentStore, instrumentPipeline, timedPublish, watch };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** METRICS_ALLOW: comma-separated addresses or CIDR subnets (IPv4/IPv6); `loopback` for 127.0.0.0/8 and ::1. */
export function parseAllowList(spec: string): BlockList {
  const list = new BlockList();
  for (const raw of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (raw === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [addr, bits] = raw.split('/');
    const family = isIP(addr ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (!isIP(addr ?? '')) throw new Error(`METRICS_ALLOW: ${raw} is not an address or subnet`);
    if (bits === undefined) list.addAddress(addr!, family);
    else list.addSubnet(addr!, Number(bits), family);
  }
  return list;
}

function allowed(req: Request, token: string | undefined, list: BlockList, trustProxy: boolean): boolean {
  const auth = req.headers.authorization;
  if (token && auth === `Bearer ${token}`) return true;
  // Without TRUST_PROXY a forwarded request's peer is a proxy (often on loopback), not the client: token only.
  if (!trustProxy && forwarded(req)) return false;
  // Express's req.ip honours TRUST_PROXY; an IPv4-mapped IPv6 peer is judged as IPv4.
  const ip = (req.ip ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!isIP(ip)) return false;
  return list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
}

/** `GET /metrics`: Prometheus text for a bearer METRICS_TOKEN or an address in METRICS_ALLOW. */
export function metricsRoutes(metrics: Metrics, opts: { token?: string; allow: string; trustProxy: boolean }): Router {
  const list = parseAllowList(opts.allow);
  const r = Router();
  r.get('/metrics', async (req, res) => {
    if (!allowed(req, opts.token || undefined, list, opts.trustProxy)) {
      res.status(403).json({ error: { code: 'metrics/forbidden', message: 'Metrics need METRICS_TOKEN or an address in METRICS_ALLOW.' } });
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}

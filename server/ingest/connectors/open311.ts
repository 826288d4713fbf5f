/**
 * Open311 GeoReport v2 at /open311/v2, each resource as `.json` and as `.xml` (the same objects; only the rendering
 * differs, open311-xml.ts: `<services><service>`, `<service_requests><request>`, `<errors><error>`, text/xml):
 *   GET  services.json                 our categories as services (open311-map.ts)
 *   POST requests.json                 application/x-www-form-urlencoded as the spec shows it; `api_key` of source
 *                                      `open311` (INGEST_KEYS); → [{ service_request_id, service_notice, account_id }]
 *   GET  requests.json                 service_request_id (comma list; overrides the rest), service_code, start_date,
 *                                      end_date (W3C; default and maximum span 90 days), status open|closed; ≤ 1000
 *   GET  requests/{id}.json            one request
 * 回访: a GET that carries the `api_key` of source `open311` (the reporter's app, which relays it) gets, in the
 * status_notes of each closed request, the one-time feedback link `/f/{token}` (a path on this server) while it can
 * be answered (server/feedback/links.ts). Without the key the notes stay public-safe: anyone may list requests,
 * and a link in a public list would let anyone answer for the reporter (不满意 sends a case back for rework).
 * Errors are `[{ code, description }]` (XML `<errors><error><code/><description/></error></errors>`), with the same
 * HTTP status in both formats: 403 missing or invalid api_key, 400 missing or invalid arguments, 404 unknown
 * service_code or request. jurisdiction_id is accepted and ignored (one jurisdiction).
 *
 * External id of a POST (Open311 has no client id): with an `Idempotency-Key` (or `X-Request-Id`) header, a hash of
 * it with device_id and account_id, so a retry with the same key never double-creates, across restarts too;
 * without one, a server-generated `o311-<uuid>`, and an identical POST (same fields) within 10 minutes is taken as a
 * retry and answered with the first one's service_request_id (in memory, per node).
 */
import { createHash, randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { categoryByCode } from '#common/incidents/categories';
import { INCIDENT_STATUSES, TERMINAL_STATUSES, type Incident, type IncidentStatus } from '#common/incidents/types';
import { isWithinScope } from '#common/geo/types';
import { parseCoordinate } from '#common/ingest/coords';
import { ingestEventSchema, type IngestEventInput } from '#common/ingest/schema';
import type { Regions } from '../../geo/regions.ts';
import type { Pipeline } from '../pipeline.ts';
import { maskedDeadLetter, rejectRaw, sourceOfKey, str, type ConnectorDeps } from './common.ts';
import { OPEN311_SOURCE, PUBLIC_CATEGORIES, SERVICES, serviceNotice, serviceOf, toOpen311Request, visibility } from './open311-map.ts';
import type { KeyLookup } from '../keys.ts';
import { render, type Format } from './open311-xml.ts';

const DAY = 86_400_000;
const MAX_SPAN = 90 * DAY;
const MAX_RESULTS = 1000;
const RETRY_WINDOW = 10 * 60_000;
const W3C = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

const FORMATS: readonly Format[] = ['json', 'xml'];

const fail = (res: Response, ext: Format, status: number, description: string, code: number = status) => {
  render(res, ext, 'errors', 'error', [{ code, description }], status);
};

/** Query values: repeated and comma-delimited both allowed. */
function listParam(v: unknown): string[] {
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.flatMap((x) => (typeof x === 'string' ? x.split(',') : [])).map((x) => x.trim()).filter(Boolean);
}

function w3cDate(v: unknown): Date | null | 'invalid' {
  const s = str(v);
  if (!s) return null;
  if (!W3C.test(s)) return 'invalid';
  const d = new Date(s.length === 10 ? `${s}T00:00:00+08:00` : s);
  return Number.isNaN(d.getTime()) ? 'invalid' : d;
}

export type Open311Deps = ConnectorDeps & {
  pipeline: Pipeline;
  regions: Regions;
  keys: KeyLookup;
  /** The case's open feedback link path (`/f/{token}`), or null (server/feedback). */
  feedbackPath?: (incident: Incident) => Promise<string | null>;
};

/** Whether a decoded form value still holds percent-escapes of bytes that are not UTF-8 (or U+FFFD from them). */
function notUtf8Form(v: string): boolean {
  if (v.includes('\uFFFD')) return true;
  if (!/%[0-9A-Fa-f]{2}/.test(v)) return false;
  try {
    decodeURIComponent(v);
    return false;
  } catch {
    return true;
  }
}

export function open311Routes(deps: Open311Deps): Router {
  const { store, regions, pipeline } = deps;
  const r = Router();
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 100 });
  const services = SERVICES.map(serviceOf);
  const recent = new Map<string, { externalId: string; until: number }>();

  /** Feedback link paths for the closed requests, when the GET carries an open311 key (within the key's region). */
  const linkPaths = async (req: Request, items: Incident[]): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    const key = str(req.query.api_key);
    if (!deps.feedbackPath || !key || sourceOfKey(deps.keys, key) !== OPEN311_SOURCE) return out;
    const scope = deps.keys.scopeOf?.(key) ?? null;
    for (const i of items) {
      if (i.status !== 'closed' || (scope && !isWithinScope(i.gridId ?? regions.root.id, scope))) continue;
      const path = await deps.feedbackPath(i);
      if (path) out.set(i.id, path);
    }
    return out;
  };

  for (const ext of FORMATS) {
    r.get(`/services.${ext}`, (_req, res) => {
      render(res, ext, 'services', 'service', services);
    });

    r.post(`/requests.${ext}`, form, async (req: Request, res: Response) => {
      const b = (req.body && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
      const source = sourceOfKey(deps.keys, str(b.api_key));
      if (source !== OPEN311_SOURCE) {
        fail(res, ext, 403, `${str(b.api_key) ? 'Invalid' : 'Missing'} api_key -- can't proceed with create_request.`);
        return;
      }
      const now = new Date();
      const { api_key: _key, ...rest } = b;
      const refuse = async (status: number, description: string) => {
        await rejectRaw(deps, source, `open311/${status}: ${description}`, maskedDeadLetter(rest), now);
        fail(res, ext, status, description);
      };
      // A form percent-encoded from GBK does not decode as UTF-8 (the parser leaves such a value as its %XX text):
      // refused, or the description would be stored as escapes or mojibake.
      if (Object.values(rest).some((v) => typeof v === 'string' && notUtf8Form(v))) {
        return refuse(400, 'The form is not UTF-8: percent-encode the UTF-8 bytes of each value.');
      }
      const code = str(b.service_code);
      if (!code) return refuse(400, 'service_code was not provided.');
      const category = categoryByCode(code);
      if (!category || !SERVICES.includes(category)) return refuse(404, `service_code ${code.slice(0, 64)} was not found.`);
      const latS = str(b.lat);
      const longS = str(b.long);
      const addressOnly = !latS && !longS && !!str(b.address_string);
      if ((!latS || !longS) && !addressOnly) {
        return refuse(400, latS || longS
          ? 'lat and long both need to be sent.'
          : 'lat and long (WGS-84) or address_string are required (address_id is not supported).');
      }
      // Strict: Number() would take '0x1A', '1e2' and 'Infinity'. Without them the server locates address_string.
      const latP = addressOnly ? null : parseCoordinate(latS, 'lat');
      const lngP = addressOnly ? null : parseCoordinate(longS, 'lng');
      if (latP && lngP && (!latP.ok || !lngP.ok)) {
        return refuse(400, `lat and long must be WGS-84 decimal degrees: ${[latP, lngP].map((p) => (p.ok ? '' : p.message)).filter(Boolean).join('; ').replace(/\blng\b/, 'long')}.`);
      }
      const location = latP?.ok && lngP?.ok ? { lng: lngP.value, lat: latP.value } : undefined;
      const description = str(b.description) ?? '';
      if (description.length > 4000) return refuse(400, 'description is limited to 4,000 characters.');
      const media = str(b.media_url);
      if (media && !/^https?:\/\/\S{1,2000}$/.test(media)) return refuse(400, 'media_url must be an http(s) URL.');
      const name = [str(b.last_name), str(b.first_name)].filter(Boolean).join('') || null;
      const phone = str(b.phone)?.slice(0, 32) ?? null;
      const address = str(b.address_string)?.slice(0, 300) ?? null;

      // External id: an idempotency key when the client sends one, else a fresh token (identical retries reuse it).
      const idem = req.header('idempotency-key') ?? req.header('x-request-id');
      const fields = ['service_code', 'lat', 'long', 'address_string', 'description', 'media_url', 'device_id', 'account_id', 'email', 'phone', 'first_name', 'last_name'];
      const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 40);
      let externalId: string;
      if (idem) {
        externalId = `idem-${hash(`${idem}\u0000${str(b.device_id) ?? ''}\u0000${str(b.account_id) ?? ''}`)}`;
      } else {
        const fp = hash(fields.map((f) => str(b[f]) ?? '').join('\u0000'));
        const t = now.getTime();
        for (const [k, v] of recent) if (v.until < t || recent.size > 10_000) recent.delete(k);
        const seen = recent.get(fp);
        externalId = seen && seen.until >= t ? seen.externalId : `o311-${randomUUID()}`;
        recent.set(fp, { externalId, until: t + RETRY_WINDOW });
      }
      const lines = [description];
      if (media) lines.push(`附件：${media}`);
      const event: IngestEventInput = {
        externalId,
        source: 'open311',
        category: code,
        // The incident's title is made by the pipeline (category · place); this one only has to be valid.
        title: description.trim() ? Array.from(description.trim()).slice(0, 40).join('') : category.nameZh,
        description: lines.join('\n').trim().slice(0, 4000),
        // Absent with only address_string: located by the gazetteer, or parked for a dispatcher (ingest/locate.ts).
        ...(location ? { location } : {}),
        crs: 'wgs84',
        address,
        reportedAt: now.toISOString(),
        reporter: name || phone ? { name: name?.slice(0, 64) ?? null, phone } : null,
      };
      const check = ingestEventSchema.safeParse(event);
      if (!check.success) return refuse(400, check.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      const [result] = await pipeline.submit(source, [event], now, { scopeRegionId: deps.keys.scopeOf?.(str(b.api_key) ?? '') ?? null });
      if (!result?.ok) {
        // Validated above, so this is the pipeline's own refusal (kept by it as a dead letter).
        fail(res, ext, 400, result ? result.error.message : 'The request could not be processed.');
        return;
      }
      render(res, ext, 'service_requests', 'request', [{ service_request_id: result.id, service_notice: serviceNotice(code), account_id: str(b.account_id) ?? null }]);
    });

    r.get(`/requests.${ext}`, async (req, res) => {
      const q = req.query;
      const ids = listParam(q.service_request_id);
      let from: Date | null = null;
      let to: Date | null = null;
      let statuses: IncidentStatus[] | undefined;
      let categories = [...PUBLIC_CATEGORIES];
      if (ids.length === 0) {
        const start = w3cDate(q.start_date);
        const end = w3cDate(q.end_date);
        if (start === 'invalid' || end === 'invalid') return fail(res, ext, 400, 'start_date and end_date must use the W3C format, e.g. 2010-01-01T00:00:00Z.');
        to = end ?? (start ? new Date(start.getTime() + MAX_SPAN) : new Date());
        from = start ?? new Date(to.getTime() - MAX_SPAN);
        if (to.getTime() < from.getTime()) return fail(res, ext, 400, 'end_date is before start_date.');
        if (to.getTime() - from.getTime() > MAX_SPAN) return fail(res, ext, 400, 'start_date and end_date may not span more than 90 days.');
        const codes = listParam(q.service_code);
        if (codes.length) categories = categories.filter((c) => codes.includes(c));
        const st = listParam(q.status);
        if (st.some((s) => s !== 'open' && s !== 'closed')) return fail(res, ext, 400, 'status must be open or closed.');
        if (st.length === 1) {
          statuses = st[0] === 'closed' ? [...TERMINAL_STATUSES] : INCIDENT_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));
        }
        if (categories.length === 0) return render(res, ext, 'service_requests', 'request', []);
      }
      const items = ids.length
        ? (await Promise.all(ids.slice(0, MAX_RESULTS).map((id) => store.incidents.get(id)))).filter((i) => i !== null)
        : (
            await store.incidents.list(
              // end_date is inclusive; the store's `to` is not.
              { regionId: regions.root.id, connectorId: OPEN311_SOURCE, categories, statuses, from: from!, to: new Date(to!.getTime() + 1) },
              { limit: MAX_RESULTS },
            )
          ).items;
      const shown = items.map((i) => ({ i, v: visibility(i) })).filter(({ v }) => (ids.length ? v !== 'none' : v === 'full'));
      const paths = await linkPaths(req, shown.map(({ i }) => i));
      render(res, ext, 'service_requests', 'request', shown.map(({ i, v }) => toOpen311Request(i, regions, v as 'full' | 'status', paths.get(i.id) ?? null)));
    });

    r.get(`/requests/:id.${ext}`, async (req, res) => {
      const incident = await store.incidents.get(req.params.id);
      const v = incident ? visibility(incident) : 'none';
      if (!incident || v === 'none') return fail(res, ext, 404, `service_request_id ${req.params.id.slice(0, 64)} was not found.`);
      const paths = await linkPaths(req, [incident]);
      render(res, ext, 'service_requests', 'request', [toOpen311Request(incident, regions, v, paths.get(incident.id) ?? null)]);
    });
  }

  r.use((req, res) => fail(res, /\.xml$/i.test(req.path) ? 'xml' : 'json', 404, 'No such Open311 resource (this server speaks GeoReport v2 JSON and XML).'));
  return r;
}

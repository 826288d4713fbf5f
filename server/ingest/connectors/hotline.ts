/**
 * 12345 hotline work orders (政务服务便民热线工单) through a webhook: `POST /api/ingest/hotline`, `X-Api-Key` of the
 * source `hotline` (INGEST_KEYS). One order object or an array of them (at most 1000):
 *
 *   orderNo      工单编号 (required; the external id: the same order delivered twice makes one incident)
 *   orderType    诉求类型: 求决 | 咨询 | 投诉 | 建议
 *   category     诉求分类 text, mapped by hotline-categories.ts (unknown → rejected with the reason)
 *   title        标题 (optional; kept in the description: the incident title is "category · place")
 *   content      诉求内容
 *   address      事发地址
 *   location     { lng, lat } in `coordSystem`: GCJ02 (default: what Chinese map pickers give) | BD09 | WGS84 | CGCS2000;
 *                may be left out when `address` is given: the gazetteer locates it or a dispatcher places it
 *   acceptedAt   受理时间 (ISO-8601 with offset, or "YYYY-MM-DD HH:mm[:ss]" read as Beijing time); default now
 *   deadline     办理时限 (same formats; kept in the description: the SLA clock starts at our dispatch)
 *   urgent       紧急 (true raises the severity to at least high)
 *   callerName, callerPhone   来电人 (stored for dispatchers; masked per audience; masked in dead letters)
 *
 * 202 `{ accepted, rejected, results: [{ orderNo, ok, id, duplicate } | { orderNo, ok: false, error }] }` once
 * committed; 422 when no order could be taken; 400/401/403/413 for the request itself.
 */
import { isUtf8 } from 'node:buffer';
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import { categoryByCode } from '#common/incidents/categories';
import { SEVERITIES } from '#common/incidents/types';
import { parseCoordinate, type Axis } from '#common/ingest/coords';
import { ingestEventSchema, reportedAtProblem, type IngestEventInput, type IngestItemResult } from '#common/ingest/schema';
import type { Pipeline } from '../pipeline.ts';
import { headerKey, maskedDeadLetter, rejectRaw, sourceOfKey, type ConnectorDeps } from './common.ts';
import { mapHotlineCategory } from './hotline-categories.ts';
import type { KeyLookup } from '../keys.ts';

export const HOTLINE_SOURCE = 'hotline';
const MAX_ORDERS = 1000;

/** ISO-8601 with an offset, or a local "YYYY-MM-DD HH:mm[:ss]" as Beijing time (UTC+8). */
export const chinaTime = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)$/.exec(v);
    const iso = local ? `${local[1]}T${local[2]!.length === 5 ? `${local[2]}:00` : local[2]}+08:00` : v;
    if (!z.iso.datetime({ offset: true }).safeParse(iso).success || Number.isNaN(Date.parse(iso))) {
      ctx.addIssue({ code: 'custom', message: 'must be ISO-8601 with an offset or "YYYY-MM-DD HH:mm:ss" (Beijing time)' });
      return z.NEVER;
    }
    return iso;
  });

/** A JSON number, or a plain decimal string as some hotline platforms send; never hex, '', Infinity or garbage. */
const coordinate = (axis: Axis) =>
  z.unknown().transform((v, ctx) => {
    const c = parseCoordinate(v, axis);
    if (c.ok) return c.value;
    ctx.addIssue({ code: 'custom', message: c.message });
    return z.NEVER;
  });

const CRS = { wgs84: 'wgs84', gcj02: 'gcj02', bd09: 'bd09', cgcs2000: 'cgcs2000' } as const;

export const hotlineOrderSchema = z.object({
  orderNo: z.string().trim().min(1).max(64),
  orderType: z.enum(['求决', '咨询', '投诉', '建议']),
  category: z.string().trim().min(1).max(200),
  title: z.string().trim().max(200).optional(),
  content: z.string().trim().min(1).max(4000),
  address: z.string().trim().max(300).optional(),
  location: z.object({ lng: coordinate('lng'), lat: coordinate('lat') }).optional(),
  coordSystem: z
    .string()
    .transform((v) => v.toLowerCase().replace(/[^a-z0-9]/g, ''))
    .pipe(z.enum(['wgs84', 'gcj02', 'bd09', 'cgcs2000']))
    .default('gcj02'),
  acceptedAt: chinaTime.optional(),
  deadline: chinaTime.optional(),
  urgent: z.boolean().optional(),
  callerName: z.string().trim().max(64).optional(),
  callerPhone: z.string().trim().max(32).optional(),
}).refine((o) => o.location !== undefined || !!o.address, { path: ['location'], message: 'location is required unless address is given' });
export type HotlineOrder = z.output<typeof hotlineOrderSchema>;

type Mapped = { ok: true; event: IngestEventInput } | { ok: false; code: string; message: string };

/** One work order (already parsed) → an ingest event; `now` bounds 受理时间. */
export function hotlineToEvent(o: HotlineOrder, now = new Date()): Mapped {
  const when = o.acceptedAt ? reportedAtProblem(o.acceptedAt, now) : null;
  if (when) return { ok: false, code: 'hotline/accepted_at', message: `acceptedAt: ${when}` };
  const code = mapHotlineCategory(o.category);
  if (!code) return { ok: false, code: 'hotline/unknown_category', message: `category: no mapping for 诉求分类 "${o.category.slice(0, 100)}"` };
  const def = categoryByCode(code)!.defaultSeverity;
  const severity = o.urgent && SEVERITIES.indexOf(def) < SEVERITIES.indexOf('high') ? 'high' : def;
  const lines = [o.content, `诉求类型：${o.orderType}`, `工单编号：${o.orderNo}`];
  if (o.deadline) lines.push(`办理时限：${o.deadline}`);
  const event: IngestEventInput = {
    externalId: o.orderNo,
    source: 'hotline',
    category: code,
    severity,
    // The incident's title is made by the pipeline (category · place); the upstream's own title is kept in the description.
    title: o.title ?? o.orderType,
    description: lines.join('\n').slice(0, 4000),
    ...(o.location ? { location: o.location } : {}),
    crs: CRS[o.coordSystem],
    address: o.address ?? null,
    reportedAt: o.acceptedAt,
    reporter: o.callerName || o.callerPhone ? { name: o.callerName ?? null, phone: o.callerPhone ?? null } : null,
  };
  const check = ingestEventSchema.safeParse(event);
  if (!check.success) return { ok: false, code: 'hotline/invalid', message: check.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  return { ok: true, event };
}

function zodReason(err: z.ZodError): string {
  return err.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

type OrderResult = ({ orderNo: string | null } & IngestItemResult);

export function hotlineRoutes(deps: ConnectorDeps & { pipeline: Pipeline; keys: KeyLookup }): Router {
  const r = Router();
  r.post('/ingest/hotline', async (req: Request, res: Response) => {
    const source = sourceOfKey(deps.keys, headerKey(req));
    if (!source) {
      res.status(401).json({ error: { code: 'ingest/unauthorized', message: 'A valid X-Api-Key is required.' } });
      return;
    }
    if (source !== HOTLINE_SOURCE) {
      res.status(403).json({ error: { code: 'ingest/forbidden', message: `This key belongs to source "${source}", not "${HOTLINE_SOURCE}".` } });
      return;
    }
    const body: unknown = req.body;
    const orders = Array.isArray(body) ? body : body && typeof body === 'object' && Object.keys(body).length > 0 ? [body] : null;
    const refuse = async (status: number, code: string, message: string) => {
      await rejectRaw(deps, source, `${code}: ${message}`, body === undefined ? `(no JSON body; Content-Type ${req.header('content-type') ?? 'none'})` : maskedDeadLetter(body));
      res.status(status).json({ error: { code, message } });
    };
    if (!orders || orders.length === 0) {
      await refuse(400, 'ingest/empty', 'Send one work order object or a non-empty array (application/json).');
      return;
    }
    if (orders.length > MAX_ORDERS) {
      await refuse(413, 'ingest/too_many', `At most ${MAX_ORDERS} work orders per request.`);
      return;
    }
    const now = new Date();
    const results: OrderResult[] = new Array(orders.length);
    const events: IngestEventInput[] = [];
    const at: number[] = [];
    for (let i = 0; i < orders.length; i++) {
      const raw: unknown = orders[i];
      const orderNo = raw && typeof raw === 'object' && typeof (raw as { orderNo?: unknown }).orderNo === 'string' ? (raw as { orderNo: string }).orderNo.slice(0, 64) : null;
      const parsed = hotlineOrderSchema.safeParse(raw);
      const mapped: Mapped = parsed.success ? hotlineToEvent(parsed.data, now) : { ok: false, code: 'hotline/invalid', message: zodReason(parsed.error) };
      if (mapped.ok) {
        events.push(mapped.event);
        at.push(i);
      } else {
        results[i] = { orderNo, ok: false, error: { code: mapped.code, message: mapped.message } };
        await rejectRaw(deps, source, `${mapped.code}: ${mapped.message}`, maskedDeadLetter(raw), now);
      }
    }
    const scopeRegionId = deps.keys.scopeOf?.(headerKey(req) ?? '') ?? null;
    const submitted = events.length ? await deps.pipeline.submit(source, events, now, { scopeRegionId }) : [];
    submitted.forEach((s, k) => {
      results[at[k]!] = { orderNo: events[k]!.externalId, ...s };
    });
    const accepted = results.filter((x) => x.ok).length;
    if (accepted === 0) {
      res.status(422).json({ error: { code: 'ingest/all_rejected', message: 'No work order could be taken.' }, accepted, rejected: results.length, results });
      return;
    }
    res.status(202).json({ accepted, rejected: results.length - accepted, results });
  });
  return r;
}

/** The JSON ingest routes whose body errors are answered with a reason and kept as dead letters. */
const JSON_INGEST_PATHS = new Set(['/api/ingest/hotline', '/api/ingest/events']);

/**
 * `verify` of the app's JSON parser: an ingest body that is not UTF-8 (a GBK export sent as JSON) would be decoded
 * with replacement characters and stored as mojibake, so it is refused before it is parsed (ingestBodyErrors).
 */
export function requireUtf8Ingest(req: { method?: string; path?: string }, _res: unknown, buf: Buffer): void {
  if (req.method === 'POST' && JSON_INGEST_PATHS.has(req.path ?? '') && !isUtf8(buf)) {
    throw Object.assign(new Error('The body is not valid UTF-8.'), { type: 'ingest.not_utf8', status: 400, raw: buf.subarray(0, 64 * 1024) });
  }
}

interface BodyError {
  type?: string;
  body?: unknown;
  raw?: Buffer;
  length?: number;
  limit?: number;
  charset?: string;
}

/** What a body-parser failure on an ingest route answers, and the dead letter kept for it. */
function describe(err: BodyError): { status: number; code: string; message: string; payload: string } | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return { status: 400, code: 'ingest/bad_json', message: 'The body is not valid JSON.', payload: typeof err.body === 'string' ? maskedDeadLetter(err.body) : '(unreadable body)' };
    case 'ingest.not_utf8':
      return {
        status: 400,
        code: 'ingest/bad_encoding',
        message: 'The body is not valid UTF-8 (a GBK or GB18030 export?): send JSON in UTF-8.',
        // Read as GB18030 for the dead letter, so the operator sees what was meant.
        payload: err.raw ? maskedDeadLetter(new TextDecoder('gb18030').decode(err.raw)) : '(unreadable body)',
      };
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return {
        status: 415,
        code: 'ingest/bad_encoding',
        message: `Unsupported ${err.type === 'charset.unsupported' ? `charset "${String(err.charset ?? '').slice(0, 20)}"` : 'Content-Encoding'}: send JSON in UTF-8.`,
        payload: '(body not read)',
      };
    case 'entity.too.large':
      return {
        status: 413,
        code: 'ingest/too_large',
        message: `The body is larger than ${err.limit ?? 'the limit of'} bytes${err.length ? ` (${err.length})` : ''}: send fewer events per request.`,
        payload: `(body of ${err.length ?? 'unknown'} bytes not kept)`,
      };
    default:
      return null;
  }
}

/**
 * Error middleware for the app (after the routes): a JSON ingest body the parser refused (not JSON, not UTF-8, an
 * unsupported charset, over the size limit) gets 4xx with a reason, and is kept as a dead letter (masked) when it
 * carries a valid key of the route's source, so nothing an upstream sent is lost without a trace.
 */
export function hotlineParseErrors(deps: ConnectorDeps & { keys: KeyLookup }): ErrorRequestHandler {
  return (err: BodyError, req, res, next) => {
    const refusal = req.method === 'POST' && JSON_INGEST_PATHS.has(req.path) ? describe(err ?? {}) : null;
    if (!refusal) return next(err);
    const reply = () => res.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } });
    const source = sourceOfKey(deps.keys, headerKey(req));
    if (!source || (req.path === '/api/ingest/hotline' && source !== HOTLINE_SOURCE)) return void reply();
    const reason = refusal.code === 'ingest/bad_json' ? `${source}/json: the body is not valid JSON` : `${refusal.code}: ${refusal.message}`;
    rejectRaw(deps, source, reason, refusal.payload).then(reply, next);
  };
}

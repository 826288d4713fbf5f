import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { VERDICT_RESULTS, type VerdictResult } from '#common/incidents/verdict';
import type { IncidentChange } from '#common/incidents/types';
import { headerKey, maskContact, rejectRaw, sourceOfKey } from '../ingest/connectors/common.ts';
import { HOTLINE_SOURCE } from '../ingest/connectors/hotline.ts';
import type { KeyLookup } from '../ingest/keys.ts';
import type { SourceRegistry } from '../ingest/sources.ts';
import type { Store } from '../store/types.ts';
import { linkSuperseded, tokenHash } from './links.ts';
import { askPage, outcomePage, PAGE_CSS, type Outcome } from './page.ts';
import { recordVerdict } from './verdicts.ts';

export interface FeedbackDeps {
  store: Store;
  keys: KeyLookup;
  /** Connector health: a refused callback counts as an error of the hotline connector. */
  sources: SourceRegistry;
  publish: (changes: IncidentChange[]) => void;
  now: () => Date;
}

/**
 * 12345 回访结果 as the hotline system words it, or our own codes. A Map, not an object literal: `in` on an object
 * also finds `toString`, `constructor`, `__proto__` …, which once recorded verdicts without a result.
 */
const HOTLINE_RESULT = new Map<string, VerdictResult>([['满意', 'satisfied'], ['基本满意', 'basic'], ['不满意', 'unsatisfied'], ['satisfied', 'satisfied'], ['basic', 'basic'], ['unsatisfied', 'unsatisfied']]);
export const callbackSchema = z.object({
  orderNo: z.string().trim().min(1).max(64),
  result: z.string().trim().refine((r) => HOTLINE_RESULT.has(r), { message: 'must be 满意, 基本满意 or 不满意' }),
});
const TOKEN = /^[A-Za-z0-9_-]{16,64}$/;
const STATUS: Record<Outcome, number> = { thanks: 200, answered: 410, expired: 410, superseded: 410, unknown: 404, unavailable: 409 };

/**
 * 回访 channels that need no login: the hotline's callback result (POST /api/ingest/hotline/callback, hotline key)
 * and the reporter's one-time link (GET/POST /f/{token}). Mount before requireAuth.
 */
export function feedbackRoutes(deps: FeedbackDeps): Router {
  const r = Router();
  const send = (res: Response, o: Outcome, reworked = false) => res.status(STATUS[o]).type('html').set('Cache-Control', 'no-store').send(outcomePage(o, reworked));

  r.post('/api/ingest/hotline/callback', async (req: Request, res: Response) => {
    const source = sourceOfKey(deps.keys, headerKey(req));
    if (!source) return void res.status(401).json({ error: { code: 'ingest/unauthorized', message: 'A valid X-Api-Key is required.' } });
    if (source !== HOTLINE_SOURCE) return void res.status(403).json({ error: { code: 'ingest/forbidden', message: `This key belongs to source "${source}", not "${HOTLINE_SOURCE}".` } });
    // A refused callback is kept as a dead letter (GET /api/ingest/rejected) like any upstream message, so an
    // operator can see what the 12345 system sent; contact fields and numbers in it are masked.
    const refuse = async (status: number, code: string, message: string) => {
      await rejectRaw(deps, source, `${code}: ${message}`, req.body === undefined ? `(no JSON body; Content-Type ${req.header('content-type') ?? 'none'})` : maskContact(req.body), deps.now());
      res.status(status).json({ error: { code, message } });
    };
    const body = callbackSchema.safeParse(req.body);
    if (!body.success) return void (await refuse(400, 'hotline/bad_callback', body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
    const id = await deps.store.feedback.incidentOfReport(source, body.data.orderNo);
    if (!id) return void (await refuse(404, 'hotline/unknown_order', `No case for order ${body.data.orderNo}.`));
    const out = await recordVerdict(deps, id, HOTLINE_RESULT.get(body.data.result)!, 'hotline', 'hotline', deps.now());
    if (!out.ok) {
      const code = out.error.code === 'incident/invalid_transition' ? 'hotline/not_closed' : out.error.code;
      return void res.status(409).json({ error: { code, message: out.error.message } });
    }
    res.json({ ok: true, id, status: out.change.incident.status, seq: out.change.seq });
  });

  r.get('/f/feedback.css', (_req, res) => void res.type('css').set('Cache-Control', 'public, max-age=3600').send(PAGE_CSS));

  /** The link's state now, or why it cannot be answered. */
  async function linkOf(token: string) {
    if (!TOKEN.test(token)) return { outcome: 'unknown' as const };
    const link = await deps.store.feedback.getLink(tokenHash(token));
    if (!link) return { outcome: 'unknown' as const };
    if (link.answeredMs !== null) return { outcome: 'answered' as const };
    if (link.expiresMs <= deps.now().getTime()) return { outcome: 'expired' as const };
    return { link };
  }

  /** The link and its case when the link may be answered now, or why not. */
  async function answerable(token: string) {
    const l = await linkOf(token);
    if (!l.link) return { outcome: l.outcome };
    const [incident, latest] = await Promise.all([deps.store.incidents.get(l.link.incidentId), deps.store.feedback.latestLink(l.link.incidentId)]);
    if (!incident) return { outcome: 'unavailable' as const };
    if (linkSuperseded(l.link, latest, incident)) return { outcome: 'superseded' as const };
    if (incident.status !== 'closed') return { outcome: 'unavailable' as const };
    return { link: l.link, incident };
  }

  r.get('/f/:token', async (req, res) => {
    const token = String(req.params.token);
    const { link, incident, outcome } = await answerable(token);
    if (!link) return void send(res, outcome);
    res.status(200).type('html').set('Cache-Control', 'no-store').send(askPage(token, incident.title));
  });

  r.post('/f/:token', express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 }), async (req, res) => {
    const token = String(req.params.token);
    const result = (req.body as { result?: unknown } | undefined)?.result;
    const { link, incident, outcome } = await answerable(token);
    if (!link) return void send(res, outcome);
    // No choice, or not one of the three: ask again (400) rather than call a good link invalid.
    if (typeof result !== 'string' || !(VERDICT_RESULTS as readonly string[]).includes(result)) {
      return void res.status(400).type('html').set('Cache-Control', 'no-store').send(askPage(token, incident.title));
    }
    const now = deps.now();
    // Claim the one answer first: two taps at once cannot both count.
    if (!(await deps.store.feedback.answer(link.tokenHash, result as VerdictResult, now.getTime()))) return void send(res, 'answered');
    const out = await recordVerdict(deps, link.incidentId, result as VerdictResult, 'open311', 'resident', now);
    if (!out.ok) {
      await deps.store.feedback.unanswer(link.tokenHash);
      return void send(res, 'unavailable');
    }
    send(res, 'thanks', result === 'unsatisfied');
  });
  return r;
}

/**
 * The grid-worker app's outbox, as pure logic (the IndexedDB side is client/stores/outbox.ts). Everything a worker
 * does (case actions, street reports, photos) is queued with a client-made id and sent strictly in the order it was
 * made, one at a time; the id doubles as the Idempotency-Key, so a send repeated after a lost reply is applied once.
 * A reply is classified: done, retry later (network, 5xx, 429: exponential backoff), paused until sign-in (401), or
 * final (a conflict — the case moved on — or a refusal), which is shown to the worker and never retried.
 */
import type { IncidentAction } from '../incidents/history.ts';
import { ACTION_RULES } from '../incidents/lifecycle.ts';
import type { IncidentStatus } from '../incidents/types.ts';

export type OutboxKind = 'action' | 'report' | 'media' | 'visit';

export interface ActionPayload {
  incidentId: string;
  action: IncidentAction;
  /** The version the worker acted on (the one they saw, advanced past their own queued actions). */
  version: number;
  note?: string;
  dueAt?: string;
}

export interface ReportPayload {
  category: string;
  note: string;
  location: { lng: number; lat: number };
  accuracy?: number;
  reportedAt: string;
}

/** A caring visit (POST /api/visits, body as common/care/types newVisitSchema). */
export interface VisitPayload {
  residentId: string;
  visitedAt: string;
  visitorName: string;
  outcome: 'well' | 'needs_help';
  note: string;
}

export interface MediaPayload {
  /** The incident, when known when queued; else `reportId` names the queued report whose incident it is. */
  incidentId: string | null;
  reportId: string | null;
  /** The action or report this photo belongs to: counted with it while both wait ("待同步 N" counts what the worker did). */
  parentId?: string | null;
  /** Key of the blob in the outbox's blob store. */
  blobKey: string;
  name: string;
  type: string;
}

interface Base<K extends OutboxKind, P> {
  /** Client-made id: Idempotency-Key of the send, and the external id of a report. */
  id: string;
  kind: K;
  /** Creation order; sends follow it. */
  seq: number;
  createdAt: number;
  attempts: number;
  /** Not before (ms since epoch): the backoff. */
  nextAt: number;
  payload: P;
  /** Set once final: kept (state 'failed') so the worker sees why, until dismissed. */
  state: 'pending' | 'failed';
  failure?: { outcome: 'conflict' | 'rejected'; code: string; message: string };
}

export type OutboxItem = Base<'action', ActionPayload> | Base<'report', ReportPayload> | Base<'media', MediaPayload> | Base<'visit', VisitPayload>;

/** Residents with a visit still waiting in the outbox: the schedule shows them as visited before the send lands. */
export function queuedVisits(items: readonly OutboxItem[]): Set<string> {
  return new Set(items.flatMap((i) => (i.kind === 'visit' && i.state === 'pending' ? [i.payload.residentId] : [])));
}

export type Outcome = 'done' | 'retry' | 'auth' | 'conflict' | 'rejected';

/** Codes meaning "the case is no longer as you saw it": shown as a conflict, not as an error of the worker's. */
const CONFLICT_CODES = new Set([
  'incident/conflict',
  'incident/invalid_transition',
  'incident/extension_pending',
  'incident/no_extension',
  'incident/not_found',
  'incident/forbidden',
]);

/** What to do after a reply (`status` 0: no reply at all — offline, DNS, reset). */
export function classify(status: number, code: string | null): Outcome {
  if (status >= 200 && status < 300) return 'done';
  if (status === 0 || status === 408 || status === 425 || status === 429 || status >= 500) return 'retry';
  if (status === 401) return 'auth';
  // The first send with this key still runs on the server (a retry after a timeout): ask again shortly.
  if (code === 'idempotency/in_progress') return 'retry';
  if ((code !== null && CONFLICT_CODES.has(code)) || status === 409 || status === 403 || status === 404) return 'conflict';
  return 'rejected';
}

export const BACKOFF_BASE_MS = 1000;
export const BACKOFF_MAX_MS = 60_000;

/** Delay before attempt `attempts + 1`: exponential, capped, with jitter (`random` in [0, 1)) so phones do not march in step. */
export function backoffMs(attempts: number, random: number): number {
  const full = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(full * (0.5 + random / 2));
}

/** What "待同步 N" shows: each waiting action or report once, with its photos; a photo alone once its parent went. */
export function pendingCount(items: readonly OutboxItem[]): number {
  const waiting = pending(items);
  const ids = new Set(waiting.map((i) => i.id));
  return waiting.filter((i) => i.kind !== 'media' || !i.payload.parentId || !ids.has(i.payload.parentId)).length;
}

export function pending(items: readonly OutboxItem[]): OutboxItem[] {
  return items.filter((i) => i.state === 'pending').sort((a, b) => a.seq - b.seq);
}

/**
 * The next item to send, or a wait: strictly in creation order, so the head blocks the rest while it backs off
 * (a feedback must not overtake the accept it follows). `wait` is ms until the head may go.
 */
export function nextToSend(items: readonly OutboxItem[], now: number): { item: OutboxItem } | { wait: number } | null {
  const head = pending(items)[0];
  if (!head) return null;
  return head.nextAt <= now ? { item: head } : { wait: head.nextAt - now };
}

/** The item after a reply: removed (null) when done, backed off on retry, failed when final; unchanged on 'auth'. */
export function afterReply(item: OutboxItem, outcome: Outcome, error: { code: string; message: string } | null, now: number, random: number): OutboxItem | null {
  switch (outcome) {
    case 'done':
      return null;
    case 'retry': {
      const attempts = item.attempts + 1;
      return { ...item, attempts, nextAt: now + backoffMs(attempts, random) };
    }
    case 'auth':
      return item;
    default:
      return { ...item, state: 'failed', failure: { outcome, code: error?.code ?? 'unknown', message: error?.message ?? '' } };
  }
}

/**
 * Where a queued photo goes: its own incident id, or the incident its queued report became (`reports`: report
 * client id → incident id, learnt as reports are sent). `blocked` while that report is still queued; `orphan`
 * when it failed or was dropped, so the photo cannot go anywhere.
 */
export function mediaTarget(
  payload: MediaPayload,
  reports: ReadonlyMap<string, string>,
  items: readonly OutboxItem[],
): { incidentId: string } | 'blocked' | 'orphan' {
  if (payload.incidentId) return { incidentId: payload.incidentId };
  const done = payload.reportId ? reports.get(payload.reportId) : undefined;
  if (done) return { incidentId: done };
  const queued = items.find((i) => i.id === payload.reportId);
  return queued && queued.state === 'pending' ? 'blocked' : 'orphan';
}

/**
 * The version to queue a new action on an incident with: past every action of the worker's still queued for it
 * (each raises the version by one when applied), and never behind what the server last said.
 */
export function versionFor(items: readonly OutboxItem[], incidentId: string, serverVersion: number): number {
  let v = serverVersion;
  for (const i of pending(items)) if (i.kind === 'action' && i.payload.incidentId === incidentId) v = Math.max(v, i.payload.version + 1);
  return v;
}

/** The status the worker will see once their queued actions on it are applied (optimistic display). */
export function expectedStatus(items: readonly OutboxItem[], incidentId: string, status: IncidentStatus): IncidentStatus {
  let s = status;
  for (const i of pending(items)) {
    if (i.kind !== 'action' || i.payload.incidentId !== incidentId) continue;
    const rule = ACTION_RULES[i.payload.action];
    if (rule.from.includes(s)) s = rule.to ?? s;
  }
  return s;
}

/** A new item (seq after every existing one). */
export function makeItem<K extends OutboxKind>(
  items: readonly OutboxItem[],
  kind: K,
  id: string,
  payload: Extract<OutboxItem, { kind: K }>['payload'],
  now: number,
): Extract<OutboxItem, { kind: K }> {
  const seq = items.reduce((m, i) => Math.max(m, i.seq), 0) + 1;
  return { id, kind, seq, createdAt: now, attempts: 0, nextAt: now, payload, state: 'pending' } as Extract<OutboxItem, { kind: K }>;
}

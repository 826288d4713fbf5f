/**
 * One-time feedback links for Open311 reporters (/f/{token}): made when a case closes, valid 7 days, one answer.
 * The token is an HMAC of (incident, time the link was made) under a server secret, so the server can show it
 * again from the stored row (the Open311 request's status notes, openLinkPath) while only its SHA-256 is stored;
 * a reopened and re-closed case gets a new one.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Incident, IncidentChange } from '#common/incidents/types';
import type { FeedbackLink } from '../store/feedback-types.ts';
import type { Store } from '../store/types.ts';

export const FEEDBACK_TTL_MS = 7 * 86_400_000;
const SECRET_KEY = 'feedback.secret';

export function feedbackToken(secret: string, incidentId: string, createdMs: number): string {
  return createHmac('sha256', secret).update(`${incidentId}:${createdMs}`).digest('base64url').slice(0, 32);
}
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function feedbackSecret(store: Store): Promise<string> {
  return store.settings.setIfAbsent(SECRET_KEY, randomBytes(32).toString('base64url'));
}

/** A change that closes an Open311 case (a check_pass, not a verdict recorded on a closed one). */
export function closesOpen311Case(c: IncidentChange): boolean {
  const i = c.incident;
  return i.source === 'open311' && i.status === 'closed' && !(i.verdict && i.verdict.at === i.updatedAt);
}

export async function createLinkFor(store: Store, secret: string, c: IncidentChange, now: Date): Promise<string> {
  const token = feedbackToken(secret, c.incident.id, now.getTime());
  await store.feedback.createLink({ tokenHash: tokenHash(token), incidentId: c.incident.id, createdMs: now.getTime(), expiresMs: now.getTime() + FEEDBACK_TTL_MS });
  return token;
}

/**
 * Whether a link no longer speaks for the case's current closure: a newer link was made (the case was reopened and
 * closed again), or a verdict came by another channel (a dispatcher's phone callback) after the link was made.
 * One closure gets one verdict; an old link must not overwrite the newer one.
 */
export function linkSuperseded(link: FeedbackLink, latest: FeedbackLink | null, incident: Pick<Incident, 'verdict'>): boolean {
  if (latest && latest.tokenHash !== link.tokenHash) return true;
  return incident.verdict != null && Date.parse(incident.verdict.at) >= link.createdMs;
}

/**
 * The path (on this server, `/f/{token}`) of the case's newest link while it can still be answered: not answered,
 * not expired, and the case still closed. Null otherwise.
 */
export async function openLinkPath(store: Store, secret: string, incident: Pick<Incident, 'id' | 'status' | 'verdict'>, nowMs: number): Promise<string | null> {
  if (incident.status !== 'closed') return null;
  const link = await store.feedback.latestLink(incident.id);
  if (!link || link.answeredMs !== null || link.expiresMs <= nowMs || linkSuperseded(link, link, incident)) return null;
  const token = feedbackToken(secret, incident.id, link.createdMs);
  return tokenHash(token) === link.tokenHash ? `/f/${token}` : null;
}

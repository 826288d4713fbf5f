/**
 * One-time feedback links for Open311 reporters (/f/{token}): made when a case closes, valid 7 days, one answer.
 * The token is an HMAC of (incident, version at closure) under a server secret, so the server can show it again
 * (Open311 status notes) while only its SHA-256 is stored; a reopened and re-closed case gets a new one.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncidentChange } from '#common/incidents/types';
import type { Store } from '../store/types.ts';

export const FEEDBACK_TTL_MS = 7 * 86_400_000;
const SECRET_KEY = 'feedback.secret';

export function feedbackToken(secret: string, incidentId: string, version: number): string {
  return createHmac('sha256', secret).update(`${incidentId}:${version}`).digest('base64url').slice(0, 32);
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
  const token = feedbackToken(secret, c.incident.id, c.incident.version);
  await store.feedback.createLink({ tokenHash: tokenHash(token), incidentId: c.incident.id, createdMs: now.getTime(), expiresMs: now.getTime() + FEEDBACK_TTL_MS });
  return token;
}

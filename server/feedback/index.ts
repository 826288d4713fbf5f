import type { Router } from 'express';
import type { IncidentChange } from '#common/incidents/types';
import type { Logger } from '../log.ts';
import type { Incident } from '#common/incidents/types';
import { closesOpen311Case, createLinkFor, feedbackSecret, openLinkPath } from './links.ts';
import { feedbackRoutes, type FeedbackDeps } from './routes.ts';

export interface Feedback {
  routes: Router;
  tap: (publish: (c: IncidentChange[]) => void) => (c: IncidentChange[]) => void;
  /** `/f/{token}` of a closed case's link while it can be answered, else null (the Open311 status notes show it). */
  linkPath: (incident: Pick<Incident, 'id' | 'status' | 'verdict'>) => Promise<string | null>;
}

/**
 * 回访: the no-login routes, a tap on published changes that makes an Open311 case's link when it closes, and the
 * link's path for the Open311 connector to hand to the reporter's app.
 */
export async function createFeedback(deps: FeedbackDeps & { log: Logger }): Promise<Feedback> {
  const secret = await feedbackSecret(deps.store);
  const tap = (publish: (c: IncidentChange[]) => void) => (changes: IncidentChange[]) => {
    publish(changes);
    for (const c of changes.filter(closesOpen311Case)) {
      createLinkFor(deps.store, secret, c, deps.now()).catch((err: unknown) => deps.log.error({ err, id: c.incident.id }, 'feedback link not made'));
    }
  };
  return { routes: feedbackRoutes(deps), tap, linkPath: (incident) => openLinkPath(deps.store, secret, incident, deps.now().getTime()) };
}

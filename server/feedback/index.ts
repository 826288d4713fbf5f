import type { Router } from 'express';
import type { IncidentChange } from '#common/incidents/types';
import type { Logger } from '../log.ts';
import { closesOpen311Case, createLinkFor, feedbackSecret } from './links.ts';
import { feedbackRoutes, type FeedbackDeps } from './routes.ts';

/** 回访: the no-login routes, and a tap on published changes that makes an Open311 case's link when it closes. */
export async function createFeedback(deps: FeedbackDeps & { log: Logger }): Promise<{ routes: Router; tap: (publish: (c: IncidentChange[]) => void) => (c: IncidentChange[]) => void }> {
  const secret = await feedbackSecret(deps.store);
  const tap = (publish: (c: IncidentChange[]) => void) => (changes: IncidentChange[]) => {
    publish(changes);
    for (const c of changes.filter(closesOpen311Case)) {
      createLinkFor(deps.store, secret, c, deps.now()).catch((err: unknown) => deps.log.error({ err, id: c.incident.id }, 'feedback link not made'));
    }
  };
  return { routes: feedbackRoutes(deps), tap };
}

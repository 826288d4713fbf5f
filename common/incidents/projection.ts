import type { Role } from '../auth/types.ts';
import { maskFreeText, maskName, maskPhone } from '../privacy.ts';
import type { Incident } from './types.ts';

/**
 * Who sees how much of an incident:
 * - `full`: dispatchers and admins, who call reporters back;
 * - `masked`: leaders and grid workers: reporter name and phone masked, numbers in free text masked;
 * - `wall`: unattended displays: no reporter and no citizen-written text at all.
 */
export type Audience = 'full' | 'masked' | 'wall';
export const AUDIENCES: readonly Audience[] = ['full', 'masked', 'wall'];

export function audienceOf(role: Role): Audience {
  if (role === 'wall') return 'wall';
  if (role === 'admin' || role === 'dispatcher') return 'full';
  return 'masked';
}

export function projectIncident(incident: Incident, audience: Audience): Incident {
  if (audience === 'full') return incident;
  if (audience === 'wall') {
    const { reporter: _r, ...rest } = incident;
    return { ...rest, description: '' };
  }
  return {
    ...incident,
    description: maskFreeText(incident.description),
    reporter: incident.reporter
      ? {
          name: incident.reporter.name === null ? null : maskName(incident.reporter.name),
          phone: incident.reporter.phone === null ? null : maskPhone(incident.reporter.phone),
        }
      : null,
  };
}

/**
 * Person-level community-life records per audience (the incidents' audiences, common/incidents/projection.ts):
 * `full` (admins, dispatchers) in full — the server audits such reads; `masked` (leaders, workers) with names,
 * phones and free text masked and the birth date cut to the year; `wall`: never sent (the routes refuse).
 */
import type { Audience } from '../incidents/projection.ts';
import { maskName, maskPersonalText, maskPhone } from '../privacy.ts';
import type { CareResident, Registration, Visit, VolunteerHours } from './types.ts';

export function projectResident(r: CareResident, audience: Exclude<Audience, 'wall'>): CareResident {
  if (audience === 'full') return r;
  return {
    ...r,
    name: maskName(r.name),
    phone: r.phone === null ? null : maskPhone(r.phone),
    birthDate: `${r.birthDate.slice(0, 4)}-01-01`,
    address: maskPersonalText(r.address, [r.name]),
    location: null,
  };
}

export function projectVisit(v: Visit, audience: Exclude<Audience, 'wall'>, residentName?: string): Visit {
  if (audience === 'full') return v;
  return { ...v, visitorName: maskName(v.visitorName), note: maskPersonalText(v.note, [v.visitorName, residentName]) ?? '' };
}

export function projectRegistration(r: Registration, audience: Exclude<Audience, 'wall'>): Registration {
  if (audience === 'full') return r;
  return { ...r, name: maskName(r.name), phone: r.phone === null ? null : maskPhone(r.phone) };
}

export function projectHours(h: VolunteerHours, audience: Exclude<Audience, 'wall'>): VolunteerHours {
  return audience === 'full' ? h : { ...h, member: maskName(h.member) };
}

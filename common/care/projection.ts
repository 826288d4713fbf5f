/**
 * Person-level community-life records per audience (the incidents' audiences, common/incidents/projection.ts):
 * `full` (admins, dispatchers) in full — the server audits such reads; `masked` (leaders, workers) with names,
 * phones and free text masked and the birth date cut to the year; `wall`: never sent (the routes refuse).
 */
import type { Audience } from '../incidents/projection.ts';
import { maskName, maskPersonalText, maskPhone } from '../privacy.ts';
import type { Activity, CareResident, Registration, Visit, VolunteerHours } from './types.ts';

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

/**
 * An activity is staff-written, yet its title, venue and description may carry a contact's name or phone
 * ("联系人王小明 13812345678"): masked for leaders and workers; a wall gets them masked and no description.
 */
export function projectActivity<A extends Activity>(a: A, audience: Audience): A {
  if (audience === 'full') return a;
  const text = (s: string) => maskPersonalText(s);
  return {
    ...a,
    title: text(a.title),
    venue: { ...a.venue, name: text(a.venue.name) },
    description: audience === 'wall' ? '' : text(a.description),
    ...(a.overrides
      ? { overrides: a.overrides.map((o) => ({ ...o, title: o.title && text(o.title), venueName: o.venueName && text(o.venueName) })) }
      : {}),
  };
}

import type { Role } from '../auth/types.ts';
import { maskName, maskPersonalText, maskPhone } from '../privacy.ts';
import { categoryByCode } from './categories.ts';
import type { HistoryEntry } from './history.ts';
import type { Incident, IncidentReport, Reporter } from './types.ts';

/**
 * Who sees how much of an incident:
 * - `full`: dispatchers and admins, who call reporters back;
 * - `masked`: leaders and grid workers: reporter names and phones masked, and phones, ID numbers and names
 *   masked in every free-text field (title, address, description, notes, each report's text);
 * - `wall`: unattended displays: no reporter and no citizen-written text at all (no description, address,
 *   notes or reports); the title is the server's own "category · place".
 */
export type Audience = 'full' | 'masked' | 'wall';
export const AUDIENCES: readonly Audience[] = ['full', 'masked', 'wall'];

export function audienceOf(role: Role): Audience {
  if (role === 'wall') return 'wall';
  if (role === 'admin' || role === 'dispatcher') return 'full';
  return 'masked';
}

/** Names known to be personal in a case: its reporter's and each report's (masked wherever they occur). */
export function knownNames(incident: Incident, reports: readonly IncidentReport[] = []): string[] {
  const names = [incident.reporter?.name, ...reports.map((r) => r.reporter?.name)];
  return names.filter((n): n is string => typeof n === 'string' && n.trim().length > 1);
}

const maskReporter = (r: Reporter | null | undefined): Reporter | null =>
  r ? { name: r.name === null ? null : maskName(r.name), phone: r.phone === null ? null : maskPhone(r.phone) } : null;

/** A wall title: the server's "category · place" as stored; anything else (rows stored before titles were ours)
 *  falls back to the category name alone. */
function wallTitle(incident: Incident): string {
  const category = categoryByCode(incident.category)?.nameZh ?? incident.category;
  return incident.title.startsWith(`${category} · `) && !/\d{5}/.test(incident.title) ? incident.title : category;
}

export function projectIncident(incident: Incident, audience: Audience, names: readonly string[] = knownNames(incident)): Incident {
  if (audience === 'full') return incident;
  if (audience === 'wall') {
    const { reporter: _r, ...rest } = incident;
    return { ...rest, title: wallTitle(incident), description: '', address: null, extension: null };
  }
  const mask = (t: string) => maskPersonalText(t, names);
  return {
    ...incident,
    title: mask(incident.title),
    description: mask(incident.description),
    address: incident.address === null ? null : mask(incident.address),
    reporter: maskReporter(incident.reporter),
    extension: incident.extension ? { ...incident.extension, reason: mask(incident.extension.reason) } : null,
  };
}

/** History as an audience may read it: notes masked for `masked`, none at all for walls. */
export function projectHistory(entries: readonly HistoryEntry[], audience: Audience, names: readonly string[] = []): HistoryEntry[] {
  if (audience === 'full') return [...entries];
  if (audience === 'wall') return [];
  return entries.map((e) => projectHistoryEntry(e, audience, names));
}

export function projectHistoryEntry(entry: HistoryEntry, audience: Audience, names: readonly string[] = []): HistoryEntry {
  if (audience === 'full') return entry;
  return { ...entry, note: audience === 'wall' || entry.note === null ? null : maskPersonalText(entry.note, names) };
}

/** Linked reports with their own reporter and words: masked for `masked`, none for walls. */
export function projectReports(reports: readonly IncidentReport[], audience: Audience, names: readonly string[] = []): IncidentReport[] {
  if (audience === 'full') return [...reports];
  if (audience === 'wall') return [];
  const mask = (t: string) => maskPersonalText(t, names);
  return reports.map((r) => ({
    ...r,
    title: mask(r.title),
    ...(r.description !== undefined ? { description: mask(r.description) } : {}),
    ...(r.address !== undefined ? { address: r.address === null ? null : mask(r.address) } : {}),
    ...(r.reporter !== undefined ? { reporter: maskReporter(r.reporter) } : {}),
  }));
}

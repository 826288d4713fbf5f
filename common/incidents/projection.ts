import type { Role } from '../auth/types.ts';
import { maskName, maskPersonalText, maskPhone, namesInText } from '../privacy.ts';
import { categoryByCode } from './categories.ts';
import type { HistoryEntry } from './history.ts';
import type { Incident, IncidentReport, Reporter } from './types.ts';

/**
 * Who sees how much of an incident:
 * - `full`: dispatchers and admins, who call reporters back;
 * - `masked`: leaders and grid workers: reporter name and phone masked, phones, ID numbers and names masked in
 *   every free-text field (title, address, description, notes, reports);
 * - `wall`: unattended displays: no reporter and no citizen-written text at all (no description, address,
 *   notes, reports or upstream id; the title is the server's own "category · place").
 */
export type Audience = 'full' | 'masked' | 'wall';
export const AUDIENCES: readonly Audience[] = ['full', 'masked', 'wall'];

export function audienceOf(role: Role): Audience {
  if (role === 'wall') return 'wall';
  if (role === 'admin' || role === 'dispatcher') return 'full';
  return 'masked';
}

type Names = readonly (string | null | undefined)[];

const maskReporter = (r: Reporter | null | undefined): Reporter | null =>
  r ? { name: r.name === null ? null : maskName(r.name), phone: r.phone === null ? null : maskPhone(r.phone) } : null;

/**
 * The server makes titles as "category · place" (the ingest pipeline); one stored before that may hold a
 * caller's words, so a wall gets such a title only in that form, else the bare category name.
 */
function isServerTitle(incident: Incident): boolean {
  const name = categoryByCode(incident.category)?.nameZh ?? incident.category;
  return incident.title === name || incident.title.startsWith(`${name} · `);
}
const wallTitle = (incident: Incident): string =>
  isServerTitle(incident) ? incident.title : (categoryByCode(incident.category)?.nameZh ?? incident.category);

/** `names`: further known names to mask in the text (the reporters of merged reports). */
export function projectIncident(incident: Incident, audience: Audience, names: Names = []): Incident {
  if (audience === 'full') return incident;
  if (audience === 'wall') {
    const { reporter: _r, ...rest } = incident;
    // An extension request carries the worker's own words: a wall gets none of it. The upstream's id is the
    // upstream's choice (a generic one may use the caller's phone): a wall has no use for it.
    return { ...rest, externalId: null, title: wallTitle(incident), description: '', address: null, extension: null };
  }
  const known = [incident.reporter?.name, ...names, ...namesInText(incident.description), ...namesInText(incident.address)];
  return {
    ...incident,
    externalId: incident.externalId ? maskPersonalText(incident.externalId, known) : incident.externalId,
    title: isServerTitle(incident) ? incident.title : maskPersonalText(incident.title, known),
    description: maskPersonalText(incident.description, known),
    address: maskPersonalText(incident.address, known),
    reporter: maskReporter(incident.reporter),
    extension: incident.extension && { ...incident.extension, reason: maskPersonalText(incident.extension.reason, known) },
  };
}

/** One report of an incident; walls get none (the caller drops them), a masked audience masked text and reporter. */
export function projectReport(report: IncidentReport, audience: Audience, names: Names = []): IncidentReport {
  if (audience === 'full') return report;
  const known = [report.reporter?.name, ...names, ...namesInText(report.description), ...namesInText(report.address), ...namesInText(report.title)];
  return {
    ...report,
    externalId: audience === 'wall' ? null : report.externalId ? maskPersonalText(report.externalId, known) : report.externalId,
    title: maskPersonalText(report.title, known),
    description: audience === 'wall' ? '' : maskPersonalText(report.description ?? '', known),
    address: audience === 'wall' ? null : maskPersonalText(report.address ?? null, known),
    reporter: audience === 'wall' ? null : maskReporter(report.reporter),
  };
}

/** A history entry: notes are free text and may quote a caller. */
export function projectHistoryEntry(entry: HistoryEntry, audience: Audience, names: Names = []): HistoryEntry {
  if (audience === 'full' || entry.note === null) return entry;
  return { ...entry, note: audience === 'wall' ? null : maskPersonalText(entry.note, names) };
}

/**
 * Every name known for an incident, to be masked in all of its text: its reporters' (its own and those of its
 * reports) and the names its texts give after a marker (我叫 …, 联系人 …).
 */
export function knownNames(incident: Incident, reports: readonly IncidentReport[]): string[] {
  const texts = [incident.description, incident.address, ...reports.flatMap((r) => [r.title, r.description, r.address])];
  return [
    incident.reporter?.name,
    ...reports.map((r) => r.reporter?.name),
    ...texts.flatMap((t) => namesInText(t)),
  ].filter((n): n is string => !!n);
}

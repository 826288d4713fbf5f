/**
 * iCalendar (RFC 5545) for activities, through ical.js: export a region's activities as one VCALENDAR,
 * parse an uploaded one (each series an activity, errors per event; a changed single occurrence, RECURRENCE-ID,
 * folded into its series as an override or, cancelled, an EXDATE), and expand an activity's occurrences
 * (RRULE minus EXDATE, overrides at their new time) for the calendar, the wall's "this week" and the indicators.
 * Times go out as Asia/Shanghai local times with their VTIMEZONE (a weekly Tuesday 07:00 stays on Tuesday in
 * every calendar); a TZID the file does not define (calendars often name Asia/Shanghai without a
 * VTIMEZONE) is read as China Standard Time.
 */
import ICAL from 'ical.js';
import { CST_OFFSET_MS } from '#common/time';
import type { Activity, ActivityOverride } from '#common/care/types';

const PRODID = '-//GridOps//Community life//ZH';

const TZID = 'Asia/Shanghai';
/** China has kept +08:00 all year since 1991: one STANDARD block describes it. */
const VTIMEZONE = ['BEGIN:VTIMEZONE', `TZID:${TZID}`, 'BEGIN:STANDARD', 'DTSTART:19700101T000000', 'TZOFFSETFROM:+0800', 'TZOFFSETTO:+0800', 'TZNAME:CST', 'END:STANDARD', 'END:VTIMEZONE'].join('\r\n');

/** The wall-clock time in CST of an instant, as a floating ical.js time (recurrences expand on local days). */
function cstTime(iso: string): ICAL.Time {
  const d = new Date(Date.parse(iso) + CST_OFFSET_MS);
  return new ICAL.Time({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: false }, ICAL.Timezone.localTimezone);
}
const cstInstant = (t: ICAL.Time) => new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - CST_OFFSET_MS);

function addLocal(ev: ICAL.Component, name: string, iso: string): void {
  const p = new ICAL.Property(name);
  p.setValue(cstTime(iso));
  p.setParameter('tzid', TZID);
  ev.addProperty(p);
}

/** One VCALENDAR holding every activity (X-GRIDOPS-* keep what iCalendar has no field for). */
export function activitiesToIcs(activities: readonly Activity[], now = new Date()): string {
  const cal = new ICAL.Component(['vcalendar', [], []]);
  cal.addPropertyWithValue('prodid', PRODID);
  cal.addPropertyWithValue('version', '2.0');
  cal.addPropertyWithValue('calscale', 'GREGORIAN');
  cal.addSubcomponent(new ICAL.Component(ICAL.parse(VTIMEZONE)));
  for (const a of activities) {
    const ev = new ICAL.Component('vevent');
    ev.addPropertyWithValue('uid', a.uid);
    ev.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
    addLocal(ev, 'dtstart', a.start);
    addLocal(ev, 'dtend', new Date(Date.parse(a.start) + a.durationMinutes * 60_000).toISOString());
    ev.addPropertyWithValue('summary', a.title);
    if (a.description) ev.addPropertyWithValue('description', a.description);
    ev.addPropertyWithValue('location', a.venue.name);
    if (a.rrule) ev.addPropertyWithValue('rrule', ICAL.Recur.fromString(a.rrule));
    for (const x of a.exdates) addLocal(ev, 'exdate', x);
    ev.addPropertyWithValue('categories', a.kind);
    ev.addPropertyWithValue('x-gridops-kind', a.kind);
    if (a.venue.poiId) ev.addPropertyWithValue('x-gridops-poi', a.venue.poiId);
    if (a.capacity !== null) ev.addPropertyWithValue('x-gridops-capacity', String(a.capacity));
    if (a.targetGroups.length) ev.addPropertyWithValue('x-gridops-groups', a.targetGroups.join(','));
    if (a.organiserPartyId) ev.addPropertyWithValue('x-gridops-organiser', a.organiserPartyId);
    cal.addSubcomponent(ev);
    // A moved occurrence is its own VEVENT with the series' UID and the RECURRENCE-ID it replaces.
    for (const o of a.overrides ?? []) {
      const ex = new ICAL.Component('vevent');
      ex.addPropertyWithValue('uid', a.uid);
      ex.addPropertyWithValue('dtstamp', ICAL.Time.fromJSDate(now, true));
      addLocal(ex, 'recurrence-id', o.recurrenceId);
      addLocal(ex, 'dtstart', o.start);
      addLocal(ex, 'dtend', new Date(Date.parse(o.start) + o.durationMinutes * 60_000).toISOString());
      ex.addPropertyWithValue('summary', o.title ?? a.title);
      ex.addPropertyWithValue('location', o.venueName ?? a.venue.name);
      cal.addSubcomponent(ex);
    }
  }
  return cal.toString().replace(/\r?\n/g, '\r\n') + '\r\n';
}

/** An instant of an ical.js time: UTC and zones defined in the file as such, anything else (floating, unknown TZID) as CST. */
function instantOf(t: ICAL.Time): Date {
  const zone = t.zone;
  const known = zone && (zone === ICAL.Timezone.utcTimezone || (zone.tzid !== 'floating' && zone.component));
  if (known) return t.toJSDate();
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.isDate ? 0 : t.hour, t.isDate ? 0 : t.minute, t.isDate ? 0 : t.second);
  return new Date(ms - CST_OFFSET_MS);
}

export interface ParsedEvent {
  uid: string;
  title: string;
  start: string;
  durationMinutes: number;
  rrule: string | null;
  exdates: string[];
  description: string;
  venueName: string;
  poiId: string | null;
  kind: string | null;
  capacity: number | null;
  targetGroups: string[];
  organiserPartyId: string | null;
  overrides: ActivityOverride[];
}

export interface IcsParseResult {
  events: ParsedEvent[];
  /** `event`: 1-based position of the VEVENT in the file (0: the file itself). */
  errors: { event: number; uid: string | null; reason: string }[];
}

export function parseIcs(text: string): IcsParseResult {
  const errors: IcsParseResult['errors'] = [];
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (err) {
    return { events: [], errors: [{ event: 0, uid: null, reason: `not an iCalendar file: ${(err as Error).message.slice(0, 200)}` }] };
  }
  const cal = root.name === 'vcalendar' ? root : root.getFirstSubcomponent('vcalendar');
  if (!cal) return { events: [], errors: [{ event: 0, uid: null, reason: 'no VCALENDAR' }] };
  for (const tz of cal.getAllSubcomponents('vtimezone')) {
    const zone = new ICAL.Timezone(tz);
    if (!ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone, zone.tzid);
  }
  const events: ParsedEvent[] = [];
  const all = cal.getAllSubcomponents('vevent');
  const changed = all.map((comp, i) => ({ comp, i })).filter(({ comp }) => comp.hasProperty('recurrence-id'));
  all.forEach((comp, i) => {
    const uid = (comp.getFirstPropertyValue('uid') as string | null) ?? null;
    if (comp.hasProperty('recurrence-id')) return; // read with its series below
    try {
      const ev = new ICAL.Event(comp);
      if (!uid) throw new Error('UID missing');
      if (!ev.startDate) throw new Error('DTSTART missing');
      const start = instantOf(ev.startDate);
      const end = ev.endDate ? instantOf(ev.endDate) : new Date(start.getTime() + (ev.startDate.isDate ? 86_400_000 : 3_600_000));
      const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
      if (!(minutes >= 5 && minutes <= 24 * 60)) throw new Error(`duration of ${minutes} minutes (5 minutes to 24 hours)`);
      const rules = comp.getAllProperties('rrule');
      if (rules.length > 1) throw new Error('more than one RRULE');
      const rrule = rules[0] ? (rules[0].getFirstValue() as ICAL.Recur).toString() : null;
      const exdates: string[] = [];
      for (const p of comp.getAllProperties('exdate')) for (const v of p.getValues() as ICAL.Time[]) exdates.push(instantOf(v).toISOString());
      const text = (name: string) => {
        const v = comp.getFirstPropertyValue(name);
        return v === null || v === undefined ? null : String(v);
      };
      const cap = text('x-gridops-capacity');
      events.push({
        uid,
        title: (ev.summary ?? '').trim() || '(untitled)',
        start: start.toISOString(),
        durationMinutes: minutes,
        rrule,
        exdates: exdates.sort(),
        description: ev.description ?? '',
        venueName: (ev.location ?? '').trim(),
        poiId: text('x-gridops-poi'),
        kind: text('x-gridops-kind'),
        capacity: cap && /^\d+$/.test(cap) ? Number(cap) : null,
        targetGroups: text('x-gridops-groups')?.split(',').filter(Boolean) ?? [],
        organiserPartyId: text('x-gridops-organiser'),
        overrides: [],
      });
    } catch (err) {
      errors.push({ event: i + 1, uid, reason: (err as Error).message.slice(0, 200) });
    }
  });
  for (const { comp, i } of changed) {
    const uid = (comp.getFirstPropertyValue('uid') as string | null) ?? null;
    const series = events.find((e) => e.uid === uid);
    try {
      if (!series) throw new Error('RECURRENCE-ID of a series that is not in this file (or was refused)');
      applyException(series, comp);
    } catch (err) {
      errors.push({ event: i + 1, uid, reason: (err as Error).message.slice(0, 200) });
    }
  }
  for (const e of events) e.overrides.sort((x, y) => x.recurrenceId.localeCompare(y.recurrenceId));
  return { events, errors };
}

/**
 * One changed occurrence (a VEVENT with RECURRENCE-ID, as calendars export a moved or cancelled instance of
 * a series) folded into its series: STATUS:CANCELLED becomes an EXDATE, anything else an override.
 */
function applyException(series: ParsedEvent, comp: ICAL.Component): void {
  const rid = comp.getFirstProperty('recurrence-id')!;
  if (String(rid.getParameter('range') ?? '').toUpperCase() === 'THISANDFUTURE') throw new Error('RECURRENCE-ID;RANGE=THISANDFUTURE is not supported; split the series instead');
  const recurrenceId = instantOf(rid.getFirstValue() as ICAL.Time).toISOString();
  const far = [new Date(Date.parse(recurrenceId) - 1), new Date(Date.parse(recurrenceId) + 1)] as const;
  if (!occurrences({ ...series, exdates: [], overrides: [] }, ...far, 1, false).length) throw new Error(`RECURRENCE-ID ${recurrenceId} is not an occurrence of the series`);
  series.overrides = series.overrides.filter((o) => o.recurrenceId !== recurrenceId);
  series.exdates = series.exdates.filter((x) => x !== recurrenceId);
  if (String(comp.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
    series.exdates = [...series.exdates, recurrenceId].sort();
    return;
  }
  const ev = new ICAL.Event(comp);
  const start = ev.startDate ? instantOf(ev.startDate) : new Date(recurrenceId);
  const end = ev.endDate ? instantOf(ev.endDate) : new Date(start.getTime() + series.durationMinutes * 60_000);
  const minutes = Math.round((end.getTime() - start.getTime()) / 60_000);
  if (!(minutes >= 5 && minutes <= 24 * 60)) throw new Error(`duration of ${minutes} minutes (5 minutes to 24 hours)`);
  const title = (ev.summary ?? '').trim();
  const venue = (ev.location ?? '').trim();
  series.overrides.push({
    recurrenceId,
    start: start.toISOString(),
    durationMinutes: minutes,
    title: title && title !== series.title ? title.slice(0, 120) : null,
    venueName: venue && venue !== series.venueName ? venue.slice(0, 120) : null,
  });
}

/**
 * Occurrence starts (ISO, UTC) of an activity in [from, to), RRULE expanded, EXDATEs removed and moved
 * occurrences (overrides) at their new start; at most `cap`. `moved: false` lists the series' own dates.
 */
export function occurrences(a: Pick<Activity, 'start' | 'rrule' | 'exdates' | 'overrides'>, from: Date, to: Date, cap = 500, moved = true): string[] {
  const skip = new Set(a.exdates.map((x) => new Date(x).toISOString()));
  const overrides = moved ? (a.overrides ?? []) : [];
  const replaced = new Set(overrides.map((o) => o.recurrenceId));
  const own = (at: Date) => at >= from && at < to && !skip.has(at.toISOString()) && !replaced.has(at.toISOString());
  const out: string[] = [];
  const start = new Date(a.start);
  if (!a.rrule) {
    if (own(start)) out.push(start.toISOString());
  } else {
    const rule = ICAL.Recur.fromString(a.rrule);
    // The series expands on floating CST wall-clock times: a UTC UNTIL (as RFC 5545 asks with a TZID start) too.
    if (rule.until && !rule.until.isDate && rule.until.zone === ICAL.Timezone.utcTimezone) rule.until = cstTime(rule.until.toJSDate().toISOString());
    const it = rule.iterator(cstTime(a.start));
    for (let next = it.next(), guard = 0; next && guard < 100_000 && out.length < cap; next = it.next(), guard++) {
      const at = cstInstant(next);
      if (at >= to) break;
      if (own(at)) out.push(at.toISOString());
    }
  }
  // A moved occurrence counts where it now is (the series may have ended before, or start after, the window).
  for (const o of overrides) {
    const at = new Date(o.start);
    if (at >= from && at < to && !skip.has(o.recurrenceId)) out.push(at.toISOString());
  }
  return [...new Set(out)].sort().slice(0, cap);
}

import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { projectActivity, projectRegistration } from '#common/care/projection';
import { ACTIVITY_KINDS, TARGET_GROUPS, attendanceSchema, newActivitySchema, newRegistrationSchema, type Activity, type ActivityKind, type Registration, type TargetGroup } from '#common/care/types';
import { isWithinScope, regionAncestry } from '#common/geo/types';
import { audienceOf } from '#common/incidents/projection';
import { requireRole, userOf } from '../auth/middleware.ts';
import { idempotent } from '../incidents/idempotency.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import type { Audit } from '../audit/index.ts';
import { auditPersonalRead } from './audit.ts';
import { activitiesToIcs, occurrences, parseIcs } from './ics.ts';
import { bad, issues, personAudience, regionOf } from './scope.ts';
import type { CareService } from './service.ts';

const STAFF = ['admin', 'dispatcher', 'leader'] as const;
const DAY = 86_400_000;

/** An activity as listed: its occurrences in the window asked for, with registered/attended counts (none for walls). */
export interface ActivityView extends Activity {
  occurrences: { start: string; registered: number | null; attended: number | null }[];
}

/**
 * GET /activities?regionId&from&to, POST /activities, GET /activities.ics?regionId, POST /activities/import
 * (text/calendar body, ?regionId), GET|POST /activities/:id/registrations, POST /activities/:id/attendance.
 */
export function activityRoutes(deps: { store: Store; regions: Regions; service: CareService; now: () => Date; audit?: Audit }): Router {
  const { store, regions, service } = deps;
  const r = Router();

  async function visible(id: string, scope: string): Promise<Activity | null> {
    const a = await store.care.activity(id);
    // A community's activity concerns its grids: visible to a user scoped inside it, or above it.
    return a && (isWithinScope(a.regionId, scope) || isWithinScope(scope, a.regionId)) ? a : null;
  }
  const partyOk = async (id: string | null) => id === null || (await store.parties.get(id)) !== null;

  r.get('/activities', async (req, res) => {
    const regionId = regionOf(req, res, regions);
    if (!regionId) return;
    const now = deps.now();
    const from = typeof req.query.from === 'string' && !Number.isNaN(Date.parse(req.query.from)) ? new Date(req.query.from) : new Date(now.getTime() - 7 * DAY);
    const to = typeof req.query.to === 'string' && !Number.isNaN(Date.parse(req.query.to)) ? new Date(req.query.to) : new Date(from.getTime() + 42 * DAY);
    if (to.getTime() - from.getTime() > 400 * DAY || to <= from) return bad(res, 'care/bad_window', 'from < to, at most 400 days apart.');
    const audience = audienceOf(userOf(req).role);
    const wall = audience === 'wall';
    const list = await store.care.activities(regionId, regionAncestry(regionId).filter((x) => x !== regionId));
    const out: ActivityView[] = [];
    for (const a of list) {
      const occ = occurrences(a, from, to);
      if (!occ.length) continue;
      const regs = wall ? [] : await store.care.registrations(a.id);
      out.push({
        ...projectActivity(a, audience),
        occurrences: occ.map((start) => {
          const mine = regs.filter((x) => x.occurrence === start);
          return { start, registered: wall ? null : mine.length, attended: wall ? null : mine.filter((x) => x.attended).length };
        }),
      });
    }
    res.json({ activities: out, from: from.toISOString(), to: to.toISOString() });
  });

  r.post('/activities', requireRole(...STAFF), async (req, res) => {
    const parsed = newActivitySchema.safeParse(req.body);
    if (!parsed.success) return bad(res, 'care/invalid', issues(parsed.error));
    const regionId = regionOf(req, res, regions, parsed.data.regionId);
    if (!regionId) return;
    if (!(await partyOk(parsed.data.organiserPartyId))) return bad(res, 'care/unknown_party', `No party ${parsed.data.organiserPartyId}.`);
    const id = randomUUID();
    const a: Activity = { ...parsed.data, start: new Date(parsed.data.start).toISOString(), exdates: parsed.data.exdates.map((x) => new Date(x).toISOString()), id, uid: `${id}@gridops`, synthetic: false };
    await store.care.putActivities([a]);
    service.changed(a.regionId);
    res.status(201).json(a);
  });

  r.get('/activities.ics', async (req, res) => {
    const regionId = regionOf(req, res, regions);
    if (!regionId) return;
    const list = await store.care.activities(regionId, regionAncestry(regionId).filter((x) => x !== regionId));
    res.type('text/calendar; charset=utf-8').attachment(`activities-${regionId}.ics`).send(activitiesToIcs(list.map((a) => projectActivity(a, audienceOf(userOf(req).role))), deps.now()));
  });

  r.post('/activities/import', requireRole(...STAFF), express.text({ type: ['text/calendar', 'text/plain'], limit: '2mb' }), async (req, res) => {
    if (typeof req.body !== 'string') return bad(res, 'care/unsupported_type', 'Send the .ics file as the raw body (Content-Type: text/calendar).', 415);
    const regionId = regionOf(req, res, regions);
    if (!regionId) return;
    const { events, errors } = parseIcs(req.body);
    const put: Activity[] = [];
    let updated = 0;
    for (const e of events) {
      const existing = await store.care.activityByUid(e.uid);
      if (existing && !isWithinScope(existing.regionId, userOf(req).regionId)) {
        errors.push({ event: 0, uid: e.uid, reason: 'an activity with this UID exists outside your scope' });
        continue;
      }
      if (existing) updated++;
      const organiser = e.organiserPartyId && (await partyOk(e.organiserPartyId)) ? e.organiserPartyId : null;
      put.push({
        id: existing?.id ?? randomUUID(),
        uid: e.uid,
        regionId: existing?.regionId ?? regionId,
        title: e.title.slice(0, 120),
        kind: (ACTIVITY_KINDS as readonly string[]).includes(e.kind ?? '') ? (e.kind as ActivityKind) : 'other',
        venue: { poiId: e.poiId, name: (e.venueName || '—').slice(0, 120) },
        organiserPartyId: organiser,
        targetGroups: e.targetGroups.filter((g): g is TargetGroup => (TARGET_GROUPS as readonly string[]).includes(g)),
        capacity: e.capacity,
        start: e.start,
        durationMinutes: e.durationMinutes,
        rrule: e.rrule,
        exdates: e.exdates,
        overrides: e.overrides,
        description: e.description.slice(0, 2000),
        synthetic: false,
      });
    }
    await store.care.putActivities(put);
    if (put.length) service.changed(regionId);
    res.json({ created: put.length - updated, updated, errors });
  });

  r.get('/activities/:id/registrations', async (req, res) => {
    const audience = personAudience(req, res);
    if (!audience) return;
    const user = userOf(req);
    const a = await visible(String(req.params.id), user.regionId);
    if (!a) return bad(res, 'care/not_found', 'No such activity in your scope.', 404);
    const regs = await store.care.registrations(a.id);
    if (audience === 'full') await auditPersonalRead(deps.audit, req, { kind: 'registration', ids: regs.map((x) => x.id), regionId: a.regionId });
    res.json({ registrations: regs.map((x) => projectRegistration(x, audience)) });
  });

  type Refusal = { refused: { status: number; code: string; message: string } };
  const refusal = (code: string, message: string, status = 400): Refusal => ({ refused: { status, code, message } });
  const send = (res: express.Response, r: Refusal) => bad(res, r.refused.code, r.refused.message, r.refused.status);

  async function register(a: Activity, body: unknown, attended: boolean | null): Promise<Registration | Refusal> {
    const parsed = newRegistrationSchema.safeParse(body);
    if (!parsed.success) return refusal('care/invalid', issues(parsed.error));
    const occurrence = new Date(parsed.data.occurrence).toISOString();
    const t = Date.parse(occurrence);
    if (!occurrences(a, new Date(t), new Date(t + 1)).length) return refusal('care/no_occurrence', `The activity has no occurrence at ${occurrence}.`);
    if (parsed.data.residentId && !(await store.care.resident(parsed.data.residentId))) return refusal('care/unknown_resident', 'No such resident.');
    return { ...parsed.data, occurrence, id: randomUUID(), activityId: a.id, attended, createdAt: deps.now().toISOString() };
  }

  // Idempotent per Idempotency-Key: the console's form sends one per submission, so a resend registers once.
  r.post('/activities/:id/registrations', requireRole(...STAFF, 'worker'), async (req, res) => {
    const user = userOf(req);
    await idempotent(req, res, { store: store.idempotency, userId: user.sub, scope: `registrations:${String(req.params.id)}` }, async () => {
      const a = await visible(String(req.params.id), user.regionId);
      const reply = ({ refused: { status, code, message } }: Refusal) => ({ status, body: { error: { code, message } } });
      if (!a) return reply(refusal('care/not_found', 'No such activity in your scope.', 404));
      const reg = await register(a, req.body, null);
      if ('refused' in reg) return reply(reg);
      // The same person twice (a form sent twice) would hold two places and count twice; checked with the insert.
      const outcome = await store.care.register({ ...reg, regionId: a.regionId }, a.capacity);
      if (outcome === 'duplicate') return reply(refusal('care/already_registered', 'This person is already registered for this occurrence.', 409));
      if (outcome === 'full') return reply(refusal('care/full', `This occurrence is full (${a.capacity}).`, 409));
      return { status: 201, body: projectRegistration(reg, audienceOf(user.role) === 'full' ? 'full' : 'masked') };
    });
  });

  r.post('/activities/:id/attendance', requireRole(...STAFF, 'worker'), async (req, res) => {
    const a = await visible(String(req.params.id), userOf(req).regionId);
    if (!a) return bad(res, 'care/not_found', 'No such activity in your scope.', 404);
    const parsed = attendanceSchema.safeParse(req.body);
    if (!parsed.success) return bad(res, 'care/invalid', issues(parsed.error));
    const occurrence = new Date(parsed.data.occurrence).toISOString();
    const walkIns: Registration[] = [];
    for (const w of parsed.data.walkIns) {
      const reg = await register(a, { ...w, occurrence }, true);
      if ('refused' in reg) return send(res, reg);
      walkIns.push(reg);
    }
    // A walk-in already registered for the occurrence (the form sent again, or someone who signed up) is that
    // registration, marked attended: a second row would count them twice.
    const ids: string[] = [];
    let added = 0;
    for (const w of walkIns) {
      if ((await store.care.register({ ...w, regionId: a.regionId }, null)) === 'added') {
        ids.push(w.id);
        added++;
      } else {
        const same = (await store.care.registrations(a.id)).find((x) => x.occurrence === occurrence && (w.residentId ? x.residentId === w.residentId : x.name === w.name && (x.phone ?? '') === (w.phone ?? '')));
        if (same) ids.push(same.id);
      }
    }
    const attended = await store.care.setAttendance(a.id, occurrence, [...parsed.data.attendedIds, ...ids]);
    service.changed(a.regionId);
    res.json({ occurrence, attended, walkIns: added });
  });

  return r;
}

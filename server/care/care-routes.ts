import { randomUUID } from 'node:crypto';
import express, { Router } from 'express';
import { projectHours, projectResident, projectVisit } from '#common/care/projection';
import { visitStatus, type VisitStatus } from '#common/care/tiers';
import { careResidentInputSchema, newVisitSchema, volunteerHoursSchema, type CareResident, type TeamHours } from '#common/care/types';
import { isWithinScope, regionAncestry } from '#common/geo/types';
import { audienceOf } from '#common/incidents/projection';
import { requireRole, userOf } from '../auth/middleware.ts';
import { idempotent } from '../incidents/idempotency.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store } from '../store/types.ts';
import type { Audit } from '../audit/index.ts';
import { auditPersonalRead } from './audit.ts';
import { decodeCsv } from '../dispatch/csv-import.ts';
import { parseCareCsv } from './csv-import.ts';
import { loadTierRules } from './tier-rules.ts';
import { bad, issues, personAudience, regionOf } from './scope.ts';
import type { CareService } from './service.ts';

const MANAGERS = ['admin', 'dispatcher'] as const;
const DAY = 86_400_000;

/**
 * The care registry (person-level: never for walls; masked for leaders and workers; full reads audited),
 * visits and the visit schedule, the time bank, and the indicators (the one reply walls get, suppressed).
 */
export function careRoutes(deps: { store: Store; regions: Regions; service: CareService; now: () => Date; audit?: Audit }): Router {
  const { store, regions, service } = deps;
  const r = Router();
  const audit = (req: express.Request, kind: string, ids: string[], regionId: string) => auditPersonalRead(deps.audit, req, { kind, ids, regionId });
  const knownGrid = (gridId: string, scope: string): string | null => {
    const g = regions.get(gridId);
    if (!g || g.level !== 'grid') return `unknown grid: ${gridId}`;
    if (!isWithinScope(gridId, scope)) return `grid ${gridId} is outside your region scope`;
    return null;
  };

  r.get('/care/indicators', async (req, res) => {
    const regionId = regionOf(req, res, regions);
    if (regionId) res.json(await service.indicators(regionId, audienceOf(userOf(req).role)));
  });

  r.get('/care/residents', async (req, res) => {
    const audience = personAudience(req, res);
    const regionId = audience && regionOf(req, res, regions);
    if (!audience || !regionId) return;
    const list = await store.care.residents(regionId);
    if (audience === 'full') await audit(req, 'care_resident', list.map((x) => x.id), regionId);
    res.json({ residents: list.map((x) => projectResident(x, audience)) });
  });

  async function save(req: express.Request, res: express.Response, id: string | undefined): Promise<void> {
    const parsed = careResidentInputSchema.safeParse(id ? { ...req.body, id } : req.body);
    if (!parsed.success) return bad(res, 'care/invalid', issues(parsed.error));
    const problem = knownGrid(parsed.data.gridId, userOf(req).regionId);
    if (problem) return bad(res, 'care/bad_grid', problem);
    const existing = parsed.data.id ? await store.care.resident(parsed.data.id) : null;
    if (existing && !isWithinScope(existing.gridId, userOf(req).regionId)) return bad(res, 'care/not_found', 'No such resident in your scope.', 404);
    if (id && !existing) return bad(res, 'care/not_found', 'No such resident in your scope.', 404);
    const resident: CareResident = { ...parsed.data, id: parsed.data.id ?? randomUUID(), registeredAt: existing?.registeredAt ?? deps.now().toISOString(), synthetic: false };
    await store.care.putResidents([resident]);
    service.changed(resident.gridId);
    if (existing && existing.gridId !== resident.gridId) service.changed(existing.gridId); // moved: the old grid's figures change too
    res.status(existing ? 200 : 201).json(resident);
  }
  r.post('/care/residents', requireRole(...MANAGERS), (req, res) => save(req, res, undefined));
  r.put('/care/residents/:id', requireRole(...MANAGERS), (req, res) => save(req, res, String(req.params.id)));
  r.delete('/care/residents/:id', requireRole(...MANAGERS), async (req, res) => {
    const existing = await store.care.resident(String(req.params.id));
    if (!existing || !isWithinScope(existing.gridId, userOf(req).regionId)) return bad(res, 'care/not_found', 'No such resident in your scope.', 404);
    await store.care.deleteResident(existing.id);
    service.changed(existing.gridId);
    res.status(204).end();
  });

  // ?encoding=gbk (or a charset in Content-Type) for what Excel on Chinese Windows saves, as the population import.
  r.post('/care/residents/import', requireRole('admin'), express.raw({ type: ['text/csv', 'text/plain', 'application/octet-stream'], limit: '20mb' }), async (req, res) => {
    if (!Buffer.isBuffer(req.body)) return bad(res, 'care/unsupported_type', 'Send the CSV as the raw body (Content-Type: text/csv).', 415);
    const asked = (req.query.encoding ?? /charset=([\w-]+)/.exec(req.get('content-type') ?? '')?.[1])?.toString().toLowerCase();
    const encodings: Record<string, 'utf-8' | 'gbk' | 'gb18030'> = { 'utf-8': 'utf-8', utf8: 'utf-8', gbk: 'gbk', gb2312: 'gbk', gb18030: 'gb18030' };
    const encoding = asked === undefined ? null : encodings[asked];
    if (encoding === undefined) return bad(res, 'care/bad_encoding', 'encoding must be utf-8, gbk or gb18030.');
    // Unsaid: UTF-8, or GB18030 when the bytes are not UTF-8 (read as UTF-8 they would store mojibake names).
    let text: string;
    try {
      text = decodeCsv(req.body, encoding);
    } catch {
      return bad(res, 'care/bad_encoding', 'The file is not valid UTF-8; send ?encoding=gbk for files saved by Excel on Chinese Windows.');
    }
    const scope = userOf(req).regionId;
    const result = parseCareCsv(text, (g) => knownGrid(g, scope), deps.now());
    for (const rsd of result.residents) {
      const existing = await store.care.resident(rsd.id);
      if (existing) rsd.registeredAt = existing.registeredAt;
    }
    await store.care.putResidents(result.residents);
    for (const g of new Set(result.residents.map((x) => x.gridId))) service.changed(g);
    res.json({ counts: result.counts, errors: result.errors });
  });

  r.get('/visits', async (req, res) => {
    const audience = personAudience(req, res);
    const regionId = audience && regionOf(req, res, regions);
    if (!audience || !regionId) return;
    const days = Math.min(Math.max(Number(req.query.days) || 90, 1), 400);
    const visits = await store.care.visits(regionId, new Date(deps.now().getTime() - days * DAY), 500);
    if (audience === 'full') await audit(req, 'visit', visits.map((v) => v.id), regionId);
    res.json({ visits: visits.map((v) => projectVisit(v, audience)) });
  });

  /** The visit list: every resident's tier and due date, overdue first (most days overdue first), then due soonest. */
  r.get('/visits/schedule', async (req, res) => {
    const audience = personAudience(req, res);
    const regionId = audience && regionOf(req, res, regions);
    if (!audience || !regionId) return;
    const now = deps.now();
    const [residents, last, rules] = await Promise.all([store.care.residents(regionId), store.care.lastVisits(regionId), loadTierRules(store)]);
    const rows: (VisitStatus & { resident: CareResident })[] = residents.map((x) => ({ ...visitStatus(x, last.get(x.id) ?? null, now, rules), resident: projectResident(x, audience) }));
    rows.sort((a, b) => Number(b.overdue) - Number(a.overdue) || (a.overdue ? b.daysOverdue - a.daysOverdue : 0) || a.dueAt.localeCompare(b.dueAt));
    if (audience === 'full') await audit(req, 'care_resident', residents.map((x) => x.id), regionId);
    res.json({ schedule: rows });
  });

  // Idempotent per Idempotency-Key (the phone's outbox sends its client-made id), so a resend after a lost reply logs once.
  r.post('/visits', requireRole('admin', 'dispatcher', 'leader', 'worker'), async (req, res) => {
    const user = userOf(req);
    await idempotent(req, res, { store: store.idempotency, userId: user.sub, scope: 'visits' }, async () => {
      const fail = (code: string, message: string, status = 400) => ({ status, body: { error: { code, message } } });
      const parsed = newVisitSchema.safeParse(req.body);
      if (!parsed.success) return fail('care/invalid', issues(parsed.error));
      const resident = await store.care.resident(parsed.data.residentId);
      if (!resident || !isWithinScope(resident.gridId, user.regionId)) return fail('care/not_found', 'No such resident in your scope.', 404);
      if (Date.parse(parsed.data.visitedAt) > deps.now().getTime() + 10 * 60_000) return fail('care/future', 'visitedAt is in the future.');
      if (parsed.data.partyId && !(await store.parties.get(parsed.data.partyId))) return fail('care/unknown_party', `No party ${parsed.data.partyId}.`);
      const visit = await service.logVisit({ ...parsed.data, visitedAt: new Date(parsed.data.visitedAt).toISOString() }, resident, user.sub);
      return { status: 201, body: projectVisit(visit, audienceOf(user.role) === 'full' ? 'full' : 'masked', resident.name) };
    });
  });

  /** Time bank: hours per team (names only) and per community; walls get the same (no member appears). */
  r.get('/volunteers/hours', async (req, res) => {
    const regionId = regionOf(req, res, regions);
    if (!regionId) return;
    const days = Math.min(Math.max(Number(req.query.days) || 365, 1), 3650);
    const hours = await store.care.hours(regionId, new Date(deps.now().getTime() - days * DAY));
    const parties = new Map((await store.parties.list()).map((p) => [p.id, p]));
    const byTeam = new Map<string, number>();
    const byCommunity = new Map<string, number>();
    for (const h of hours) {
      byTeam.set(h.partyId, (byTeam.get(h.partyId) ?? 0) + h.hours);
      const community = regionAncestry(h.regionId)[3] ?? h.regionId;
      byCommunity.set(community, (byCommunity.get(community) ?? 0) + h.hours);
    }
    const teams: TeamHours[] = [...byTeam].map(([partyId, n]) => ({ partyId, name: parties.get(partyId)?.name ?? partyId, hours: Math.round(n * 10) / 10 })).sort((a, b) => b.hours - a.hours);
    const communities = [...byCommunity].map(([id, n]) => ({ regionId: id, name: regions.get(id)?.name ?? id, hours: Math.round(n * 10) / 10 })).sort((a, b) => b.hours - a.hours);
    res.json({ teams, communities });
  });

  r.get('/volunteers/entries', async (req, res) => {
    const audience = personAudience(req, res);
    const regionId = audience && regionOf(req, res, regions);
    if (!audience || !regionId) return;
    const list = (await store.care.hours(regionId, null)).slice(0, 1000);
    if (audience === 'full') await audit(req, 'volunteer_hours', list.map((h) => h.id), regionId);
    res.json({ entries: list.map((h) => projectHours(h, audience)) });
  });

  r.post('/volunteers/hours', requireRole('admin', 'dispatcher', 'leader'), async (req, res) => {
    const parsed = volunteerHoursSchema.safeParse(req.body);
    if (!parsed.success) return bad(res, 'care/invalid', issues(parsed.error));
    const regionId = regionOf(req, res, regions, parsed.data.regionId);
    if (!regionId) return;
    const party = await store.parties.get(parsed.data.partyId);
    if (!party || (party.kind !== 'volunteer_team' && party.kind !== 'social_org')) return bad(res, 'care/unknown_party', 'No volunteer team or social organisation with this id.');
    if (parsed.data.activityId && !(await store.care.activity(parsed.data.activityId))) return bad(res, 'care/not_found', 'No such activity.', 404);
    const entry = { ...parsed.data, at: new Date(parsed.data.at).toISOString(), id: randomUUID(), visitId: null };
    await store.care.addHours([entry]);
    service.changed(regionId);
    res.status(201).json(entry);
  });

  return r;
}

import type { Audit } from '../audit/index.ts';
import { randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { isWithinScope } from '#common/geo/types';
import type { RosterWorker } from '#common/geo/types';
import { cstDate, cstDay, keepFix, patrolDay } from '#common/field/mileage';
import { checkinInput, positionsBody } from '#common/field/schema';
import { audienceOf } from '#common/incidents/projection';
import { maskPersonalText } from '#common/privacy';
import type { Checkin, PositionFix } from '#common/field/types';
import { requireRole, userOf } from '../auth/middleware.ts';
import { linkedWorkerId } from '../dispatch/identity.ts';
import type { Regions } from '../geo/regions.ts';
import type { Store, StoredFix } from '../store/types.ts';

export interface FieldDeps {
  store: Store;
  regions: Regions;
  roster: readonly RosterWorker[];
  retentionDays: number;
  now: () => Date;
  /** A worker's newest kept fix, for the live map (coalesced by the caller). */
  onFix(worker: RosterWorker, fix: PositionFix, onPatrol: boolean): void;
  /** Reads of a worker's track (personal data) are recorded before they are answered. */
  audit?: Audit;
}

/** A fix dated further ahead than this (a phone's clock wrong) is dropped. */
const MAX_AHEAD_MS = 2 * 60_000;

const bad = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });
const issues = (e: { issues: { path: PropertyKey[]; message: string }[] }) => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
const id = (prefix: string) => `${prefix}-${randomBytes(9).toString('base64url')}`;
const publicFix = (f: StoredFix): PositionFix => ({ lng: f.lng, lat: f.lat, at: f.at, accuracy: f.accuracy });

/**
 * Positions, patrols and check-ins of grid workers (`/me/*`), a worker's day for staff, counts for walls. The
 * live list (`GET /workers`, with last positions and on-patrol state) is the dispatch roster's (server/dispatch).
 */
export function fieldRoutes(deps: FieldDeps): Router {
  const { store, regions } = deps;
  const rosterById = new Map(deps.roster.map((w) => [w.id, w]));
  /** Newest kept fix per worker on this node (read from the store on a miss). */
  const lastKept = new Map<string, StoredFix | null>();
  const retentionStart = () => new Date(deps.now().getTime() - deps.retentionDays * 86_400_000);
  const r = Router();

  /** The roster worker behind a worker account, or null after answering 403. */
  async function me(req: Request, res: Response): Promise<RosterWorker | null> {
    const user = userOf(req);
    const workerId = user.role === 'worker' ? await linkedWorkerId(store, { id: user.sub, role: user.role }) : null;
    const worker = workerId ? rosterById.get(workerId) : undefined;
    if (!worker) return void bad(res, 403, 'field/not_linked', 'Only a worker account linked to a roster grid worker may do this.'), null;
    return worker;
  }

  async function last(workerId: string): Promise<StoredFix | null> {
    if (!lastKept.has(workerId)) lastKept.set(workerId, (await store.field.lastPositions([workerId], retentionStart())).get(workerId) ?? null);
    return lastKept.get(workerId) ?? null;
  }

  r.post('/me/positions', async (req, res) => {
    const worker = await me(req, res);
    if (!worker) return;
    const body = positionsBody.safeParse(req.body);
    if (!body.success) return void bad(res, 400, 'field/bad_position', issues(body.error));
    const input = 'positions' in body.data ? body.data.positions : [body.data];
    const now = deps.now().getTime();
    const oldest = retentionStart().getTime();
    const patrol = await store.field.current(worker.id);
    const kept: StoredFix[] = [];
    let prev = await last(worker.id);
    for (const p of [...input].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      const t = Date.parse(p.at);
      const fix: StoredFix = { workerId: worker.id, lng: p.lng, lat: p.lat, at: new Date(t).toISOString(), accuracy: p.accuracy ?? null, patrolId: patrol?.id ?? null };
      if (t > now + MAX_AHEAD_MS || t < oldest || !keepFix(prev, fix)) continue;
      kept.push(fix);
      prev = fix;
    }
    if (kept.length) {
      await store.field.addPositions(kept);
      lastKept.set(worker.id, prev);
      deps.onFix(worker, publicFix(prev!), patrol !== null);
    }
    res.status(202).json({ kept: kept.length, dropped: input.length - kept.length });
  });

  r.get('/me/patrols/current', async (req, res) => {
    const worker = await me(req, res);
    if (!worker) return;
    res.json({ patrol: await store.field.current(worker.id) });
  });

  r.post('/me/patrols', async (req, res) => {
    const worker = await me(req, res);
    if (!worker) return;
    const started = await store.field.startPatrol({ id: id('p'), workerId: worker.id, userId: userOf(req).sub, at: deps.now() });
    // Starting twice (a retried request, a second phone) answers with the patrol under way.
    if (!started) return void res.status(200).json({ patrol: await store.field.current(worker.id), alreadyStarted: true });
    res.status(201).json({ patrol: started });
  });

  r.post('/me/patrols/current/end', async (req, res) => {
    const worker = await me(req, res);
    if (!worker) return;
    const current = await store.field.current(worker.id);
    if (!current) return void bad(res, 404, 'field/no_patrol', 'No patrol is under way.');
    const at = deps.now();
    const fixes = await store.field.track(worker.id, new Date(current.startedAt), new Date(at.getTime() + 1));
    const { distanceM } = patrolDay(fixes, [{ id: current.id, startedAt: current.startedAt, endedAt: at.toISOString() }], 0, at.getTime() + 1, at.getTime());
    const ended = await store.field.endPatrol(current.id, at, distanceM);
    if (!ended) return void bad(res, 404, 'field/no_patrol', 'No patrol is under way.');
    res.json({ patrol: ended });
  });

  r.post('/me/checkins', async (req, res) => {
    const worker = await me(req, res);
    if (!worker) return;
    const body = checkinInput.safeParse(req.body);
    if (!body.success) return void bad(res, 400, 'field/bad_checkin', issues(body.error));
    const now = deps.now().getTime();
    const t = body.data.at ? Date.parse(body.data.at) : now;
    if (t > now + MAX_AHEAD_MS || t < retentionStart().getTime()) return void bad(res, 400, 'field/bad_checkin', 'at: outside the accepted time range');
    const checkin: Checkin = {
      id: id('c'),
      workerId: worker.id,
      at: new Date(t).toISOString(),
      lng: body.data.lng,
      lat: body.data.lat,
      gridId: regions.locate(body.data.lng, body.data.lat).gridId,
      note: body.data.note?.trim() || null,
    };
    await store.field.addCheckin({ ...checkin, userId: userOf(req).sub });
    res.status(201).json({ checkin });
  });

  /** A worker's day: fixes, patrols, check-ins, and the patrol mileage and time. */
  async function day(workerId: string, date: string) {
    const range = cstDay(date)!;
    const [from, to] = [new Date(range[0]), new Date(range[1])];
    const [fixes, patrols, checkins] = await Promise.all([
      store.field.track(workerId, from, to),
      store.field.patrols(workerId, from, to),
      store.field.checkins(workerId, from, to),
    ]);
    return { workerId, date, fixes: fixes.map(publicFix), patrols, checkins, stats: patrolDay(fixes, patrols, range[0], range[1], deps.now().getTime()) };
  }
  const dateOf = (req: Request, res: Response): string | null => {
    const date = typeof req.query.date === 'string' ? req.query.date : cstDate(deps.now().getTime());
    if (!cstDay(date)) return void bad(res, 400, 'field/bad_date', 'date: must be YYYY-MM-DD'), null;
    return date;
  };

  r.get('/me/day', async (req, res) => {
    const worker = await me(req, res);
    const date = worker && dateOf(req, res);
    if (!worker || !date) return;
    res.json(await day(worker.id, date));
  });

  // Positions are personal data: dispatchers and leaders (and admins) in scope only; never a wall.
  const staff = requireRole('admin', 'leader', 'dispatcher');
  const inScope = (req: Request) => deps.roster.filter((w) => isWithinScope(w.regionId, userOf(req).regionId));

  r.get('/workers/:id/track', staff, async (req, res) => {
    const w = rosterById.get(String(req.params.id));
    if (!w || !isWithinScope(w.regionId, userOf(req).regionId)) return void bad(res, 404, 'field/no_worker', 'No such worker in your scope.');
    const date = dateOf(req, res);
    if (!date) return;
    const track = await day(w.id, date);
    await deps.audit?.record({ action: 'worker.track_read', target: `worker:${w.id}`, detail: { date }, regionId: w.gridId }, req);
    // A check-in note is free text that may name or number a resident the worker met: masked for leaders.
    const full = audienceOf(userOf(req).role) === 'full';
    res.json(full ? track : { ...track, checkins: track.checkins.map((c) => ({ ...c, note: maskPersonalText(c.note) })) });
  });

  // All a wall may know of positions: how many workers are on patrol per community.
  r.get('/workers/patrol-counts', async (req, res) => {
    const onPatrol = await store.field.onPatrol();
    const byCommunity: Record<string, number> = {};
    for (const w of inScope(req)) {
      if (!onPatrol.has(w.id)) continue;
      const community = regions.path(w.gridId).find((x) => x.level === 'community')?.id ?? w.regionId;
      byCommunity[community] = (byCommunity[community] ?? 0) + 1;
    }
    res.json({ byCommunity });
  });

  return r;
}

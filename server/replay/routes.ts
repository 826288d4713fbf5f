import { Router, type Response } from 'express';
import { isWithinScope } from '#common/geo/types';
import { audienceOf, projectIncident, type Audience } from '#common/incidents/projection';
import {
  foldAt, isOpenState, kpisAt, openAt,
  type ReplayAtResponse, type ReplayChange, type ReplayDayResponse,
} from '#common/replay/fold';
import { replayAtQuery, replayDayQuery } from '#common/replay/schema';
import { CST_OFFSET_MS, startOfCstDay } from '#common/time';
import { userOf } from '../auth/middleware.ts';
import type { ReporterReads } from '../audit/reporter-reads.ts';
import type { Store } from '../store/types.ts';

const DAY_MS = 86_400_000;
/** At most this many changes of one day in one answer (a district's busiest day is well under it). */
export const DAY_CHANGE_LIMIT = 60_000;

const bad = (res: Response, code: string, message: string, status = 400) => res.status(status).json({ error: { code, message } });
const project = (c: ReplayChange, audience: Audience): ReplayChange => ({ ...c, incident: projectIncident(c.incident, audience) });

/**
 * Day replay, rebuilt from the event log: the incidents open at an instant (`/replay`), and a whole day's
 * changes for a client that scrubs it (`/replay/day`). Projected per audience like every incident read.
 */
export function replayRoutes(deps: { store: Store; now?: () => Date; reads?: ReporterReads }): Router {
  const { store } = deps;
  const now = deps.now ?? (() => new Date());
  const r = Router();

  r.get('/replay', async (req, res) => {
    const q = replayAtQuery.safeParse(req.query);
    if (!q.success) return void bad(res, 'replay/bad_query', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const user = userOf(req);
    const regionId = q.data.regionId ?? user.regionId;
    if (!isWithinScope(regionId, user.regionId)) return void bad(res, 'scope/forbidden', `Region ${regionId} is outside your scope.`, 403);
    const at = q.data.at.getTime();
    const [latest, today] = await Promise.all([
      store.replay.latestAt(regionId, at),
      store.replay.between(regionId, startOfCstDay(at) - 1, at, DAY_CHANGE_LIMIT),
    ]);
    const states = foldAt([...latest, ...today], at);
    const audience = audienceOf(user.role);
    const seq = Math.max(0, ...[...states.values()].map((c) => c.seq));
    const open = openAt(latest, at);
    await deps.reads?.list(req, open, audience, { via: 'replay', regionId });
    res.json({
      regionId,
      at: new Date(at).toISOString(),
      seq,
      incidents: open.map((i) => projectIncident(i, audience)),
      kpis: kpisAt([...states.values()].map((c) => c.incident), at),
    } satisfies ReplayAtResponse);
  });

  r.get('/replay/day', async (req, res) => {
    const q = replayDayQuery.safeParse(req.query);
    if (!q.success) return void bad(res, 'replay/bad_query', q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const user = userOf(req);
    const regionId = q.data.regionId ?? user.regionId;
    if (!isWithinScope(regionId, user.regionId)) return void bad(res, 'scope/forbidden', `Region ${regionId} is outside your scope.`, 403);
    const from = Date.parse(`${q.data.day}T00:00:00Z`) - CST_OFFSET_MS;
    const to = Math.min(from + DAY_MS, now().getTime());
    if (!Number.isFinite(from) || to <= from) return void bad(res, 'replay/bad_day', `No replay of ${q.data.day}: it has not begun.`);
    const [base, changes] = await Promise.all([store.replay.latestAt(regionId, from), store.replay.between(regionId, from, to, DAY_CHANGE_LIMIT)]);
    const audience = audienceOf(user.role);
    const shown = base.filter((c) => isOpenState(c.incident));
    await deps.reads?.list(req, [...shown, ...changes].map((c) => c.incident), audience, { via: 'replay', regionId });
    res.json({
      regionId,
      day: q.data.day,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      base: shown.map((c) => project(c, audience)),
      changes: changes.map((c) => project(c, audience)),
      truncated: changes.length === DAY_CHANGE_LIMIT,
    } satisfies ReplayDayResponse);
  });

  return r;
}

/**
 * A grid worker logs a caring visit from the phone: allowed for a resident of their grid, refused outside it,
 * and a resend with the same client id (Idempotency-Key) is stored once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CareResident } from '#common/care/types';
import { createTokenService } from '#server/auth/tokens';
import { login, startApp, type Running } from './helpers';

const GRID = '510108002001002';
const OTHER = '510108006001001';
let app: Running;
let admin: string;
let worker: string;

const post = (path: string, token: string, body: unknown, key?: string) =>
  fetch(`${app.url}/api${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  app = await startApp({});
  admin = (await login(app.url)).token;
  await app.store.users.create({ id: 'acct-v', username: 'acct-v', displayName: '网格员', role: 'worker', regionId: GRID, workerId: null, passwordHash: 'x' });
  worker = await (await createTokenService(app.store.settings)).sign({ sub: 'acct-v', role: 'worker', regionId: GRID }, '1h');
});
afterAll(async () => app?.stop());

describe('visits from the grid-worker app', () => {
  it('logs in the own grid, refuses outside, and stores a resend once', async () => {
    const mine = (await (await post('/care/residents', admin, { gridId: GRID, name: '张奶奶', birthDate: '1938-01-01', livingAlone: true })).json()) as CareResident;
    const far = (await (await post('/care/residents', admin, { gridId: OTHER, name: '李爷爷', birthDate: '1940-01-01', livingAlone: true })).json()) as CareResident;
    const visit = (residentId: string) => ({ residentId, visitedAt: new Date().toISOString(), visitorKind: 'worker', visitorName: '网格员', outcome: 'well', note: '身体好' });

    const key = randomUUID();
    const sent = visit(mine.id);
    const first = await post('/visits', worker, sent, key);
    expect(first.status).toBe(201);
    // The outbox resends the identical body after a lost reply: replayed, not logged again.
    const resend = await post('/visits', worker, sent, key);
    expect(resend.status).toBe(201);
    expect(resend.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await resend.json()).toEqual(await first.json());
    expect((await post('/visits', worker, { ...sent, note: '别的' }, key)).status).toBe(422); // same key, other visit

    const refused = await post('/visits', worker, visit(far.id), randomUUID());
    expect(refused.status).toBe(404);

    const visits = (await (await fetch(`${app.url}/api/visits?regionId=${GRID}`, { headers: { Authorization: `Bearer ${worker}` } })).json()) as { visits: { residentId: string }[] };
    expect(visits.visits.filter((v) => v.residentId === mine.id)).toHaveLength(1);
    const sched = (await (await fetch(`${app.url}/api/visits/schedule?regionId=${GRID}`, { headers: { Authorization: `Bearer ${worker}` } })).json()) as { schedule: { resident: CareResident; lastVisitAt: string | null }[] };
    const row = sched.schedule.find((r) => r.resident.id === mine.id)!;
    expect(row.resident.name).not.toBe('张奶奶'); // masked for workers
    expect(row.lastVisitAt).not.toBeNull();
  });
});

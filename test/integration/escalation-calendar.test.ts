import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_LAST_YEAR } from '#common/calendar/work-calendar';
import type { Incident } from '#common/incidents/types';
import { event, ingest, login, startApp, type Running } from './helpers';

/**
 * The SLA ladder counts working time in the live calendar, admin-entered years included (issue 13: "SLA maths
 * never silently counts a holiday as a working day"). In a year chinese-days does not know yet, an admin
 * declares a Tuesday a holiday; a 4-working-hour case dispatched on the Monday at 15:00 has 2.5 h that day and
 * 1.5 h on Wednesday. Its reminder (half the limit) falls at Monday 17:00; counting the holiday as a working
 * day would put it at Tuesday 17:00, on the holiday itself.
 */
const YEAR = PACKAGE_LAST_YEAR + 1;
/** The first Monday of March of YEAR, as a local date. */
const monday = (() => {
  const d = new Date(Date.UTC(YEAR, 2, 1));
  while (d.getUTCDay() !== 1) d.setUTCDate(d.getUTCDate() + 1);
  return d;
})();
const day = (offset: number) => new Date(monday.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
const cst = (date: string, time: string) => new Date(`${date}T${time}+08:00`);

// Today while the server starts (its demo seeds are dated from its clock), then the test moves it.
let clock = new Date();
let app: Running;
let admin: string;

beforeAll(async () => {
  // The loop's own timer stays out of the way: the test runs rounds with tick().
  app = await startApp({ ESCALATION_INTERVAL_MS: '3600000' }, undefined, { now: () => clock });
  admin = (await login(app.url)).token;
});
afterAll(async () => {
  await app?.stop();
});

const call = (path: string, method = 'GET', body?: unknown) =>
  fetch(`${app.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${admin}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function dispatchedCase(n: number): Promise<Incident> {
  // Far apart, so the second report does not merge into the first case.
  const res = (await (await ingest(app.url, event(n, { reportedAt: new Date().toISOString(), location: { lng: 104.1 + n * 0.01, lat: 30.67 } }))).json()) as { results: { id: string }[] };
  const id = res.results[0]!.id;
  let incident: Incident | null = null;
  for (const action of ['verify', 'file', 'dispatch']) {
    const current = ((await (await call(`/incidents/${id}`)).json()) as { incident: Incident }).incident;
    const r = await call(`/incidents/${id}/actions`, 'POST', { action, version: current.version, ...(action === 'dispatch' ? { assigneeId: 'gw-510108003002001' } : {}) });
    expect(r.status).toBe(200);
    incident = ((await r.json()) as { incident: Incident }).incident;
  }
  return incident!;
}
const stageOf = async (id: string) => ((await (await call(`/incidents/${id}`)).json()) as { incident: Incident }).incident.slaStage;

describe('SLA ladder and the admin-editable holiday table', () => {
  it('a holiday an admin adds moves the ladder: the reminder comes before the holiday, not on it', async () => {
    const put = await call(`/holidays/${YEAR}`, 'PUT', { days: [{ date: day(1), kind: 'holiday', name: '测试假日' }] });
    expect(put.status).toBe(200);

    clock = cst(day(0), '15:00:00');
    const inc = await dispatchedCase(1);
    // The deadline skips the holiday: 2.5 h on Monday, 1.5 h on Wednesday.
    expect(inc.dueAt).toBe(cst(day(2), '10:30:00').toISOString());

    clock = cst(day(0), '16:59:00');
    expect(await app.escalation.tick()).toBe(0);
    expect(await stageOf(inc.id)).toBeNull();
    clock = cst(day(0), '17:00:00'); // 2 of 4 working hours gone, 2 left (Monday 0.5 h, Wednesday 1.5 h)
    expect(await app.escalation.tick()).toBe(1);
    expect(await stageOf(inc.id)).toBe('reminded');
  });

  it('a case dispatched before the holiday was entered: its stored deadline stays, the ladder counts the holiday out', async () => {
    await call(`/holidays/${YEAR}`, 'PUT', { days: [{ date: day(15), kind: 'holiday', name: '占位' }] }); // Tuesday a working day again
    clock = cst(day(0), '15:00:00');
    const inc = await dispatchedCase(2);
    expect(inc.dueAt).toBe(cst(day(1), '10:30:00').toISOString()); // Tuesday counted as the working day it then was

    clock = cst(day(0), '16:00:00'); // 1 h gone: nothing due
    expect(await app.escalation.tick()).toBe(0);
    // The State Council's notice arrives: Tuesday is a holiday. The deadline stays as the handler was told, and
    // the working time left before it is Monday's last 1.5 h only: 2.5 of 4 h are gone, the reminder is due now.
    expect((await call(`/holidays/${YEAR}`, 'PUT', { days: [{ date: day(1), kind: 'holiday', name: '测试假日' }] })).status).toBe(200);
    expect(await app.escalation.tick()).toBe(1);
    expect(await stageOf(inc.id)).toBe('reminded');
  });
});

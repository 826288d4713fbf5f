import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAction } from '#common/incidents/lifecycle';
import type { Incident } from '#common/incidents/types';
import { simulatedEvent, rhythmAt, SIMULATOR_ID } from '#server/ingest/simulator';
import { startSimulatedWorkflow } from '#server/ingest/simulator-workflow';
import { startApp, type Running } from './helpers';

let app: Running;
beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app.stop();
});

describe('simulator', () => {
  it('keeps a daily rhythm whose mean is the configured rate', () => {
    const day = Array.from({ length: 24 }, (_, h) => rhythmAt(new Date(Date.UTC(2026, 10, 25, h))));
    expect(day.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(1, 6);
    // 03:00 CST is quiet, 10:00 CST busy.
    expect(rhythmAt(new Date(Date.UTC(2026, 10, 24, 19)))).toBeLessThan(0.5);
    expect(rhythmAt(new Date(Date.UTC(2026, 10, 25, 2)))).toBeGreaterThan(1.4);
  });

  it('works its cases through the case flow by the rules, to closed or rejected as false alarms', { timeout: 90_000 }, async () => {
    let n = 0;
    const events = Array.from({ length: 60 }, () => simulatedEvent(app.regions, ++n));
    await app.pipeline.submit(SIMULATOR_ID, events);
    const other = await app.pipeline.submit('test', [{ ...events[0], externalId: 'not-simulated', reportedAt: new Date(Date.now() - 20 * 86_400_000).toISOString() }]);
    const workflow = startSimulatedWorkflow({
      store: app.store,
      service: app.incidents,
      workers: app.incidents.roster,
      rootRegionId: app.regions.root.id,
      stepSeconds: 0,
      tickMs: 100,
      log: (await import('pino')).pino({ level: 'silent' }),
    });
    try {
      const deadline = Date.now() + 50_000;
      let open: Incident[] = [];
      do {
        await new Promise((r) => setTimeout(r, 500));
        open = (await app.store.incidents.listByStatus(['reported', 'verifying', 'filed', 'dispatched', 'in_progress', 'feedback', 'checking'], 1000)).filter(
          (i) => i.connectorId === SIMULATOR_ID,
        );
      } while (open.length > 0 && Date.now() < deadline);
      expect(open).toEqual([]);
    } finally {
      workflow.stop();
    }
    const done = (await app.store.incidents.list({ regionId: app.regions.root.id, connectorId: SIMULATOR_ID }, { limit: 500 })).items;
    const statuses = new Set(done.map((i) => i.status));
    expect(statuses.has('closed')).toBe(true);
    expect([...statuses].every((s) => s === 'closed' || s === 'rejected')).toBe(true);
    // Every step in every history is one the rules allow, replayed from the start.
    for (const incident of done) {
      const history = await app.store.incidents.history(incident.id);
      let state: Incident = { ...incident, status: 'reported', assigneeId: null, dueAt: null };
      for (const h of history) {
        // The SLA ladder's steps and `locate` records (how an address-only report got its place) change no status.
        if (h.actorRole === 'system' || h.action === 'locate') continue;
        const r = applyAction(state, h.action, { id: h.actorId, role: h.actorRole }, { note: h.note ?? undefined, assigneeId: h.assigneeId ?? undefined }, new Date(h.at));
        expect(r.ok, `${incident.id} ${h.action} from ${state.status}`).toBe(true);
        if (r.ok) state = r.incident;
      }
      expect(state.status).toBe(incident.status);
      if (incident.status === 'closed') expect(incident.assigneeId).toMatch(/^gw-/);
    }
    // Cases from real upstreams are left alone.
    const untouched = await app.store.incidents.get(other[0]!.ok ? other[0]!.id : '');
    expect(untouched?.status).toBe('reported');
  });
});

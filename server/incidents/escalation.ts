import { dueEscalation } from '#common/incidents/escalation';
import { SLA_RUNNING_STATUSES } from '#common/incidents/lifecycle';
import type { WorkCalendar } from '#common/incidents/sla';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';
import type { IncidentService } from './service.ts';

/** Cases looked at per round; the stalest first, and a step written moves a case to the back. */
const BATCH = 5000;

/**
 * The SLA ladder (common/incidents/escalation.ts) run from stored state: every `intervalMs` each node reads
 * the dispatched and in-progress cases and writes the step due for each through the incident service, which
 * decides again on the locked row. Two nodes racing for a step: one writes it, the other finds it set; a node
 * restarted later finds it set too. So each step is applied, and pushed, once. The ladder counts working time
 * in the same live calendar as the deadlines (server/calendar: chinese-days plus the admins' years).
 */
export function startEscalation(deps: {
  store: Store;
  service: IncidentService;
  intervalMs: number;
  now: () => Date;
  calendar: () => WorkCalendar;
  log: Logger;
}): { tick(): Promise<number>; stop(): Promise<void> } {
  const { store, service, log } = deps;
  let inFlight: Promise<number> | null = null;

  async function round(): Promise<number> {
    const now = deps.now();
    const calendar = deps.calendar();
    let applied = 0;
    for (const incident of await store.incidents.listByStatus(SLA_RUNNING_STATUSES, BATCH)) {
      if (!dueEscalation(incident, now, calendar)) continue;
      const stage = await service.escalate(incident.id, now);
      if (stage) {
        applied++;
        log.info({ id: incident.id, stage }, 'SLA ladder step');
      }
    }
    return applied;
  }

  /** One round now (rounds never overlap: a tick during a round waits for it). */
  function tick(): Promise<number> {
    inFlight ??= round().finally(() => (inFlight = null));
    return inFlight;
  }

  const timer = setInterval(() => {
    tick().catch((err: unknown) => log.error({ err }, 'SLA escalation round failed'));
  }, deps.intervalMs);

  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await inFlight?.catch(() => undefined);
    },
  };
}

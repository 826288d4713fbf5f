import type { IncidentAction } from '#common/incidents/history';
import type { Incident, IncidentStatus } from '#common/incidents/types';
import type { RawWorker } from '../geo/grid-facts.ts';
import type { IncidentService } from '../incidents/service.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/types.ts';

/**
 * Simulated people working the simulator's cases through the case flow, with the same rules and guards
 * as real users: a duty dispatcher verifies, files (or rejects false alarms), dispatches to the grid's own
 * worker and checks the result; the worker accepts and reports back. Only the simulator's own incidents are
 * touched, so real or test data never moves by itself.
 */
const NEXT: Partial<Record<IncidentStatus, { action: IncidentAction; by: 'dispatcher' | 'worker'; note?: string }>> = {
  reported: { action: 'verify', by: 'dispatcher' },
  verifying: { action: 'file', by: 'dispatcher' },
  filed: { action: 'dispatch', by: 'dispatcher', note: '请按时限处置并反馈' },
  dispatched: { action: 'accept', by: 'worker' },
  in_progress: { action: 'submit_feedback', by: 'worker', note: '已到场处置完毕' },
  feedback: { action: 'start_check', by: 'dispatcher' },
  checking: { action: 'check_pass', by: 'dispatcher', note: '核查通过，予以结案' },
};

/** Share of cases found to be false alarms at verification, by source (smoke alarms from cooking, AI misreads). */
const FALSE_ALARM: Record<string, number> = { iot: 0.25, video: 0.12, hotline: 0.04, patrol: 0.02 };
const REWORK = 0.06;

/** A stable pseudo-random number in [0, 1) for (incident, step): the same case always takes the same path. */
function unit(id: string, salt: string): number {
  let h = 2166136261;
  for (const ch of id + salt) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return ((h >>> 0) % 10_000) / 10_000;
}

export function startSimulatedWorkflow(deps: {
  store: Store;
  service: IncidentService;
  workers: readonly RawWorker[];
  rootRegionId: string;
  /** Seconds a step waits at least; each case waits between 1× and 4× this. */
  stepSeconds: number;
  /** How often the simulated staff look at their cases. */
  tickMs?: number;
  log: Logger;
}): { stop(): void } {
  const { store, service, log } = deps;
  const workerOfGrid = new Map(deps.workers.filter((w) => w.role === 'grid_worker').map((w) => [w.gridId, w.id]));
  const dispatcher = { id: 'sim-dispatcher', role: 'dispatcher' as const, regionId: deps.rootRegionId };
  let busy = false;

  async function step(incident: Incident, now: Date): Promise<void> {
    const next = NEXT[incident.status];
    if (!next) return;
    const waitMs = deps.stepSeconds * 1000 * (1 + 3 * unit(incident.id, incident.status));
    if (now.getTime() - Date.parse(incident.updatedAt) < waitMs) return;
    let { action, note } = next;
    let assigneeId: string | undefined;
    if (incident.status === 'verifying' && unit(incident.id, 'false') < (FALSE_ALARM[incident.source] ?? 0.05)) {
      action = 'reject';
      note = '现场核实为误报';
    }
    if (incident.status === 'checking' && unit(incident.id, `rework:${incident.updatedAt}`) < REWORK) {
      action = 'rework';
      note = '处置不到位，请返工';
    }
    if (action === 'dispatch') {
      assigneeId = (incident.gridId && workerOfGrid.get(incident.gridId)) || undefined;
      if (!assigneeId) {
        action = 'reject';
        note = '不在本辖区网格内，转有关部门';
      }
    }
    const actor = next.by === 'worker' ? { id: incident.assigneeId ?? '', role: 'worker' as const, regionId: deps.rootRegionId } : dispatcher;
    // The version it read: a change by a person meanwhile wins, and this step is simply refused.
    const r = await service.act(incident.id, action, actor, { note, assigneeId, version: incident.version }, now);
    if (!r.ok) log.debug({ id: incident.id, action, error: r.error }, 'simulated step refused');
  }

  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const now = new Date();
    store.incidents
      .listByStatus(Object.keys(NEXT), 500)
      .then(async (open) => {
        for (const incident of open.filter((i) => i.connectorId === 'simulator')) await step(incident, now);
      })
      .catch((err: unknown) => log.error({ err }, 'simulated workflow failed'))
      .finally(() => (busy = false));
  }, deps.tickMs ?? 2000);

  return { stop: () => clearInterval(timer) };
}

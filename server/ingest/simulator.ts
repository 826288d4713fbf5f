import type { Regions } from '../geo/regions.ts';
import { largestPart } from '../geo/shape.ts';
import type { Logger } from '../log.ts';
import type { Pipeline } from './pipeline.ts';
import { SIM_REPORTERS, SIM_TEMPLATES, type SimTemplate } from './simulator-data.ts';
import { startSimulatedWorkflow } from './simulator-workflow.ts';
import type { SourceRegistry } from './sources.ts';

export const SIMULATOR_ID = 'simulator';

/**
 * Relative report rate by hour of day (China Standard Time), from a quiet night to the morning and afternoon
 * peaks of a street office; scaled so that the day's average is 1 and SIMULATOR_RATE stays the daily mean.
 */
const HOURLY = [0.35, 0.3, 0.3, 0.3, 0.35, 0.45, 0.7, 1.0, 1.35, 1.6, 1.6, 1.45, 1.1, 1.2, 1.45, 1.5, 1.45, 1.35, 1.2, 1.1, 1.0, 0.85, 0.6, 0.45];
const HOURLY_MEAN = HOURLY.reduce((a, b) => a + b, 0) / HOURLY.length;

export function rhythmAt(at: Date): number {
  return HOURLY[(at.getUTCHours() + 8) % 24]! / HOURLY_MEAN;
}

export interface Simulator {
  stop(): void;
}

function pick<T>(items: readonly T[], rnd: () => number): T {
  return items[Math.floor(rnd() * items.length)]!;
}

function pickWeighted(rnd: () => number): SimTemplate {
  const total = SIM_TEMPLATES.reduce((s, t) => s + t.weight, 0);
  let x = rnd() * total;
  for (const t of SIM_TEMPLATES) if ((x -= t.weight) < 0) return t;
  return SIM_TEMPLATES[0]!;
}

/** A plausible upstream event: a random point inside a random grid, so it lands on the map. */
export function simulatedEvent(regions: Regions, n: number, rnd: () => number = Math.random): Record<string, unknown> {
  const grids = regions.features.filter((f) => f.properties.level === 'grid');
  const grid = pick(grids, rnd);
  const ring = largestPart(grid.geometry)[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  let lng = 0, lat = 0;
  for (let tries = 0; tries < 50; tries++) {
    lng = Math.min(...xs) + rnd() * (Math.max(...xs) - Math.min(...xs));
    lat = Math.min(...ys) + rnd() * (Math.max(...ys) - Math.min(...ys));
    if (regions.grids.locate(lng, lat) === grid.properties.id) break;
  }
  const t = pickWeighted(rnd);
  const citizen = t.source === 'hotline';
  return {
    externalId: `sim-${Date.now().toString(36)}-${n}`,
    source: t.source,
    category: t.category,
    title: pick(t.titles, rnd).replace('{place}', grid.properties.name),
    description: citizen ? '市民来电反映，请尽快核实处置。' : '',
    location: { lng: Number(lng.toFixed(6)), lat: Number(lat.toFixed(6)) },
    address: grid.properties.name,
    reporter: citizen ? { name: pick(SIM_REPORTERS, rnd), phone: `139${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}` } : null,
  };
}

/**
 * The built-in stand-in for upstream systems: feeds events through the same pipeline real connectors use,
 * at `ratePerMinute` on average (exponential gaps), the first one within a second of starting.
 */
export function startSimulator(deps: {
  pipeline: Pipeline;
  regions: Regions;
  sources: SourceRegistry;
  ratePerMinute: number;
  /** Simulated dispatcher and grid workers moving the simulator's cases through the case flow. */
  workflow: Omit<Parameters<typeof startSimulatedWorkflow>[0], 'log'>;
  log: Logger;
}): Simulator {
  const { pipeline, regions, sources, log } = deps;
  sources.register(SIMULATOR_ID, 'simulator', 'connected');
  let n = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const meanGapMs = () => 60_000 / Math.max(deps.ratePerMinute * rhythmAt(new Date()), 0.001);

  const tick = async () => {
    if (stopped) return;
    try {
      await pipeline.submit(SIMULATOR_ID, [simulatedEvent(regions, ++n)]);
    } catch (err) {
      log.error({ err }, 'simulator submit failed');
    }
    schedule(-Math.log(1 - Math.random()) * meanGapMs());
  };
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void tick(), Math.min(ms, meanGapMs() * 5));
  };
  if (deps.ratePerMinute > 0) schedule(Math.min(1000, meanGapMs()));
  const workflow = startSimulatedWorkflow({ ...deps.workflow, log });
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      workflow.stop();
      sources.setStatus(SIMULATOR_ID, 'disabled');
    },
  };
}

import type { Regions } from '../geo/regions.ts';
import type { Logger } from '../log.ts';
import type { Pipeline } from './pipeline.ts';
import { SIM_REPORTERS, SIM_TEMPLATES, type SimTemplate } from './simulator-data.ts';
import type { SourceRegistry } from './sources.ts';

export const SIMULATOR_ID = 'simulator';

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
  const ring = grid.geometry.coordinates[0]!;
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
  log: Logger;
}): Simulator {
  const { pipeline, regions, sources, log } = deps;
  sources.register(SIMULATOR_ID, 'simulator', 'connected');
  let n = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const meanGapMs = 60_000 / Math.max(deps.ratePerMinute, 0.001);

  const tick = async () => {
    if (stopped) return;
    try {
      await pipeline.submit(SIMULATOR_ID, [simulatedEvent(regions, ++n)]);
    } catch (err) {
      log.error({ err }, 'simulator submit failed');
    }
    schedule(-Math.log(1 - Math.random()) * meanGapMs);
  };
  const schedule = (ms: number) => {
    if (!stopped) timer = setTimeout(() => void tick(), Math.min(ms, meanGapMs * 5));
  };
  if (deps.ratePerMinute > 0) schedule(Math.min(1000, meanGapMs));
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      sources.setStatus(SIMULATOR_ID, 'disabled');
    },
  };
}

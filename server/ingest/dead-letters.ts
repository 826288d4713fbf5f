/**
 * Dead letters under attack: what an upstream sends that we refuse is kept for an admin to read, but a broken or
 * hostile upstream must not be able to fill the disk or crash the server with it. So:
 * - bodies nested deeper than MAX_BODY_DEPTH are refused before any code walks them recursively;
 * - payloads are kept as a bounded rendering (depth, items and characters cut, never recursion past a few levels);
 * - at most `capPerHour` dead letters per connector per clock hour are stored; the rest are only counted;
 * - dead letters older than the retention period are pruned.
 */
import type { RejectStore } from '../store/types.ts';

export const MAX_BODY_DEPTH = 32;
export const DEAD_LETTER_CAP_PER_HOUR = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Whether `value` nests objects/arrays deeper than `max` (iterative: a 100,000-deep body cannot overflow it). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) return true;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

const RENDER_DEPTH = 8;
const RENDER_ITEMS = 200;
export const RENDER_CHARS = 65_536;

/**
 * A JSON-like rendering of any payload for the dead-letter store, bounded in depth, items and length: deeper levels
 * become "…", long arrays and objects are cut, and the text is truncated. Recursion never goes past RENDER_DEPTH.
 */
export function renderPayload(payload: unknown, maxChars = RENDER_CHARS): string {
  if (typeof payload === 'string') return payload.slice(0, maxChars);
  if (Buffer.isBuffer(payload)) return payload.toString('utf8').slice(0, maxChars);
  let budget = maxChars + 1;
  const out: string[] = [];
  const emit = (s: string) => {
    if (budget <= 0) return;
    out.push(s.slice(0, budget));
    budget -= s.length;
  };
  const walk = (v: unknown, depth: number): void => {
    if (budget <= 0) return;
    if (v === null || typeof v !== 'object') {
      emit(typeof v === 'string' ? JSON.stringify(v.slice(0, maxChars)) : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? 'null' : `"(${typeof v})"`);
      return;
    }
    if (depth >= RENDER_DEPTH) return emit('"…"');
    const array = Array.isArray(v);
    const entries = array ? (v as unknown[]).map((x, i) => [String(i), x] as const) : Object.entries(v);
    emit(array ? '[' : '{');
    entries.slice(0, RENDER_ITEMS).forEach(([k, x], i) => {
      if (i) emit(',');
      if (!array) emit(`${JSON.stringify(k.slice(0, 200))}:`);
      walk(x, depth + 1);
    });
    if (entries.length > RENDER_ITEMS) emit(`,"… ${entries.length - RENDER_ITEMS} more"`);
    emit(array ? ']' : '}');
  };
  walk(payload, 0);
  const text = out.join('');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

export interface DroppedDeadLetters {
  connectorId: string;
  /** Start of the clock hour (ISO). */
  hour: string;
  stored: number;
  dropped: number;
}

/** A RejectStore that keeps at most `capPerHour` per connector per clock hour (per node) and counts the rest. */
export interface CappedRejectStore extends RejectStore {
  /** Counters of the last 24 hours that dropped anything, newest first. */
  dropped(connectorId?: string | null): DroppedDeadLetters[];
}

export function capDeadLetters(inner: RejectStore, capPerHour = DEAD_LETTER_CAP_PER_HOUR): CappedRejectStore {
  type Counter = { connectorId: string; hour: number; stored: number; dropped: number; seeded: Promise<void> };
  const counts = new Map<string, Counter>();
  return {
    ...inner,
    add: async (connectorId, reason, payload, now) => {
      const hour = Math.floor(now.getTime() / HOUR) * HOUR;
      const key = `${connectorId}\u0000${hour}`;
      let c = counts.get(key);
      if (!c) {
        for (const [k, old] of counts) if (old.hour < hour - DAY) counts.delete(k);
        // Seeded from the store, so a restart (or another node's share, as of now) counts against the hour too.
        const counter: Counter = { connectorId, hour, stored: 0, dropped: 0, seeded: Promise.resolve() };
        counter.seeded = inner.countSince(connectorId, new Date(hour)).then(
          (n) => void (counter.stored += n),
          () => undefined,
        );
        counts.set(key, (c = counter));
      }
      await c.seeded;
      if (c.stored >= capPerHour) {
        c.dropped++;
        return;
      }
      c.stored++;
      await inner.add(connectorId, reason, payload.length > RENDER_CHARS ? payload.slice(0, RENDER_CHARS) : payload, now);
    },
    dropped: (connectorId) =>
      [...counts.values()]
        .filter((c) => c.dropped > 0 && (!connectorId || c.connectorId === connectorId))
        .sort((a, b) => b.hour - a.hour)
        .map((c) => ({ connectorId: c.connectorId, hour: new Date(c.hour).toISOString(), stored: c.stored, dropped: c.dropped })),
  };
}

/** Deletes dead letters older than `retentionDays` before `now`; returns how many. */
export function pruneDeadLetters(rejects: RejectStore, now: Date, retentionDays: number): Promise<number> {
  return rejects.prune(new Date(now.getTime() - retentionDays * DAY));
}

/** Prunes once at start and then every hour (unref'd); `stop()` ends it. */
export function startDeadLetterPruning(rejects: RejectStore, retentionDays: number, onError: (err: unknown) => void): { stop(): void } {
  const run = () => void pruneDeadLetters(rejects, new Date(), retentionDays).catch(onError);
  run();
  const timer = setInterval(run, HOUR);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

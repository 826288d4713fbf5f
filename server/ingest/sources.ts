import type { SourceHealth } from '#common/realtime/events';

type Listener = (sources: SourceHealth[]) => void;

/** Health of every connector: status, last message, counters. */
export class SourceRegistry {
  private readonly sources = new Map<string, SourceHealth>();
  private readonly listeners = new Set<Listener>();

  register(id: string, kind: string, status: SourceHealth['status']): void {
    this.sources.set(id, { id, kind, status, lastMessageAt: null, errors: 0, accepted: 0 });
    this.changed();
  }

  setStatus(id: string, status: SourceHealth['status']): void {
    const s = this.sources.get(id);
    if (s && s.status !== status) {
      s.status = status;
      this.changed();
    }
  }

  record(id: string, accepted: number, errors: number, at: Date): void {
    const s = this.sources.get(id);
    if (!s) return;
    s.accepted += accepted;
    s.errors += errors;
    s.lastMessageAt = at.toISOString();
    this.changed();
  }

  list(): SourceHealth[] {
    return [...this.sources.values()].map((s) => ({ ...s }));
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    if (this.listeners.size === 0) return;
    const snapshot = this.list();
    for (const l of this.listeners) l(snapshot);
  }
}

import { defineStore } from 'pinia';
import { computed, onScopeDispose, ref, shallowRef } from 'vue';
import type { IncidentAction, LastChange } from '#common/incidents/history';
import type { Incident } from '#common/incidents/types';
import type { IncidentDetail } from '#common/incidents/detail';
import { api, HttpError } from '../api/http';
import { clientId } from '../api/ids';
import { useIncidentsStore } from './incidents';
import { useMapStore } from './map';
import type { Candidate, Party } from '#common/dispatch/types';
import { useSessionStore } from './session';
import * as Q from './queue-filter';

export type { IncidentDetail };
export interface RosterWorker { id: string; name: string; gridId: string | null; regionId: string | null; onDuty: boolean; openCases: number }
/** A section whose route may not exist on this server yet: `missing` hides it with a note. */
export type Optional<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'missing' } | { state: 'error'; message: string };
export interface ActionToast { kind: 'conflict' | 'error' | 'done'; text: string; params?: Record<string, string> }

/** Optimistic-concurrency version (contract field; older servers do not send it). */
export const versionOf = (i: Incident): number => i.version;

/**
 * The dispatch workspace: queue tab, filters, search and sort over the live incidents store (pure functions in
 * queue-filter.ts), the selected incident (the map store's one field) with its detail, and the actions sent.
 */
export const useConsoleStore = defineStore('console', () => {
  const incidents = useIncidentsStore();
  const map = useMapStore();
  const session = useSessionStore();

  const tab = ref<Q.QueueTab>('intake');
  const filters = ref<Q.QueueFilters>(Q.emptyFilters());
  const sort = ref<Q.QueueSort>('sla');
  /** The countdown clock, one tick a second for every row and the drawer. */
  const now = ref(Date.now());
  const timer = setInterval(() => (now.value = Date.now()), 1000);
  onScopeDispose(() => clearInterval(timer));

  const me = computed(() => {
    const u = session.user as (typeof session.user & { workerId?: string | null }) | null;
    return u?.workerId ?? u?.id ?? null;
  });
  // The queue follows the store's version (not the 1 s tick) so a row does not jump tabs every second;
  // overdue rows move on the next change or on a tab switch.
  const queue = computed(() => {
    void incidents.version;
    return Q.buildQueue(incidents.list, tab.value, filters.value, sort.value, me.value, Date.now());
  });
  const counts = computed(() => {
    void incidents.version;
    void Math.floor(now.value / 10_000);
    return Q.countTabs(incidents.list, Date.now());
  });

  const selectedId = computed(() => map.selectedIncidentId);
  // The newer of the live copy and the one the drawer fetched (an action's reply lands before its push).
  const selected = computed<Incident | null>(() => {
    void incidents.version;
    const id = selectedId.value;
    if (!id) return null;
    const live = incidents.state.byId.get(id);
    const fetched = detail.value?.incident.id === id ? detail.value.incident : undefined;
    if (!live || !fetched) return live ?? fetched ?? null;
    return fetched.updatedAt > live.updatedAt ? fetched : live;
  });
  const detail = shallowRef<IncidentDetail | null>(null);
  const detailError = ref<string | null>(null);
  const candidates = shallowRef<Optional<Candidate[]>>({ state: 'loading' });
  const workers = shallowRef<Optional<RosterWorker[]>>({ state: 'loading' });
  const parties = shallowRef<Optional<Party[]>>({ state: 'loading' });
  const toast = shallowRef<ActionToast | null>(null);
  const busy = ref(false);

  async function optional<T>(path: string, pick: (r: { items: T }) => T): Promise<Optional<T>> {
    try {
      return { state: 'ok', data: pick(await api<{ items: T }>(path)) };
    } catch (err) {
      if (err instanceof HttpError && (err.status === 404 || err.status === 501)) return { state: 'missing' };
      return { state: 'error', message: (err as Error).message };
    }
  }

  /** Select (or clear) an incident: the map flies there, the queue scrolls, the drawer loads its detail. */
  function select(id: string | null): void {
    const inc = id ? incidents.state.byId.get(id) : undefined;
    map.selectIncident(id, inc?.location);
    detail.value = null;
    detailError.value = null;
    if (id) void load(id);
  }

  async function load(id: string): Promise<void> {
    try {
      const d = await api<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`);
      if (selectedId.value !== id) return;
      detail.value = d;
      if (!incidents.state.byId.has(id)) map.selectIncident(id, d.incident.location);
      void loadDispatch(d.incident);
    } catch (err) {
      if (selectedId.value === id) detailError.value = (err as Error).message;
    }
  }

  /** Who can take the case (candidates only while it waits for dispatch or a check), and the roster and parties the
   *  drawer names the holders from. */
  async function loadDispatch(i: Incident): Promise<void> {
    const needsCandidates = i.status === 'filed' || i.status === 'checking';
    if (needsCandidates) candidates.value = { state: 'loading' };
    const q = new URLSearchParams({ category: i.category, ...(i.gridId ? { regionId: i.gridId } : {}) });
    const [c, w, p] = await Promise.all([
      needsCandidates ? optional<Candidate[]>(`/api/incidents/${encodeURIComponent(i.id)}/candidates?limit=10`, (r) => r.items) : null,
      workers.value.state === 'ok' ? workers.value : optional<RosterWorker[]>('/api/workers', (r) => r.items),
      optional<Party[]>(`/api/parties?${q}`, (r) => r.items),
    ]);
    if (selectedId.value !== i.id) return;
    if (c) candidates.value = c;
    workers.value = w;
    parties.value = p;
  }

  /** Move the selection along the queue (J / K). */
  function step(delta: 1 | -1): void {
    const list = queue.value;
    if (!list.length) return;
    const at = list.findIndex((i) => i.id === selectedId.value);
    const next = at < 0 ? 0 : Math.min(list.length - 1, Math.max(0, at + delta));
    select(list[next]!.id);
  }

  /**
   * Send one action with the incident's version and a fresh Idempotency-Key (one per click: a network retry of
   * the same click replays, a second click is a second intent). A 409 reloads the incident and says who changed it.
   */
  async function act(action: IncidentAction | string, input: Record<string, unknown> = {}): Promise<boolean> {
    const inc = selected.value;
    if (!inc || busy.value) return false;
    busy.value = true;
    try {
      const body = { action, version: versionOf(inc), ...input };
      const r = await api<{ incident: Incident }>(`/api/incidents/${encodeURIComponent(inc.id)}/actions`, {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': clientId() },
      });
      detail.value = detail.value && { ...detail.value, incident: r.incident };
      toast.value = { kind: 'done', text: `action.${action}` };
      await load(inc.id);
      return true;
    } catch (err) {
      if (err instanceof HttpError && err.error.code === 'incident/conflict') {
        const last = (err.error as { lastChange?: LastChange }).lastChange;
        const at = last ? new Date(last.at).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';
        toast.value = { kind: 'conflict', text: 'desk.conflict', params: { actor: last?.actorName ?? last?.actorId ?? '?', action: last?.action ?? '?', at } };
        await load(inc.id);
      } else {
        toast.value = { kind: 'error', text: (err as Error).message };
      }
      return false;
    } finally {
      busy.value = false;
    }
  }

  return { tab, filters, sort, now, me, queue, counts, selectedId, selected, detail, detailError, candidates, workers, parties, toast, busy, select, step, act, load };
});

import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { HistoryEntry } from '#common/incidents/history';
import type { Incident, IncidentReport } from '#common/incidents/types';
import { expectedStatus } from '#common/mobile/queue';
import { myTasks, newestById, sentTo } from '#common/mobile/tasks';
import type { MyTasksReply } from '#common/mobile/report';
import { api } from '../api/http';
import { useIncidentsStore } from './incidents';
import { useOutboxStore } from './outbox';
import { fieldDb } from './outbox-db';
import { useSessionStore } from './session';

export interface TaskDetail {
  incident: Incident;
  history: HistoryEntry[];
  reports: IncidentReport[];
}

/**
 * The grid worker's tasks: the live incidents store (socket snapshot and pushes of their region, plus pushes to
 * their own room for cases elsewhere) joined with GET /api/me/tasks and the last copy kept on the phone; the
 * highest version of each case wins. Also the phone's position, for distances.
 */
export const useFieldStore = defineStore('field', () => {
  const incidents = useIncidentsStore();
  const session = useSessionStore();
  const outbox = useOutboxStore();
  /** Cases learnt outside the socket: REST, action replies, the offline copy. */
  const extra = shallowRef(new Map<string, Incident>());
  const details = shallowRef(new Map<string, TaskDetail>());
  const fromCache = ref(false);
  const position = shallowRef<{ lng: number; lat: number; accuracy: number } | null>(null);
  const positionError = ref<string | null>(null);
  const now = ref(Date.now());

  const me = computed(() => ({ id: session.user?.id ?? '', workerId: session.user?.workerId ?? null }));
  /** Every known case, newest version each, with the status the worker's queued actions lead to. */
  const known = computed(() => {
    void incidents.version;
    const merged = newestById(extra.value.values(), incidents.state.byId.values());
    const items = outbox.items;
    const out = new Map<string, Incident>();
    for (const [id, i] of merged) out.set(id, { ...i, status: expectedStatus(items, id, i.status) });
    return out;
  });
  const tasks = computed(() => myTasks(known.value.values(), me.value));

  function remember(list: readonly Incident[]): void {
    const next = new Map(extra.value);
    for (const i of list) {
      const had = next.get(i.id);
      if (!had || i.version >= had.version) next.set(i.id, i);
    }
    extra.value = next;
    void persist(list);
  }

  async function persist(list: readonly Incident[]): Promise<void> {
    if (!session.user) return;
    const db = await fieldDb(session.user.id);
    const tx = db.transaction('tasks', 'readwrite');
    for (const i of list) if (sentTo(i, me.value)) await tx.store.put(i);
    await tx.done;
  }

  /** The offline copy first (the app opens with no network), then the server's list. */
  async function load(): Promise<void> {
    if (!session.user) return;
    const db = await fieldDb(session.user.id);
    const cached = await db.getAll('tasks');
    if (cached.length) remember(cached);
    try {
      const reply = await api<MyTasksReply>('/api/me/tasks');
      fromCache.value = false;
      // Cases no longer mine drop out of the offline copy.
      const ids = new Set(reply.items.map((i) => i.id));
      const tx = db.transaction('tasks', 'readwrite');
      for (const key of await tx.store.getAllKeys()) if (!ids.has(key)) await tx.store.delete(key);
      await tx.done;
      const next = new Map(extra.value);
      for (const key of next.keys()) if (!ids.has(key)) next.delete(key);
      extra.value = next;
      remember(reply.items);
    } catch {
      fromCache.value = true;
    }
  }

  async function loadDetail(id: string): Promise<TaskDetail | null> {
    if (!session.user) return null;
    const db = await fieldDb(session.user.id);
    const cached = await db.get('details', id);
    if (cached) details.value = new Map(details.value).set(id, cached.data as TaskDetail);
    try {
      const d = await api<TaskDetail>(`/api/incidents/${encodeURIComponent(id)}`);
      details.value = new Map(details.value).set(id, d);
      remember([d.incident]);
      await db.put('details', { id, data: JSON.parse(JSON.stringify(d)) as unknown, at: Date.now() });
      return d;
    } catch {
      return cached ? (cached.data as TaskDetail) : null;
    }
  }

  let watching = false;
  /** The phone's position while the app is open (distances, the report's place). */
  function watchPosition(): void {
    if (watching || !('geolocation' in navigator)) return;
    watching = true;
    navigator.geolocation.watchPosition(
      (p) => {
        position.value = { lng: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy };
        positionError.value = null;
      },
      (err) => (positionError.value = err.message),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 20_000 },
    );
  }

  let ticking = false;
  function tick(): void {
    if (ticking) return;
    ticking = true;
    setInterval(() => (now.value = Date.now()), 1000);
  }

  function byId(id: string): Incident | null {
    return known.value.get(id) ?? null;
  }

  return { tasks, known, details, fromCache, position, positionError, now, me, remember, load, loadDetail, watchPosition, tick, byId };
});

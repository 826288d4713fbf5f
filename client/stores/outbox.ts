import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { IncidentAction } from '#common/incidents/history';
import type { Incident } from '#common/incidents/types';
import {
  afterReply,
  classify,
  makeItem,
  mediaTarget,
  nextToSend,
  pending,
  pendingCount as countPending,
  versionFor,
  type OutboxItem,
  type ReportPayload,
  type VisitPayload,
} from '#common/mobile/queue';
import type { PatrolReportResult } from '#common/mobile/report';
import { clientId } from '../api/ids';
import { fieldDb } from './outbox-db';
import { useSessionStore } from './session';

/** A client-made id (also the Idempotency-Key); api/ids.ts says why not crypto.randomUUID. */
export { clientId };

interface Reply {
  status: number;
  body: unknown;
}

/**
 * The phone's outbox (IndexedDB): every action, street report and photo goes through it, online or not, and is
 * sent in order (common/mobile/queue.ts decides order, retries and what a reply means). Sending starts on enqueue,
 * when the link comes back (`online`), and on a timer while anything waits.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const session = useSessionStore();
  const items = shallowRef<OutboxItem[]>([]);
  const needsSignIn = ref(false);
  const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
  const pendingCount = computed(() => countPending(items.value));
  const failures = computed(() => items.value.filter((i) => i.state === 'failed'));
  /** Report client id → incident, learnt as reports go out. */
  const reportIncidents = shallowRef(new Map<string, string>());
  /** Told of each incident an action's reply carries (the task list shows it at once). */
  let onIncident: (incident: Incident) => void = () => undefined;

  const db = () => fieldDb(session.user!.id);

  async function load(): Promise<void> {
    if (!session.user) return;
    const d = await db();
    items.value = (await d.getAll('outbox')).sort((a, b) => a.seq - b.seq);
    reportIncidents.value = new Map((await d.getAll('reports')).map((r) => [r.id, r.incidentId]));
    bind();
    void flush();
  }

  async function put(item: OutboxItem): Promise<void> {
    await (await db()).put('outbox', item);
    items.value = [...items.value.filter((i) => i.id !== item.id), item].sort((a, b) => a.seq - b.seq);
  }

  async function drop(id: string): Promise<void> {
    const d = await db();
    const item = items.value.find((i) => i.id === id);
    await d.delete('outbox', id);
    if (item?.kind === 'media') await d.delete('blobs', item.payload.blobKey);
    items.value = items.value.filter((i) => i.id !== id);
  }

  async function addPhotos(photos: readonly Blob[], target: { incidentId: string | null; reportId: string | null; parentId: string }): Promise<void> {
    for (const photo of photos) {
      const id = clientId();
      await (await db()).put('blobs', photo, id);
      const name = photo instanceof File ? photo.name : 'photo.jpg';
      await put(makeItem(items.value, 'media', id, { ...target, blobKey: id, name, type: photo.type || 'image/jpeg' }, Date.now()));
    }
  }

  /**
   * A case action on the version the worker saw (advanced past their own queued actions), its photos queued just
   * before it: the desk reads the feedback with its photos already there (an upload does not change the version).
   */
  async function action(incident: Incident, act: IncidentAction, input: { note?: string; dueAt?: string } = {}, photos: readonly Blob[] = []): Promise<void> {
    const version = versionFor(items.value, incident.id, incident.version);
    const payload = { incidentId: incident.id, action: act, version, ...(input.note ? { note: input.note } : {}), ...(input.dueAt ? { dueAt: input.dueAt } : {}) };
    const id = clientId();
    await addPhotos(photos, { incidentId: incident.id, reportId: null, parentId: id });
    await put(makeItem(items.value, 'action', id, payload, Date.now()));
    void flush();
  }

  async function report(payload: Omit<ReportPayload, 'reportedAt'>, photos: readonly Blob[]): Promise<string> {
    const id = clientId();
    await put(makeItem(items.value, 'report', id, { ...payload, reportedAt: new Date().toISOString() }, Date.now()));
    await addPhotos(photos, { incidentId: null, reportId: id, parentId: id });
    void flush();
    return id;
  }

  /** A caring visit: queued like everything else, its client id the Idempotency-Key. */
  async function visit(payload: VisitPayload): Promise<string> {
    const id = clientId();
    await put(makeItem(items.value, 'visit', id, payload, Date.now()));
    void flush();
    return id;
  }

  async function send(item: OutboxItem): Promise<Reply | 'blocked' | 'orphan'> {
    const headers: Record<string, string> = { Accept: 'application/json', 'Idempotency-Key': item.id };
    if (session.token) headers.Authorization = `Bearer ${session.token}`;
    let url: string;
    let body: BodyInit;
    if (item.kind === 'action') {
      const { incidentId, ...rest } = item.payload;
      url = `/api/incidents/${encodeURIComponent(incidentId)}/actions`;
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(rest);
    } else if (item.kind === 'report') {
      url = '/api/me/reports';
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify({ id: item.id, ...item.payload });
    } else if (item.kind === 'visit') {
      url = '/api/visits';
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify({ ...item.payload, visitorKind: 'worker' });
    } else {
      const target = mediaTarget(item.payload, reportIncidents.value, items.value);
      if (target === 'blocked' || target === 'orphan') return target;
      const blob = await (await db()).get('blobs', item.payload.blobKey);
      if (!blob) return 'orphan';
      const form = new FormData();
      form.append('file', blob, item.payload.name);
      url = `/api/incidents/${encodeURIComponent(target.incidentId)}/media`;
      body = form;
    }
    try {
      const res = await fetch(url, { method: 'POST', headers, body });
      const data: unknown = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
      return { status: res.status, body: data };
    } catch {
      return { status: 0, body: null };
    }
  }

  async function settle(item: OutboxItem, reply: Reply): Promise<void> {
    const error = (reply.body as { error?: { code: string; message: string } } | null)?.error ?? null;
    const outcome = classify(reply.status, error?.code ?? null);
    if (outcome === 'auth') needsSignIn.value = true;
    if (outcome === 'done') {
      if (item.kind === 'report') {
        const r = reply.body as PatrolReportResult;
        await (await db()).put('reports', { id: item.id, incidentId: r.incidentId });
        reportIncidents.value = new Map(reportIncidents.value).set(item.id, r.incidentId);
      }
      if (item.kind === 'action') {
        const incident = (reply.body as { incident?: Incident } | null)?.incident;
        if (incident) onIncident(incident);
      }
    }
    if (outcome === 'conflict' || outcome === 'rejected') {
      const current = (error as { current?: Incident } | null)?.current;
      if (current) onIncident(current);
    }
    const next = afterReply(item, outcome, error ?? (reply.status ? { code: `http/${reply.status}`, message: '' } : null), Date.now(), Math.random());
    if (next === null) await drop(item.id);
    else if (next !== item) await put(next);
  }

  let running = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Send what waits, in order, one at a time; a call made while a round runs asks for one more round. */
  async function flush(): Promise<void> {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await round();
      } while (again);
    } finally {
      running = false;
    }
  }

  async function round(): Promise<void> {
    while (session.user && !needsSignIn.value) {
      const next = nextToSend(items.value, Date.now());
      if (!next) return;
      if ('wait' in next) {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => void flush(), next.wait);
        return;
      }
      const reply = await send(next.item);
      if (reply === 'blocked') return;
      if (reply === 'orphan') {
        await put({ ...next.item, state: 'failed', failure: { outcome: 'rejected', code: 'outbox/orphan', message: '' } });
        continue;
      }
      online.value = reply.status !== 0;
      await settle(next.item, reply);
    }
  }

  /** The link is back: what waited for a backoff goes now. */
  async function retryNow(): Promise<void> {
    const head = pending(items.value)[0];
    if (head && head.nextAt > Date.now()) await put({ ...head, nextAt: Date.now() });
    void flush();
  }

  let bound = false;
  function bind(): void {
    if (bound) return;
    bound = true;
    window.addEventListener('online', () => {
      online.value = true;
      void retryNow();
    });
    window.addEventListener('offline', () => (online.value = false));
  }

  function onIncidentReply(fn: (incident: Incident) => void): void {
    onIncident = fn;
  }

  function signedIn(): void {
    needsSignIn.value = false;
    void flush();
  }

  return {
    items, pendingCount, failures, needsSignIn, online, reportIncidents,
    load, action, report, visit, flush, retryNow, dismiss: drop, onIncidentReply, signedIn,
  };
});

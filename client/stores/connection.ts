import { defineStore } from 'pinia';
import { errorMessage, screenLocale } from '../i18n/error-table';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type { Snapshot, SyncResult } from '#common/realtime/events';
import { AUTH_UNAUTHORIZED, RATE_LIMITED } from '#common/realtime/events';
import { request, setTokenProvider, socket } from '../realtime/socket';
import { useDashboardStore } from './dashboard';
import { useIncidentsStore } from './incidents';
import { useSessionStore } from './session';
import * as R from './connection-reducer';

/**
 * The link to the server: status, last seq, last heartbeat. It owns the subscribe / resync protocol:
 * a snapshot on the first connect, `sync:since` on every reconnect and whenever a heartbeat shows the
 * server ahead of us.
 */
export const useConnectionStore = defineStore('connection', () => {
  const state = shallowRef(R.initialConnection());
  const now = ref(Date.now());
  const regionId = ref<string | null>(null);
  const lastError = ref<string | null>(null);
  const freshness = computed(() => R.freshness(state.value, now.value));
  const update = (fn: (s: R.ConnectionState) => void) => {
    fn(state.value);
    triggerRef(state);
  };

  const incidents = useIncidentsStore();
  const dashboard = useDashboardStore();
  const session = useSessionStore();

  function applySnapshot(s: Snapshot): void {
    regionId.value = s.regionId;
    incidents.snapshot(s.seq, s.incidents);
    dashboard.setSnapshot(s.regionId, s.kpis, s.sources);
    update((c) => R.onApplied(c, s.seq, true));
  }

  function applySync(r: SyncResult): void {
    if (r.mode === 'snapshot') return applySnapshot(r.snapshot);
    incidents.applyChanges(r.changes, true);
    incidents.advance(r.seq);
    update((c) => R.onApplied(c, r.seq, false));
  }

  async function subscribe(target?: string): Promise<void> {
    // A switch made while the previous one still runs is refused `rate/limited` (server/realtime/limits.ts): try
    // again shortly, or the screen would stay in the old region's room and miss its pushes.
    for (let attempt = 0; ; attempt++) {
      const reply = await request('scope:subscribe', target ? { regionId: target } : {});
      if (reply.ok) return applySnapshot(reply.data);
      if (reply.error.code !== RATE_LIMITED || attempt >= 5) throw new Error(errorMessage(reply.error.code, screenLocale()));
      await new Promise((r) => setTimeout(r, 600));
    }
  }

  let subscribing: Promise<void> | null = null;
  /** The snapshot of a new session; one at a time, retried on the next heartbeat when refused. */
  function firstSubscribe(): Promise<void> {
    subscribing ??= subscribe(regionId.value ?? undefined)
      .catch((err: Error) => {
        lastError.value = err.message;
      })
      .finally(() => (subscribing = null));
    return subscribing;
  }

  let syncing: Promise<void> | null = null;
  /** One resync at a time; a request made while one runs is served by it. */
  function resync(): Promise<void> {
    syncing ??= (async () => {
      try {
        const reply = await request('sync:since', { seq: state.value.lastSeq, regionId: regionId.value ?? undefined });
        if (reply.ok) applySync(reply.data);
        else lastError.value = errorMessage(reply.error.code, screenLocale());
      } catch (err) {
        lastError.value = (err as Error).message;
      } finally {
        syncing = null;
      }
    })();
    return syncing;
  }

  let bound = false;
  function bindEvents(): void {
    if (bound) return;
    bound = true;
    setTokenProvider(() => session.token);
    incidents.bindEvents((seq) => update((c) => R.onApplied(c, seq, false)));
    dashboard.bindEvents();
    socket.on('connect', () => {
      update((c) => R.onConnected(c, Date.now()));
      lastError.value = null;
      const first = !state.value.hasSnapshot;
      void (first ? firstSubscribe() : resync());
    });
    socket.on('disconnect', () => update(R.onDisconnected));
    socket.io.on('reconnect_attempt', () => update(R.onConnecting));
    socket.on('connect_error', (err) => {
      if (err.message === AUTH_UNAUTHORIZED) {
        update(R.onUnauthorized);
        session.clear();
      } else {
        update(R.onDisconnected);
      }
      // Socket.IO hands over the server's code (auth/unauthorized) or a transport error: show our text.
      lastError.value = /^[a-z_]+\/[a-z_]+$/.test(err.message) ? errorMessage(err.message, screenLocale()) : err.message;
    });
    socket.on('system:heartbeat', (hb) => {
      // The first subscribe was refused (e.g. `rate/limited` while many screens reconnect at once): try again.
      if (!state.value.hasSnapshot) return void firstSubscribe();
      let behind = false;
      update((c) => (behind = R.onHeartbeat(c, hb, Date.now())));
      if (behind) void resync();
    });
    // One app-wide clock for staleness; the stores live as long as the page.
    setInterval(() => (now.value = Date.now()), 1000);
  }

  function connect(): void {
    bindEvents();
    if (socket.connected) return;
    update(R.onConnecting);
    socket.connect();
  }

  /** Sign-out: drop the link and everything learnt through it; listeners stay bound for the next session. */
  function disconnect(): void {
    socket.disconnect();
    state.value = R.initialConnection();
    regionId.value = null;
  }

  /** Follow another region (drill-down): a fresh snapshot of it. */
  async function switchRegion(target: string): Promise<void> {
    await subscribe(target);
  }

  return { state, freshness, regionId, lastError, connect, disconnect, switchRegion, resync };
});

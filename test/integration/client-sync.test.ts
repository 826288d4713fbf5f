import { createPinia, setActivePinia } from 'pinia';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { socket as ClientSocket } from '../../client/realtime/socket';
import type { useConnectionStore as ConnectionStore } from '../../client/stores/connection';
import type { useDashboardStore as DashboardStore } from '../../client/stores/dashboard';
import type { useIncidentsStore as IncidentsStore } from '../../client/stores/incidents';
import { event, ingest, login, startApp, type Running } from './helpers';

/**
 * The real client stores (connection, incidents, dashboard) against a real server: socket.io-client runs
 * in Node as in the browser; `location` and `localStorage` are the only browser parts they need.
 */
let app: Running;
type Stores = {
  connection: ReturnType<typeof ConnectionStore>;
  incidents: ReturnType<typeof IncidentsStore>;
  dashboard: ReturnType<typeof DashboardStore>;
  socket: typeof ClientSocket;
};
let s: Stores;

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  app = await startApp();
  const memory = new Map<string, string>();
  Object.assign(globalThis, {
    location: new URL(app.url),
    localStorage: {
      getItem: (k: string) => memory.get(k) ?? null,
      setItem: (k: string, v: string) => void memory.set(k, v),
      removeItem: (k: string) => void memory.delete(k),
    },
  });
  setActivePinia(createPinia());
  const { useSessionStore } = await import('../../client/stores/session');
  const { useConnectionStore } = await import('../../client/stores/connection');
  const { useIncidentsStore } = await import('../../client/stores/incidents');
  const { useDashboardStore } = await import('../../client/stores/dashboard');
  const { socket } = await import('../../client/realtime/socket');
  const session = useSessionStore();
  const { token, user } = await login(app.url);
  session.token = token;
  session.user = user;
  s = { connection: useConnectionStore(), incidents: useIncidentsStore(), dashboard: useDashboardStore(), socket };
});

afterAll(async () => {
  s?.connection.disconnect();
  await app.stop();
});

describe('client stores bound to the socket', () => {
  it('subscribes on connect and applies the snapshot', async () => {
    await ingest(app.url, [event(1), event(2)]);
    s.connection.connect();
    await until(() => s.connection.state.hasSnapshot, 'snapshot');
    expect(s.incidents.list.map((i) => i.description)).toEqual(['测试事件 2', '测试事件 1']);
    expect(s.connection.state.lastSeq).toBe(2);
    expect(s.dashboard.kpis?.open).toBe(2);
    expect(s.connection.freshness).toBe('live');
  });

  it('applies live pushes and advances lastSeq', async () => {
    await ingest(app.url, event(3));
    await until(() => s.incidents.list.length === 3, 'live push');
    expect(s.connection.state.lastSeq).toBe(3);
  });

  it('resyncs through sync:since after a reconnect, without a new snapshot', async () => {
    const engine = s.socket.io.engine;
    // Missed while the link is down: the server goes on committing.
    s.socket.io.reconnectionDelay(50);
    engine.close();
    await until(() => s.connection.state.status === 'reconnecting' || s.connection.state.status === 'connected', 'drop');
    await ingest(app.url, Array.from({ length: 20 }, (_, i) => event(100 + i)));
    await until(() => s.incidents.list.length === 23, 'resync after reconnect', 10_000);
    expect(s.connection.state.reconnects).toBeGreaterThanOrEqual(1);
    expect(s.connection.state.lastSeq).toBe(23);
    expect(s.connection.state.snapshots).toBe(1);
    // Live pushes flow again on the new socket.
    await ingest(app.url, event(200));
    await until(() => s.incidents.list.length === 24, 'push after reconnect');
  });
});

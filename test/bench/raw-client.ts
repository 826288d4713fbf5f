import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/**
 * A minimal Socket.IO v5 / Engine.IO v4 websocket client for load tests: connect with `auth`, emit
 * `scope:subscribe` (the whole scope, or `regionId`), answer pings, and hand each event frame to `onFrame` as a string with its receive time,
 * without decoding it. Real socket.io-client spends ~100 µs per frame in JavaScript; with a thousand of them
 * in one process the benchmark would measure itself rather than the server.
 */
export function rawSubscriber(url: string, token: string, onFrame: (frame: string, at: number) => void, regionId?: string): Promise<WebSocket> {
  const scope = JSON.stringify(regionId ? { regionId } : {});
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
    ws.on('error', reject);
    ws.on('message', (data) => {
      const at = performance.now();
      const msg = data.toString();
      if (msg.startsWith('42')) return onFrame(msg, at);
      if (msg === '2') return ws.send('3');
      if (msg.startsWith('0{')) return ws.send(`40${JSON.stringify({ token })}`);
      if (msg.startsWith('40')) return ws.send(`420["scope:subscribe",${scope}]`);
      if (msg.startsWith('430')) return resolve(ws);
      if (msg.startsWith('44')) reject(new Error(`connect refused: ${msg}`));
    });
  });
}

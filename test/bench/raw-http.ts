import { connect, type Socket } from 'node:net';

/**
 * A lean HTTP/1.1 client for load tests: one keep-alive TCP connection, one request at a time, the request
 * head built once and only the body written per call, the answer read by its status line and Content-Length
 * without a general parser. Real HTTP over TCP, as an upstream would send it; `fetch` (undici through its
 * WHATWG layers: Request, Headers, streams) costs ~10× more CPU per request, and the bench's clients share
 * the server's two cores, so with `fetch` the bench measured the client as much as the server.
 */
export interface RawHttpConnection {
  /** POST `body` (a JSON string); resolves with the status and the body text. */
  post(body: string): Promise<{ status: number; body: string }>;
  close(): void;
}

export function rawHttpConnection(baseUrl: string, path: string, headers: Record<string, string>): Promise<RawHttpConnection> {
  const url = new URL(baseUrl);
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: ${url.host}`,
    'Connection: keep-alive',
    'Content-Type: application/json',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(url.port), url.hostname, () => {
      socket.off('error', reject);
      socket.setNoDelay(true);
      resolve(wrap(socket, head));
    });
    socket.once('error', reject);
  });
}

function wrap(socket: Socket, head: string): RawHttpConnection {
  let pending: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void } | null = null;
  let buf: Buffer = Buffer.alloc(0);
  const fail = (err: Error) => {
    const p = pending;
    pending = null;
    p?.reject(err);
  };
  socket.on('data', (chunk: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const headText = buf.toString('latin1', 0, end);
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(headText);
    let body: string;
    let total: number;
    if (length) {
      total = end + 4 + Number(length[1]);
      if (buf.length < total) return;
      body = buf.toString('utf8', end + 4, total);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(headText)) {
      const chunked = dechunk(buf, end + 4);
      if (!chunked) return;
      ({ body, total } = chunked);
    } else return fail(new Error(`neither Content-Length nor chunked: ${headText.slice(0, 200)}`));
    const status = Number(headText.slice(9, 12));
    buf = buf.subarray(total);
    const p = pending;
    pending = null;
    p?.resolve({ status, body });
  });
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  return {
    post(body) {
      if (pending) return Promise.reject(new Error('one request at a time per connection'));
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      });
    },
    close: () => socket.destroy(),
  };
}

/** A chunked body from `from` on, or null while its last chunk has not arrived (no trailers expected). */
function dechunk(buf: Buffer, from: number): { body: string; total: number } | null {
  const parts: Buffer[] = [];
  let at = from;
  for (;;) {
    const line = buf.indexOf('\r\n', at);
    if (line < 0) return null;
    const size = parseInt(buf.toString('latin1', at, line), 16);
    const start = line + 2;
    if (size === 0) return buf.length < start + 2 ? null : { body: Buffer.concat(parts).toString('utf8'), total: start + 2 };
    if (buf.length < start + size + 2) return null;
    parts.push(buf.subarray(start, start + size));
    at = start + size + 2;
  }
}

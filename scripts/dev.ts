/**
 * `npm run dev`: the server restarted on change (`tsx watch server/main.ts`, a child process) plus the Vite dev
 * server with hot reload (vite.config.ts proxies /api, /healthz and /socket.io to the server at PORT).
 * Ctrl-C (SIGINT) or SIGTERM stops both.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { ViteDevServer } from 'vite';
import { ROOT } from './build-client.ts';

// vite.config.ts reads PORT when it is loaded, so settle it before creating the dev server.
process.env.PORT ||= '8080';
process.env.HOST ||= '127.0.0.1';

const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
// Own process group (detached) so a forced stop can take tsx watch and the server it runs together;
// stdin ignored so the background group never stops on a terminal read.
const server = spawn(tsx, ['watch', '--clear-screen=false', 'server/main.ts'], {
  cwd: ROOT,
  env: process.env,
  stdio: ['ignore', 'inherit', 'inherit'],
  detached: true,
});
const serverPid = server.pid;
let serverExited = false;
const serverExit = new Promise<number>((resolve) => {
  server.on('exit', (code, signal) => {
    serverExited = true;
    resolve(code ?? (signal ? 1 : 0));
  });
});

let vite: ViteDevServer | undefined;
let stopping = false;

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log('\n[dev] stopping the Vite dev server and the API server…');
  const closing = vite?.close().catch((err: unknown) => console.error('[dev] vite close failed:', err));
  if (!serverExited && serverPid !== undefined) {
    try {
      process.kill(-serverPid, 'SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      console.error('[dev] the server did not stop within 10 s; killing it');
      try {
        process.kill(-serverPid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    await serverExit;
    clearTimeout(timer);
  }
  await closing;
  process.exit(exitCode);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
server.on('error', (err) => {
  console.error('[dev] could not start tsx watch:', err.message);
  void stop(1);
});
void serverExit.then((code) => {
  if (!stopping) {
    console.error(`[dev] tsx watch exited (code ${code}); stopping`);
    void stop(code || 1);
  }
});

try {
  const { createServer } = await import('vite');
  vite = await createServer({ configFile: join(ROOT, 'vite.config.ts') });
  await vite.listen();
  console.log(`[dev] API server (tsx watch) on http://${process.env.HOST}:${process.env.PORT}; Vite proxies /api, /healthz, /socket.io to it`);
  vite.printUrls();
} catch (err) {
  console.error('[dev] the Vite dev server did not start:', err instanceof Error ? err.message : err);
  await stop(1);
}

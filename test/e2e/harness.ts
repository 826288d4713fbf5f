/**
 * End-to-end harness: a real server on a free loopback port with its own temp DATA_DIR, and headless Debian
 * Chromium (playwright-core) whose every request off the loopback is aborted and recorded, so a test can
 * prove the offline guarantee.
 *
 *   const server = await startServer();
 *   const browser = await launchBrowser();
 *   const { page, external } = await newPage(browser, server.url);
 *   …
 *   expectNoExternal(external);
 *   await browser.close(); await server.stop();
 *
 * While a test of the calling file fails, the logs of every server started by that file are printed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { beforeEach, onTestFailed } from 'vitest';
import { findChromium, noChromiumMessage } from '../../scripts/chromium.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOT_DIR = join(ROOT, 'test', 'e2e', 'screenshots');

/** The admin password every test server is started with (user `admin`). */
export const TEST_ADMIN_PASSWORD = 'e2e-admin-password-42';

const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const MAX_LOG_LINES = 20_000;
const PRINTED_LOG_LINES = 400;

export interface ServerHandle {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  dataDir: string;
  adminPassword: string;
  /** PID of the server process itself (node running server/main.ts). */
  pid: number;
  /** Every stdout/stderr line so far (capped at the newest 20,000). */
  logs: string[];
  /** Print the newest log lines to stderr. */
  printLogs(title?: string): void;
  /** SIGTERM, wait for exit (SIGKILL after 10 s), then remove the temp DATA_DIR. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartServerOptions {
  /** Extra or overriding environment for the server (e.g. SIMULATOR: 'off', SIMULATOR_RATE: '600'). */
  env?: Record<string, string>;
}

/** Servers still running, killed synchronously if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
/** Servers started by the current test file, whose logs are printed when one of its tests fails. */
const started = new Set<ServerHandle>();

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

if (process.env.VITEST) {
  // Registered while the importing test file is being collected: applies to every test of that file.
  beforeEach(() => {
    onTestFailed(() => {
      for (const server of started) server.printLogs('test failed');
    });
  });
}

function printTail(lines: string[], title: string): void {
  const tail = lines.slice(-PRINTED_LOG_LINES);
  const omitted = lines.length - tail.length;
  const head = `──── ${title}${omitted > 0 ? ` (last ${tail.length} lines; ${omitted} earlier omitted)` : ''} ────`;
  process.stderr.write(`${head}\n${tail.join('\n')}\n${'─'.repeat(Math.min(head.length, 100))}\n`);
}

/**
 * Start `server/main.ts` (run by tsx) on 127.0.0.1 and a port the OS picks, with a fresh temp DATA_DIR.
 * Resolves once the listening line has been logged and GET /healthz answers 200.
 */
export async function startServer(opts: StartServerOptions = {}): Promise<ServerHandle> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gridops-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    GRIDOPS_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    SIMULATOR: 'on',
    SIMULATOR_RATE: '120',
    HEARTBEAT_MS: '1000',
    LOG_LEVEL: 'info',
    ...opts.env,
  };
  const adminPassword = env.GRIDOPS_ADMIN_PASSWORD ?? TEST_ADMIN_PASSWORD;

  // `node --import tsx` is what the tsx binary runs, minus its relay process: the PID we hold is the
  // server's own, so SIGTERM / SIGKILL reach it directly and nothing is left behind.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) {
    await rm(dataDir, { recursive: true, force: true });
    throw new Error('could not spawn the server process');
  }
  const pid = child.pid;
  live.add(child);

  const logs: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });

  let onListening: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => {
    onListening = resolve;
  });
  const collect = (stream: NodeJS.ReadableStream, tag: string) => {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        if (!line) continue;
        logs.push(tag ? `${tag} ${line}` : line);
        if (logs.length > MAX_LOG_LINES) logs.splice(0, logs.length - MAX_LOG_LINES);
        if (!tag && line.startsWith('{')) {
          try {
            const entry = JSON.parse(line) as { msg?: unknown; url?: unknown };
            if (entry.msg === 'GridOps command center listening' && typeof entry.url === 'string') onListening(entry.url);
          } catch {
            // not a JSON log line
          }
        }
      }
    });
    stream.on('end', () => {
      if (partial) logs.push(tag ? `${tag} ${partial}` : partial);
    });
  };
  collect(child.stdout!, '');
  collect(child.stderr!, '[stderr]');

  let stopped: Promise<void> | undefined;
  const handle: ServerHandle = {
    url: '',
    port: 0,
    dataDir,
    adminPassword,
    pid,
    logs,
    printLogs(title = 'server log') {
      printTail(logs, `${title}: server pid ${pid} ${handle.url || '(not listening)'}`);
    },
    stop() {
      stopped ??= (async () => {
        if (!hasExited) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => {
            logs.push(`[harness] the server did not exit ${STOP_TIMEOUT_MS / 1000} s after SIGTERM; SIGKILL`);
            child.kill('SIGKILL');
          }, STOP_TIMEOUT_MS);
          await exited;
          clearTimeout(timer);
        }
        started.delete(handle);
        await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };

  const fail = async (why: string): Promise<never> => {
    await handle.stop();
    printTail(logs, `server did not start: ${why}`);
    throw new Error(`server did not start: ${why} (its log is printed above)`);
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let timeoutTimer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timeoutTimer = setTimeout(() => resolve('timeout'), STARTUP_TIMEOUT_MS);
  });
  try {
    const first = await Promise.race([listening, exited, timedOut]);
    if (first === 'timeout') return await fail(`no listening line within ${STARTUP_TIMEOUT_MS / 1000} s`);
    if (typeof first !== 'string') {
      await new Promise((r) => setTimeout(r, 50)); // let the last output arrive
      return await fail(`it exited (code ${first.code}, signal ${first.signal})`);
    }
    const url = first.replace(/\/+$/, '');
    handle.url = url;
    handle.port = Number(new URL(url).port);

    let lastError = '';
    while (Date.now() < deadline) {
      if (hasExited) return await fail('it exited while we waited for /healthz');
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.status === 200) {
          started.add(handle);
          return handle;
        }
        lastError = `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return await fail(`/healthz did not answer 200 within ${STARTUP_TIMEOUT_MS / 1000} s (last: ${lastError})`);
  } finally {
    clearTimeout(timeoutTimer);
  }
}

/** Log in through the REST API; returns the bearer token. */
export async function login(server: Pick<ServerHandle, 'url' | 'adminPassword'>, username = 'admin', password = server.adminPassword): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login as ${username} failed: HTTP ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token?: unknown };
  if (typeof body.token !== 'string') throw new Error('login answered without a token');
  return body.token;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless system Chromium (CHROME_PATH, else /usr/bin/chromium …) with software WebGL. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(noChromiumMessage());
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True for URLs that stay on this machine's loopback (and for data:/blob:/about: URLs, which never leave). */
export function isLocalUrl(url: string | URL): boolean {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return LOCAL_HOSTS.has(u.hostname);
}

export interface NewPageOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  timezoneId?: string;
  /** A script run in every page before its own scripts (e.g. wrappers that record calls to browser APIs). */
  initScript?: string;
  /** Ignore the page's Content-Security-Policy (the harness's own test: the CSP would block the probe first). */
  bypassCSP?: boolean;
  /** More context options (a phone: isMobile, hasTouch, geolocation and its permission). */
  contextOptions?: Omit<BrowserContextOptions, 'viewport' | 'locale' | 'timezoneId' | 'bypassCSP'>;
}

export interface PageHandle {
  context: BrowserContext;
  page: Page;
  /** Every request (HTTP or WebSocket) that tried to leave the loopback; each was aborted. */
  external: string[];
  /** console.error messages and uncaught page errors (the latter prefixed `pageerror:`). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page only. */
  pageErrors: string[];
}

/**
 * A fresh context (1920×1080, zh-CN, Asia/Shanghai by default) and a page on `url`, loaded until the
 * `load` event. Requests off the loopback are aborted and recorded in `external`.
 */
export async function newPage(browser: Browser, url: string, opts: NewPageOptions = {}): Promise<PageHandle> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1920, height: 1080 },
    locale: opts.locale ?? 'zh-CN',
    timezoneId: opts.timezoneId ?? 'Asia/Shanghai',
    bypassCSP: opts.bypassCSP ?? false,
    ...opts.contextOptions,
  });
  if (opts.initScript) await context.addInitScript(opts.initScript);
  const external: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  await context.route('**/*', async (route) => {
    const requestUrl = route.request().url();
    if (isLocalUrl(requestUrl)) {
      await route.fallback();
      return;
    }
    external.push(requestUrl);
    await route.abort('blockedbyclient');
  });
  // WebSockets bypass context.route; only the external ones are intercepted (and closed), local ones go
  // straight to the server untouched.
  await context.routeWebSocket(
    (u) => !isLocalUrl(u),
    async (ws) => {
      external.push(ws.url());
      await ws.close({ code: 1008, reason: 'external request blocked by the e2e harness' });
    },
  );

  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => {
    pageErrors.push(err.message);
    consoleErrors.push(`pageerror: ${err.message}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { context, page, external, consoleErrors, pageErrors };
}

/** Throw, listing them, when any request tried to leave the loopback. */
export function expectNoExternal(external: readonly string[]): void {
  if (external.length === 0) return;
  const unique = [...new Set(external)];
  throw new Error(
    `${external.length} request(s) tried to leave the loopback (all were aborted):\n${unique.map((u) => `  ${u}`).join('\n')}`,
  );
}

/** Save a PNG of the viewport to test/e2e/screenshots/<name>.png (git-ignored) and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path });
  return path;
}

/**
 * Build the client into dist/client when it is missing or older than its sources.
 *
 *   tsx scripts/build-client.ts [--force]
 *
 * `npm start` and the end-to-end global setup call ensureClientBuilt(), so neither serves a stale client.
 * Freshness: every file under client/, common/, geo/style/, plus vite.config.ts and package-lock.json, is
 * compared with dist/client/.build-stamp, whose mtime is set to the moment the last successful build started
 * (a file saved during a build therefore triggers the next one).
 */
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LogLevel } from 'vite';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLIENT_OUT = join(ROOT, 'dist', 'client');
export const BUILD_STAMP = join(CLIENT_OUT, '.build-stamp');
const INDEX_HTML = join(CLIENT_OUT, 'index.html');

/** Inputs of the client build, relative to the repo root. Missing ones are skipped. */
export const CLIENT_INPUTS = ['client', 'common', 'geo/style', 'vite.config.ts', 'package-lock.json'];

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

/** The newest file among the inputs (path relative to the root and mtime), or null when there is none. */
function newestInput(): { path: string; mtimeMs: number } | null {
  let newest: { path: string; mtimeMs: number } | null = null;
  const visit = (abs: string): void => {
    let st;
    try {
      st = statSync(abs);
    } catch {
      return; // missing input, or a file removed while we walk
    }
    if (st.isDirectory()) {
      for (const entry of readdirSync(abs)) {
        if (!SKIP_DIRS.has(entry)) visit(join(abs, entry));
      }
    } else if (st.isFile() && (!newest || st.mtimeMs > newest.mtimeMs)) {
      newest = { path: relative(ROOT, abs), mtimeMs: st.mtimeMs };
    }
  };
  for (const input of CLIENT_INPUTS) visit(join(ROOT, input));
  return newest;
}

/** Why the client must be (re)built, or null when dist/client is fresh. */
export function clientBuildReason(): string | null {
  if (!existsSync(INDEX_HTML)) return 'dist/client/index.html is missing';
  // A build made by plain `vite build` has no stamp; its index.html (written last) stands in for it.
  const reference = existsSync(BUILD_STAMP) ? BUILD_STAMP : INDEX_HTML;
  const builtAt = statSync(reference).mtimeMs;
  const newest = newestInput();
  if (newest && newest.mtimeMs > builtAt) {
    return `${newest.path} changed after the last build (${new Date(builtAt).toISOString()})`;
  }
  return null;
}

export interface EnsureClientOptions {
  /** Build even when dist/client is fresh. */
  force?: boolean;
  /** Vite's log level for the build (default 'warn': errors and warnings only). */
  logLevel?: LogLevel;
}

export interface EnsureClientResult {
  built: boolean;
  reason: string | null;
  ms: number;
}

/** Build the client with Vite's JS API and the repo's vite.config.ts when it is missing or stale. */
export async function ensureClientBuilt(options: EnsureClientOptions = {}): Promise<EnsureClientResult> {
  const reason = options.force ? 'forced (--force)' : clientBuildReason();
  if (!reason) return { built: false, reason: null, ms: 0 };

  console.log(`[build-client] building the client into dist/client: ${reason}`);
  const started = Date.now();
  // Vite decides dev or production Vue builds from NODE_ENV; under Vitest it is 'test', which would bundle
  // the development builds. Force production for the duration of the build and put it back afterwards.
  const savedNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const { build } = await import('vite');
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: options.logLevel ?? 'warn',
    });
  } finally {
    if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = savedNodeEnv;
  }
  if (!existsSync(INDEX_HTML)) throw new Error('vite build finished but dist/client/index.html is missing');
  writeFileSync(BUILD_STAMP, `${new Date(started).toISOString()}\n`);
  const startedAt = new Date(started);
  utimesSync(BUILD_STAMP, startedAt, startedAt);
  const ms = Date.now() - started;
  console.log(`[build-client] built in ${(ms / 1000).toFixed(1)} s`);
  return { built: true, reason, ms };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  try {
    const force = process.argv.includes('--force');
    const result = await ensureClientBuilt({ force, logLevel: 'info' });
    if (!result.built) console.log('[build-client] dist/client is up to date');
  } catch (err) {
    console.error('[build-client] client build failed:', err instanceof Error ? err.message : err);
    process.exit(1);
  }
}

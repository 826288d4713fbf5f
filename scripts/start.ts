/**
 * `npm start`: build the client when it is missing or stale, then run the server in this process.
 * Settings come from the environment (server/config.ts): PORT 8080, HOST 127.0.0.1, DATA_DIR ./data and
 * SIMULATOR on by default. SIGTERM / SIGINT stop the server cleanly (server/main.ts handles them).
 */
import { ensureClientBuilt } from './build-client.ts';

try {
  await ensureClientBuilt();
} catch (err) {
  console.error('[start] the client did not build, so the server was not started:');
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
}

await import('../server/main.ts');

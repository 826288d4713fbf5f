import express, { Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLIENT_DIST = fileURLToPath(new URL('../../dist/client', import.meta.url));

/**
 * The built client. Hashed assets are immutable for a year; index.html is revalidated on every load,
 * so a wall screen that reloads picks up a new release at once.
 */
export function staticRoutes(dir = CLIENT_DIST): Router {
  const r = Router();
  const index = join(dir, 'index.html');
  r.use(
    express.static(dir, {
      index: false,
      setHeaders(res, path) {
        if (path.includes('/assets/')) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        else res.setHeader('Cache-Control', 'no-cache');
      },
    }),
  );
  // History-mode routes of the single-page app all get index.html.
  r.get(/^\/(?!api\/|socket\.io\/|healthz).*/, (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The client is not built: run `npm run build` (npm start does it for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}

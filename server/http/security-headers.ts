import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** The origin (scheme, host, port) of an XYZ template such as `MAP_BASE_XYZ`, or null when it is not a URL. */
export function originOf(template: string): string | null {
  if (!template) return null;
  try {
    return new URL(template.replace(/\{[a-z]\}/g, '0')).origin;
  } catch {
    return null;
  }
}

// A Host header we are willing to echo into the policy: a name or address and an optional port, nothing else.
const SAFE_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Security headers on every response (helmet). The CSP is what the client needs and no more: MapLibre builds its
 * workers from blob: URLs and draws data:/blob: images; Socket.IO talks to its own origin over HTTP and WebSocket
 * (`'self'` covers ws: in current browsers; the explicit ws/wss origin is for older ones); the optional raster base
 * layer's origin is added to img-src/connect-src. No CDN, no inline script. Plain-HTTP LAN deployments are the
 * norm, so upgrade-insecure-requests stays off.
 */
export function securityHeaders(opts: { mapBaseXyz?: string }): RequestHandler {
  const base = originOf(opts.mapBaseXyz ?? '');
  const extra = base ? [base] : [];
  const sameOriginWs = (req: IncomingMessage) => {
    const host = req.headers.host ?? '';
    return SAFE_HOST.test(host) ? `ws://${host} wss://${host}` : "'self'";
  };
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'"],
        // ECharts' HTML tooltips carry style attributes (<span style="…">); attributes only, never <style> or scripts.
        'style-src-attr': ["'unsafe-inline'"],
        'img-src': ["'self'", 'data:', 'blob:', ...extra],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", (req) => sameOriginWs(req), ...extra],
        // The grid-worker app's service worker (/sw.js) and web manifest are our own files.
        'worker-src': ["'self'", 'blob:'],
        'manifest-src': ["'self'"],
        'child-src': ["'self'", 'blob:'],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // Same-origin only, and the wall is often opened by IP over plain HTTP where HSTS would only confuse.
    strictTransportSecurity: false,
  });
}

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_DIST } from '#server/http/static';
import { startApp, type Running } from './helpers';

/** Security headers (helmet) on an API reply, the HTML and a static asset; the map base origin when configured. */
describe('security headers', () => {
  let app: Running;
  const asset = `${CLIENT_DIST}/assets/csp-test-${process.pid}.js`;
  let madeDist = false;

  beforeAll(async () => {
    try {
      mkdirSync(`${CLIENT_DIST}/assets`, { recursive: true });
      writeFileSync(asset, 'export {};\n');
      madeDist = true;
    } catch {
      madeDist = false;
    }
    app = await startApp({ MAP_BASE_XYZ: 'http://tiles.intranet:8081/{z}/{x}/{y}.png' });
  });
  afterAll(async () => {
    await app?.stop();
    if (madeDist) rmSync(asset, { force: true });
  });

  const expectHeaders = (res: Response) => {
    const csp = res.headers.get('content-security-policy') ?? '';
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(directives.get('img-src')).toEqual(["'self'", 'data:', 'blob:', 'http://tiles.intranet:8081']);
    expect(directives.get('connect-src')).toEqual(["'self'", `ws://${new URL(app.url).host}`, `wss://${new URL(app.url).host}`, 'http://tiles.intranet:8081']);
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
  };

  it('on an API reply (and its errors)', async () => {
    expectHeaders(await fetch(`${app.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expectHeaders(await fetch(`${app.url}/api/nope`));
    expectHeaders(await fetch(`${app.url}/healthz`));
  });

  it('on the HTML and a static asset', async () => {
    const html = await fetch(`${app.url}/console`);
    expectHeaders(html);
    const js = await fetch(`${app.url}/assets/csp-test-${process.pid}.js`);
    expect(js.status).toBe(200);
    expectHeaders(js);
  });

  it('a hostile Host header is never echoed into the policy', async () => {
    const { request } = await import('node:http');
    const csp = await new Promise<string>((resolve, reject) => {
      const u = new URL(app.url);
      const req = request({ host: u.hostname, port: u.port, path: '/healthz', headers: { Host: "evil.example; script-src 'unsafe-inline'" } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy'] ?? ''));
      });
      req.on('error', reject);
      req.end();
    });
    expect(csp).not.toContain('evil.example');
    // Only style attributes may be inline (ECharts tooltips); never scripts, never a <style>.
    expect(csp).not.toMatch(/(script-src|style-src|default-src)( [^;]*)? 'unsafe-inline'/);
    expect(csp).toContain("style-src-attr 'unsafe-inline'");
  });
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Running } from './helpers';

/** The OpenAPI document: structurally valid OpenAPI 3.1, and it covers every route (README tables, server source). */
let app: Running;
let doc: Doc;

interface Op {
  operationId: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, { type: string }> };
}

beforeAll(async () => {
  app = await startApp();
  const res = await fetch(`${app.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as Doc;
});
afterAll(async () => {
  await app.stop();
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The structural rules of OpenAPI 3.1 that a generator can get wrong; returns every violation. */
function violations(d: Doc): string[] {
  const out: string[] = [];
  if (!/^3\.1\.\d+$/.test(d.openapi)) out.push(`openapi ${d.openapi}`);
  if (typeof d.info?.title !== 'string' || typeof d.info?.version !== 'string') out.push('info.title/version');
  const tags = new Set(d.tags.map((t) => t.name));
  const ids = new Set<string>();
  const refs: string[] = [];
  const collectRefs = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collectRefs);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') refs.push(x);
        else collectRefs(x);
      }
    }
  };
  for (const [path, item] of Object.entries(d.paths)) {
    if (!path.startsWith('/')) out.push(`path ${path}`);
    const templ = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method} ${path}`;
      if (!METHODS.includes(method)) out.push(`${where}: method`);
      if (!op.operationId || ids.has(op.operationId)) out.push(`${where}: operationId`);
      ids.add(op.operationId);
      for (const t of op.tags) if (!tags.has(t)) out.push(`${where}: tag ${t}`);
      for (const s of op.security) for (const name of Object.keys(s)) if (!d.components.securitySchemes[name]) out.push(`${where}: security ${name}`);
      const inPath = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      if (inPath.sort().join() !== [...templ].sort().join()) out.push(`${where}: path parameters ${inPath.join()} vs ${templ.join()}`);
      for (const p of op.parameters ?? []) {
        if (!['query', 'header', 'path', 'cookie'].includes(p.in)) out.push(`${where}: parameter in ${p.in}`);
        if (p.in === 'path' && p.required !== true) out.push(`${where}: path parameter ${p.name} not required`);
        if (!p.schema || typeof p.schema !== 'object') out.push(`${where}: parameter ${p.name} schema`);
      }
      if (!op.responses || Object.keys(op.responses).length === 0) out.push(`${where}: no responses`);
      for (const [status, r] of Object.entries(op.responses)) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) out.push(`${where}: status ${status}`);
        if (typeof r.description !== 'string') out.push(`${where}: ${status} description`);
      }
      collectRefs(op);
    }
  }
  for (const ref of refs) {
    const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], d);
    if (!ref.startsWith('#/') || target === undefined) out.push(`unresolved $ref ${ref}`);
  }
  return out;
}

/** `METHOD /path` of every route in the README's tables, query and body notation dropped, `{json,xml}` expanded. */
function readmeRoutes(): string[] {
  const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
  const out = new Set<string>();
  for (const line of readme.split('\n').filter((l) => l.startsWith('|'))) {
    for (const m of line.matchAll(/`(GET|POST|PATCH|PUT|DELETE) (\/[^\s`?]*)/g)) {
      const path = m[2]!;
      const alt = path.match(/\{([a-z]+(?:,[a-z]+)+)\}/);
      const paths = alt ? alt[1]!.split(',').map((x) => path.replace(alt[0], x)) : [path];
      for (const p of paths) out.add(`${m[1]!.toLowerCase()} ${p}`);
    }
  }
  return [...out];
}

/** `method path` of every route the server source declares (Express `r.get('/x/:id', …)`), in OpenAPI spelling. */
function sourceRoutes(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) files.push(p);
    }
  };
  walk(join(import.meta.dirname, '../../server'));
  const out: string[] = [];
  for (const f of files) {
    for (const m of readFileSync(f, 'utf8').matchAll(/\br\.(get|post|patch|put|delete)\(\s*['`]([^'`]+)['`]/g)) {
      const path = m[2]!.replace(/:(\w+)/g, '{$1}');
      for (const p of path.includes('${ext}') ? ['json', 'xml'].map((x) => path.replace('${ext}', x)) : [path]) out.push(`${m[1]} ${p}`);
    }
  }
  return out;
}

describe('GET /api/openapi.json', () => {
  it('is a structurally valid OpenAPI 3.1 document with schemas from the zod validators', () => {
    expect(violations(doc)).toEqual([]);
    const patch = doc.paths['/api/users/{id}']!.patch!;
    const body = patch.requestBody!.content['application/json']!.schema as { properties: Record<string, unknown> };
    expect(Object.keys(body.properties).sort()).toEqual(['disabled', 'displayName', 'regionId', 'role']);
    const audit = doc.paths['/api/audit']!.get!;
    expect(audit.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['actor', 'action', 'target', 'from', 'to', 'cursor']));
  });

  it('the validator catches a broken document', () => {
    const broken = structuredClone(doc);
    broken.paths['/api/users/{id}']!.patch!.parameters = [];
    broken.paths['/api/audit']!.get!.responses = { 299: { description: 'x' }, '2000': { description: 'y' } };
    expect(violations(broken)).toEqual(expect.arrayContaining([expect.stringContaining('path parameters'), expect.stringContaining('status 2000')]));
  });

  it('covers every route in the README’s tables', () => {
    const routes = readmeRoutes();
    expect(routes.length).toBeGreaterThan(35);
    const missing = routes.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !doc.paths[path]?.[method];
    });
    expect(missing).toEqual([]);
  });

  it('covers every route the server source declares', () => {
    const declared = sourceRoutes();
    expect(declared.length).toBeGreaterThan(35);
    const documented = Object.entries(doc.paths).flatMap(([p, item]) => Object.keys(item).map((m) => `${m} ${p}`));
    // Routers are mounted under a prefix (/api, /open311/v2): a declared path is covered by a documented one ending in it.
    const missing = declared.filter((r) => {
      const [method, path] = r.split(' ') as [string, string];
      return !documented.some((d) => d.startsWith(`${method} `) && d.endsWith(path));
    });
    expect(missing).toEqual([]);
  });
});

describe('GET /api/docs', () => {
  it('is an offline page: own script and style, no outside address, served under the CSP', async () => {
    const res = await fetch(`${app.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<script src="/api/docs/docs.js">');
    expect(html).not.toMatch(/<script>(?!<)/);
    const js = await (await fetch(`${app.url}/api/docs/docs.js`)).text();
    const css = await (await fetch(`${app.url}/api/docs/docs.css`)).text();
    for (const text of [html, js, css]) expect(text).not.toMatch(/https?:\/\//);
    expect(js).toContain("fetch('/api/openapi.json')");
    expect(js).not.toContain('innerHTML');
  });
});

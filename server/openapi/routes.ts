import { Router } from 'express';
import { openApiDocument } from './document.ts';

/**
 * `/api/openapi.json` and an offline reference page at `/api/docs`: a static page whose own script (no inline
 * code, no CDN, CSP-clean) renders the document.
 */
export function openApiRoutes(version: string): Router {
  const r = Router();
  let doc: string | null = null;
  r.get('/openapi.json', (_req, res) => {
    doc ??= JSON.stringify(openApiDocument(version));
    res.type('application/json').send(doc);
  });
  r.get('/docs', (_req, res) => void res.type('html').send(PAGE));
  r.get('/docs/docs.js', (_req, res) => void res.type('text/javascript').send(SCRIPT));
  r.get('/docs/docs.css', (_req, res) => void res.type('text/css').send(STYLE));
  return r;
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>GridOps API</title><link rel="stylesheet" href="/api/docs/docs.css"></head>
<body><header><h1>GridOps API</h1><p id="meta">Loading /api/openapi.json…</p><input id="q" type="search" placeholder="Filter routes"></header>
<main id="routes"></main><script src="/api/docs/docs.js"></script></body></html>`;

const STYLE = `body{font:14px/1.5 system-ui,sans-serif;margin:0;background:#0b1a2e;color:#dcecff}
header{padding:1rem 1.5rem;border-bottom:1px solid #24486b;position:sticky;top:0;background:#0b1a2e}
h1{margin:0;font-size:1.3rem}#meta{color:#8fb4d6;margin:.3rem 0}#q{width:24rem;max-width:100%;padding:.3rem;background:#0f2540;color:#dcecff;border:1px solid #24486b}
main{padding:0 1.5rem 2rem}h2{font-size:1rem;color:#8fe3ff;margin:1.4rem 0 .4rem;text-transform:uppercase;letter-spacing:.05em}
details{border:1px solid #1d3a5a;border-radius:4px;margin:.3rem 0;background:#0e2239}summary{cursor:pointer;padding:.4rem .6rem;list-style:none}
.m{display:inline-block;width:4.2rem;font:600 12px ui-monospace,monospace;text-transform:uppercase}.get{color:#7ee2a8}.post{color:#8fe3ff}.patch,.put{color:#f5d76e}.delete{color:#ff9a8c}
.p{font-family:ui-monospace,monospace}.s{color:#a9c2dc;margin-left:.6rem}.b{padding:.2rem .8rem .6rem}pre{background:#081425;padding:.5rem;overflow:auto;font-size:12px;border-radius:3px}
table{border-collapse:collapse}td,th{padding:.15rem .6rem .15rem 0;text-align:left;vertical-align:top}th{color:#8fb4d6;font-weight:500}`;

// Plain DOM, textContent only: the document is ours, but nothing is ever parsed as HTML.
const SCRIPT = `(async () => {
  const el = (tag, props = {}, ...kids) => { const e = document.createElement(tag); Object.assign(e, props); e.append(...kids); return e; };
  const doc = await (await fetch('/api/openapi.json')).json();
  document.getElementById('meta').textContent = doc.info.title + ' ' + doc.info.version + ' · OpenAPI ' + doc.openapi + ' · ' + doc.info.description;
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(item)) ops.push({ path, method, op });
  const main = document.getElementById('routes');
  const render = (q) => {
    main.replaceChildren();
    for (const tag of doc.tags.map((t) => t.name)) {
      const list = ops.filter((o) => o.op.tags.includes(tag) && (!q || (o.method + ' ' + o.path + ' ' + o.op.summary).toLowerCase().includes(q)));
      if (!list.length) continue;
      main.append(el('h2', { textContent: tag }));
      for (const { path, method, op } of list) {
        const body = el('div', { className: 'b' });
        if (op.description) body.append(el('p', { textContent: op.description }));
        body.append(el('p', { textContent: 'Auth: ' + (op.security.length ? op.security.map((s) => Object.keys(s)[0] || 'allow-listed address').join(' or ') : 'none') }));
        if (op.parameters) {
          const t = el('table', {}, el('tr', {}, el('th', { textContent: 'parameter' }), el('th', { textContent: 'in' }), el('th', { textContent: 'schema' })));
          for (const p of op.parameters) t.append(el('tr', {}, el('td', { className: 'p', textContent: p.name + (p.required ? ' *' : '') }), el('td', { textContent: p.in }), el('td', { className: 'p', textContent: JSON.stringify(p.schema) })));
          body.append(t);
        }
        if (op.requestBody) for (const [type, c] of Object.entries(op.requestBody.content)) body.append(el('p', { textContent: 'Body (' + type + ')' }), el('pre', { textContent: JSON.stringify(c.schema, null, 2) }));
        for (const [status, r] of Object.entries(op.responses)) body.append(el('p', { textContent: status + ': ' + r.description }));
        main.append(el('details', {}, el('summary', {}, el('span', { className: 'm ' + method, textContent: method }), el('span', { className: 'p', textContent: path }), el('span', { className: 's', textContent: op.summary })), body));
      }
    }
  };
  render('');
  document.getElementById('q').addEventListener('input', (e) => render(e.target.value.trim().toLowerCase()));
})();`;

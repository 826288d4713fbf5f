/**
 * Client JS shipped. Two views of it:
 *  - the build: every .js / .mjs file of dist/client/assets (the MapLibre worker included), raw and gzip
 *    (zlib level 9, as a server or a pre-compressing CDN would send it), with the three largest chunks;
 *  - the wall view: Chromium opens `/` in a fresh context (nothing cached) and we count the JS it actually
 *    fetched (page + dedicated worker), as transferred on the wire (CDP Network.loadingFinished
 *    encodedDataLength, headers included) and as the gzip size of the same files.
 * Budget (DESIGN): ≤ 700 KB gzip, worker included.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLIENT_OUT, ensureClientBuilt } from '../../scripts/build-client.ts';
import { launchBrowser, newPage, startServer } from '../e2e/harness.ts';
import { round, type BenchResult } from './lib.ts';

const BUDGET_KB = 700;
const kb = (bytes: number) => round(bytes / 1024, 1);

interface Chunk {
  file: string;
  raw: number;
  gzip: number;
}

function chunks(): Chunk[] {
  const dir = join(CLIENT_OUT, 'assets');
  return readdirSync(dir)
    .filter((f) => /\.(m?js)$/.test(f))
    .map((file) => {
      const buf = readFileSync(join(dir, file));
      return { file, raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
}

export async function run(): Promise<BenchResult> {
  await ensureClientBuilt();
  const all = chunks();
  const byFile = new Map(all.map((c) => [c.file, c]));
  const totalRaw = all.reduce((s, c) => s + c.raw, 0);
  const totalGzip = all.reduce((s, c) => s + c.gzip, 0);

  const server = await startServer({ env: { SIMULATOR: 'off' } });
  const browser = await launchBrowser();
  try {
    const { page, context } = await newPage(browser, 'about:blank');
    // Everything the page and its dedicated workers fetch, from CDP (encodedDataLength = bytes on the wire).
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const requests = new Map<string, { url: string; type: string }>();
    const wire = new Map<string, number>();
    cdp.on('Network.responseReceived', (e) => requests.set(e.requestId, { url: e.response.url, type: e.type }));
    cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
    // Playwright also sees worker requests; used as a cross-check for the worker file (a separate CDP target).
    const seen = new Set<string>();
    context.on('requestfinished', (req) => seen.add(req.url()));

    await page.goto(`${server.url}/`, { waitUntil: 'load' });
    await page.waitForFunction(() => (document.querySelector('[data-testid=map]') as HTMLElement | null)?.dataset.mapState === 'idle', null, {
      timeout: 60_000,
    });
    await page.waitForTimeout(500); // late lazy chunks

    const loadedFiles = new Set<string>();
    let wireJs = 0;
    for (const [id, r] of requests) {
      const path = new URL(r.url).pathname;
      if (!/\.m?js$/.test(path)) continue;
      loadedFiles.add(basename(path));
      wireJs += wire.get(id) ?? 0;
    }
    // The worker script is fetched by the worker target, which the page's CDP session does not see.
    const workerFiles: string[] = [];
    for (const url of seen) {
      const path = new URL(url).pathname;
      if (!/\.m?js$/.test(path) || loadedFiles.has(basename(path))) continue;
      loadedFiles.add(basename(path));
      workerFiles.push(basename(path));
      wireJs += byFile.get(basename(path))?.raw ?? 0; // served uncompressed and whole: body size ≈ wire size
    }
    const loaded = [...loadedFiles].map((f) => byFile.get(f)).filter((c): c is Chunk => !!c);
    const wallGzip = loaded.reduce((s, c) => s + c.gzip, 0);
    const wallRaw = loaded.reduce((s, c) => s + c.raw, 0);
    // Does the server compress? (content-encoding on one JS response)
    const probe = all[0] ? await fetch(`${server.url}/assets/${all[0].file}`, { headers: { 'accept-encoding': 'gzip, br' } }) : null;
    const encoding = probe?.headers.get('content-encoding') ?? 'none';
    await probe?.arrayBuffer();

    const top = all.slice(0, 3);
    const metrics: Record<string, number | string> = {
      jsFiles: all.length,
      totalRawKB: kb(totalRaw),
      totalGzipKB: kb(totalGzip),
      budgetGzipKB: BUDGET_KB,
    };
    top.forEach((c, i) => {
      metrics[`largest${i + 1}`] = `${c.file.replace(/-[\w-]{8}\.(m?js)$/, '.$1')} ${kb(c.gzip)} KB gz (${kb(c.raw)} raw)`;
    });
    Object.assign(metrics, {
      wallJsFiles: loaded.length,
      wallWorkerFiles: workerFiles.join(' ') || '(none seen)',
      wallJsRawKB: kb(wallRaw),
      wallJsGzipKB: kb(wallGzip),
      wallJsTransferredKB: kb(wireJs),
      // Which chunks make the wall's figure, largest first: where the next cut has to come from.
      wallChunks: [...loaded].sort((a, b) => b.gzip - a.gzip).map((c) => `${c.file.replace(/-[\w-]{8}\.(m?js)$/, '.$1')} ${kb(c.gzip)}`).join(', '),
      serverContentEncoding: encoding,
      notLoadedByWall: all.filter((c) => !loadedFiles.has(c.file)).map((c) => c.file.replace(/-[\w-]{8}\.(m?js)$/, '.$1')).join(' ') || '(none)',
    });
    return { name: 'client bundle (JS, gzip -9)', metrics };
  } finally {
    await browser.close();
    await server.stop();
  }
}

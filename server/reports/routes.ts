import { Router, type Request, type Response } from 'express';
import { chromium } from 'playwright-core';
import { isWithinScope } from '#common/geo/types';
import { monthlyQuery, type MonthlyReport } from '#common/reports/monthly';
import { findChromium } from '../../scripts/chromium.ts';
import type { AnalyticsDeps } from '../analytics/query.ts';
import { requireRole, userOf } from '../auth/middleware.ts';
import { buildMonthlyReport } from './monthly.ts';
import { monthlyPage } from './page.ts';
import { monthlyXlsx } from './xlsx.ts';
import { taskLimit } from './limit.ts';

/** Render the print page to an A4 PDF with the headless Chromium the tests use; one browser per report. */
async function toPdf(html: string, executablePath: string): Promise<Buffer> {
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    // Nothing in the page fetches anything: block every request so a report can never reach out.
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
  }
}

/** Monthly report (leaders, admins): GET /api/reports/monthly.pdf and .xlsx ?regionId&month=YYYY-MM. */
export function reportRoutes(deps: AnalyticsDeps & { chromePath?: () => string | null }): Router {
  const r = Router();
  const chrome = deps.chromePath ?? (() => findChromium());
  // Two Chromiums at once at most, six more requests waiting; beyond that 503 reports/busy (the client may retry).
  const rendering = taskLimit(2, 6);

  async function report(req: Request, res: Response): Promise<MonthlyReport | null> {
    const q = monthlyQuery.safeParse(req.query);
    if (!q.success) {
      res.status(400).json({ error: { code: 'reports/bad_query', message: q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      return null;
    }
    const user = userOf(req);
    const regionId = q.data.regionId ?? user.regionId;
    if (!isWithinScope(regionId, user.regionId)) {
      res.status(403).json({ error: { code: 'scope/forbidden', message: `Region ${regionId} is outside your scope.` } });
      return null;
    }
    if (!deps.regions.get(regionId)) {
      res.status(404).json({ error: { code: 'region/not_found', message: `No region ${regionId}.` } });
      return null;
    }
    return buildMonthlyReport(deps, regionId, q.data.month, user.role);
  }

  const name = (rep: MonthlyReport, ext: string) => `attachment; filename="report-${rep.regionId}-${rep.month}.${ext}"`;

  r.get('/reports/monthly.xlsx', requireRole('admin', 'leader'), async (req, res) => {
    const rep = await report(req, res);
    if (!rep) return;
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').set('Content-Disposition', name(rep, 'xlsx')).send(await monthlyXlsx(rep));
  });

  r.get('/reports/monthly.pdf', requireRole('admin', 'leader'), async (req, res) => {
    const path = chrome();
    if (!path) {
      return void res.status(503).json({ error: { code: 'reports/no_chromium', message: 'No Chromium configured on the server (set CHROME_PATH): use the XLSX or the browser\'s print.' } });
    }
    const rep = await report(req, res);
    if (!rep) return;
    const pdf = await rendering(() => toPdf(monthlyPage(rep, deps.now()), path));
    if (!pdf) {
      return void res.status(503).set('Retry-After', '30').json({ error: { code: 'reports/busy', message: 'Too many reports are being rendered; try again shortly.' } });
    }
    res.type('application/pdf').set('Content-Disposition', name(rep, 'pdf')).send(pdf.value);
  });
  return r;
}

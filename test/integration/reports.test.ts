import { mkdirSync, writeFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CST_OFFSET_MS } from '#common/time';
import { event, ingest, login, startApp, type Running } from './helpers';

let app: Running;
let admin: string;
const month = new Date(Date.now() + CST_OFFSET_MS).toISOString().slice(0, 7);

beforeAll(async () => {
  app = await startApp();
  admin = (await login(app.url)).token;
  const now = Date.now();
  const res = await ingest(app.url, [1, 2, 3].map((n) => event(9300 + n, { reportedAt: new Date(now - n * 60_000).toISOString(), location: { lng: 104.08 + n * 0.004, lat: 30.66 } })));
  expect(res.status).toBe(202);
});
afterAll(async () => {
  await app?.stop();
});

const get = (path: string, token = admin) => fetch(`${app.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

describe('monthly report', () => {
  it('gives the tables as XLSX that reopens with the Chinese summary and the figures', async () => {
    const res = await get(`/api/reports/monthly.xlsx?month=${month}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '辖区排名', '事件类别', '超期事件']);
    const sheet = wb.getWorksheet('概况')!;
    expect(String(sheet.getCell('A1').value)).toContain(`${month} 月度报告`);
    const summary = String(sheet.getCell('A2').value);
    expect(summary).toMatch(/^\d{4}年\d{1,2}月，成华区共受理事件 (\d+) 件/);
    const received = Number(/共受理事件 (\d+) 件/.exec(summary)![1]);
    expect(received).toBeGreaterThanOrEqual(3);
    expect(sheet.getCell('A5').value).toBe('受理');
    expect(sheet.getCell('B5').value).toBe(received);
    const regions = wb.getWorksheet('辖区排名')!;
    expect(regions.getRow(1).getCell(2).value).toBe('受理');
    let sum = 0;
    regions.eachRow((row, n) => {
      if (n > 1) sum += Number(row.getCell(2).value);
    });
    expect(sum).toBe(received);
  });

  it('renders the print page to an A4 PDF with headless Chromium, and says 503 without one', async () => {
    const res = await get(`/api/reports/monthly.pdf?month=${month}`);
    expect(res.status).toBe(200);
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // Kept beside the e2e screenshots for a look.
    mkdirSync('test/e2e/screenshots', { recursive: true });
    writeFileSync(`test/e2e/screenshots/report-monthly-${process.env.TEST_STORE ?? 'sqlite'}.pdf`, pdf);
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBeGreaterThanOrEqual(1);
    const saved = process.env.CHROME_PATH;
    process.env.CHROME_PATH = '/nonexistent/chromium';
    try {
      const none = await get(`/api/reports/monthly.pdf?month=${month}`);
      expect(none.status).toBe(503);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe('reports/no_chromium');
    } finally {
      process.env.CHROME_PATH = saved;
    }
  });

  it('refuses a bad month and other roles', async () => {
    expect((await get('/api/reports/monthly.xlsx?month=2026-13')).status).toBe(400);
    const wall = (await (await fetch(`${app.url}/api/auth/wall-token`, { method: 'POST' })).json()) as { token: string };
    expect((await get(`/api/reports/monthly.xlsx?month=${month}`, wall.token)).status).toBe(403);
  });
});

import ExcelJS from 'exceljs';
import type { AnalyticsItem } from '#common/analytics/api';
import { cstMinute, STATUS_ZH, type MonthlyReport } from '#common/reports/monthly';

const COLUMNS: [keyof AnalyticsItem, string, 'n' | 'rate'][] = [
  ['received', '受理', 'n'], ['due', '应结', 'n'], ['closed', '结案', 'n'], ['closedOnTime', '按期结案', 'n'], ['overdue', '超期', 'n'],
  ['closureRate', '结案率', 'rate'], ['onTimeRate', '按期结案率', 'rate'], ['acceptOnTimeRate', '按时签收率', 'rate'],
  ['reworkRate', '返工率', 'rate'], ['extensionRate', '延期率', 'rate'], ['satisfactionRate', '满意率', 'rate'], ['replyRate', '回复率', 'rate'],
];

function table(ws: ExcelJS.Worksheet, first: string, rows: AnalyticsItem[]): void {
  ws.addRow([first, ...COLUMNS.map(([, h]) => h)]).font = { bold: true };
  for (const r of rows) ws.addRow([r.name, ...COLUMNS.map(([k]) => r[k] ?? null)]);
  COLUMNS.forEach(([, , kind], i) => {
    if (kind === 'rate') ws.getColumn(i + 2).numFmt = '0.0%';
  });
  ws.getColumn(1).width = 22;
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

/** The report's tables as a workbook: 概况 (summary and totals), 辖区排名, 事件类别, 超期事件. */
export async function monthlyXlsx(r: MonthlyReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'GridOps';
  const sum = wb.addWorksheet('概况');
  sum.addRow([`${r.regionName} ${r.month} 月度报告`]).font = { bold: true, size: 14 };
  sum.addRow([r.summary]);
  sum.addRow([]);
  sum.addRow(['指标', '本月']).font = { bold: true };
  for (const [k, h, kind] of COLUMNS) {
    const row = sum.addRow([h, r.total[k as keyof typeof r.total] ?? null]);
    if (kind === 'rate') row.getCell(2).numFmt = '0.0%';
  }
  sum.getColumn(1).width = 16;
  sum.getColumn(2).width = 14;
  table(wb.addWorksheet('辖区排名'), '辖区', r.regions);
  table(wb.addWorksheet('事件类别'), '类别', r.categories);
  const od = wb.addWorksheet('超期事件');
  od.addRow(['编号', '事件', '状态', '办理时限（北京时间）', '超期（小时）']).font = { bold: true };
  for (const c of r.overdue) od.addRow([c.id, c.title, STATUS_ZH[c.status as keyof typeof STATUS_ZH] ?? c.status, cstMinute(c.dueAt), c.overdueHours]);
  od.getColumn(2).width = 36;
  od.getColumn(4).width = 20;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The monthly report's times are China Standard Time, and its stages Chinese (server/reports/page.ts, xlsx.ts). */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { AnalyticsTotal } from '#common/analytics/api';
import { cstMinute, type MonthlyReport } from '#common/reports/monthly';
import { monthlyPage } from '#server/reports/page';
import { monthlyXlsx } from '#server/reports/xlsx';

const zero: AnalyticsTotal = {
  received: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, reworked: 0, extended: 0, overdue: 0, replied: 0, satisfied: 0,
  closureRate: null, onTimeRate: null, acceptOnTimeRate: null, reworkRate: null, extensionRate: null, satisfactionRate: null, replyRate: null,
  meanCloseMinutes: null, p90CloseMinutes: null,
};
const report: MonthlyReport = {
  regionId: '510108001', regionName: '猛追湾街道', month: '2026-11', total: { ...zero, received: 1, due: 1, overdue: 1 }, regions: [], categories: [],
  // 09:30 UTC is 17:30 in Chengdu; 20:00 UTC on the 30th is 04:00 on 1 December there.
  overdue: [{ id: 'INC-1', title: '积存垃圾渣土 · 东风社区第1网格', status: 'dispatched', dueAt: '2026-11-30T09:30:00.000Z', overdueHours: 5 }],
  summary: '…',
};

describe('monthly report times', () => {
  it('cstMinute reads an instant on the Chengdu clock', () => {
    expect(cstMinute('2026-11-30T09:30:00.000Z')).toBe('2026-11-30 17:30');
    expect(cstMinute(Date.parse('2026-11-30T20:00:00Z'))).toBe('2026-12-01 04:00');
  });

  it('the print page gives deadlines and its own time in Beijing time, never unlabelled UTC', () => {
    const html = monthlyPage(report, new Date('2026-11-29T12:00:00Z'));
    expect(html).toContain('<td>2026-11-30 17:30</td>');
    expect(html).toContain('生成于 2026-11-29 20:00（北京时间）');
    expect(html).not.toContain('UTC');
    // The list holds the cases still open past their deadline; the KPI above also counts those closed late.
    expect(html).toContain('超期未办结事件（1 件）');
  });

  it('the workbook lists the overdue case with a Beijing-time deadline and a Chinese stage', async () => {
    const wb = new ExcelJS.Workbook();
    const buf = await monthlyXlsx(report);
    await wb.xlsx.load(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
    const row = wb.getWorksheet('超期事件')!.getRow(2);
    expect([row.getCell(1).value, row.getCell(3).value, row.getCell(4).value, row.getCell(5).value]).toEqual(['INC-1', '已派遣', '2026-11-30 17:30', 5]);
  });
});

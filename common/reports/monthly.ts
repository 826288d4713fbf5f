import { z } from 'zod';
import type { AnalyticsItem, AnalyticsTotal } from '../analytics/api.ts';
import { percentText } from '../analytics/format.ts';
import type { IncidentStatus } from '../incidents/types.ts';
import { CST_OFFSET_MS } from '../time.ts';

export const monthlyQuery = z.object({
  regionId: z.string().regex(/^\d{6,15}$/).optional(),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
});

/** One overdue case in the report: no personal data (title is the server's "category · place"). */
export interface OverdueCase {
  id: string;
  title: string;
  status: string;
  dueAt: string;
  overdueHours: number;
}

/** The figures of a monthly report for one region (common to the PDF page and the XLSX tables). */
export interface MonthlyReport {
  regionId: string;
  regionName: string;
  month: string;
  total: AnalyticsTotal;
  /** Sub-regions, by received cases. */
  regions: AnalyticsItem[];
  categories: AnalyticsItem[];
  overdue: OverdueCase[];
  summary: string;
}

const pct = (r: number | null) => percentText(r);
const points = (d: number) => ` ${Math.abs(d * 100).toFixed(1)} 个百分点`;

function trend(d: number | null | undefined): string {
  if (d === null || d === undefined) return '';
  if (Math.abs(d) < 0.0005) return '，与上月持平';
  return `，较上月${d > 0 ? '上升' : '下降'}${points(d)}`;
}

/**
 * The report's summary in Chinese, written from the figures only (pure): cases received, 结案率 and
 * 按期结案率 with their change from the previous month, overdue count, 满意率, and the sub-region with the
 * lowest 结案率 when there are several.
 */
export function monthlySummaryZh(r: Pick<MonthlyReport, 'month' | 'regionName' | 'total' | 'regions'>): string {
  const t = r.total;
  const [y, m] = r.month.split('-');
  const parts = [`${y}年${Number(m)}月，${r.regionName}共受理事件 ${t.received} 件`];
  if (t.closureRate === null) parts.push('本月无到期事件');
  else parts.push(`结案率 ${pct(t.closureRate)}${trend(t.change?.closureRate)}`);
  if (t.onTimeRate !== null) parts.push(`按期结案率 ${pct(t.onTimeRate)}${trend(t.change?.onTimeRate)}`);
  parts.push(t.overdue > 0 ? `超期 ${t.overdue} 件` : '无超期事件');
  if (t.satisfactionRate !== null) parts.push(`群众满意率 ${pct(t.satisfactionRate)}（回复率 ${pct(t.replyRate)}）`);
  let text = `${parts.join('，')}。`;
  const ranked = r.regions.filter((x) => x.closureRate !== null);
  if (ranked.length > 1) {
    const low = ranked.reduce((a, b) => (b.closureRate! < a.closureRate! ? b : a));
    const high = ranked.reduce((a, b) => (b.closureRate! > a.closureRate! ? b : a));
    if (low.key !== high.key) text += `${high.name}结案率最高（${pct(high.closureRate)}），${low.name}最低（${pct(low.closureRate)}），需重点督办。`;
  }
  return text;
}

/** First and last day (YYYY-MM-DD) of a month. */
export function monthDays(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/**
 * A time as the report's reader reads it: China Standard Time, 'YYYY-MM-DD HH:mm'. The report once printed
 * deadlines in UTC without saying so (a 17:30 deadline read 09:30).
 */
export function cstMinute(at: string | number | Date): string {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'number' ? at : Date.parse(at);
  return new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** Case stages in the report's Chinese (the same words as the screens' zh-CN status names). */
export const STATUS_ZH: Record<IncidentStatus, string> = {
  reported: '上报', verifying: '核实中', filed: '已立案', rejected: '不予立案', dispatched: '已派遣',
  in_progress: '处置中', feedback: '已反馈', checking: '核查中', closed: '已结案',
};

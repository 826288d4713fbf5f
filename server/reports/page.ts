import type { AnalyticsItem } from '#common/analytics/api';
import { percentText } from '#common/analytics/format';
import { cstMinute, type MonthlyReport } from '#common/reports/monthly';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (r: number | null | undefined) => percentText(r);
const pp = (d: number | null | undefined) => (d === null || d === undefined ? '' : `${d >= 0 ? '+' : '−'}${Math.abs(d * 100).toFixed(1)}pp`);

/** A horizontal bar chart in SVG (the page is rendered once to PDF; no script runs in it). */
function bars(items: AnalyticsItem[], value: (i: AnalyticsItem) => number | null, label: (v: number) => string, max: number): string {
  const rows = items.filter((i) => value(i) !== null).slice(0, 12);
  const h = 18;
  const out = rows.map((it, n) => {
    const v = value(it)!;
    const w = max > 0 ? Math.max(1, (v / max) * 300) : 1;
    return `<text x="0" y="${n * h + 13}" font-size="11">${esc(it.name)}</text>`
      + `<rect x="110" y="${n * h + 3}" width="${w.toFixed(1)}" height="12" fill="#2f86c8"/>`
      + `<text x="${(114 + w).toFixed(1)}" y="${n * h + 13}" font-size="10" fill="#333">${esc(label(v))}</text>`;
  });
  return `<svg width="470" height="${rows.length * h + 4}" xmlns="http://www.w3.org/2000/svg">${out.join('')}</svg>`;
}

function table(items: AnalyticsItem[], first: string): string {
  const head = ['受理', '应结', '结案', '超期', '结案率', '按期结案率', '满意率'];
  const rows = items.map((i) => `<tr><td>${esc(i.name)}</td><td>${i.received}</td><td>${i.due}</td><td>${i.closed}</td><td>${i.overdue}</td>`
    + `<td>${pct(i.closureRate)}</td><td>${pct(i.onTimeRate)}</td><td>${pct(i.satisfactionRate)}</td></tr>`);
  return `<table><thead><tr><th>${first}</th>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('') || '<tr><td colspan="8">无数据</td></tr>'}</tbody></table>`;
}

/** The monthly report as a print-ready A4 page (print CSS), in Chinese. Every figure and name is escaped. */
export function monthlyPage(r: MonthlyReport, generatedAt: Date): string {
  const t = r.total;
  const kpi = (label: string, value: string, change = '') => `<div class="kpi"><b>${value}</b><span>${label}</span><i>${change}</i></div>`;
  const ranked = r.regions.filter((i) => i.closureRate !== null).sort((a, b) => b.closureRate! - a.closureRate!);
  const overdue = r.overdue.map((c) => `<tr><td>${esc(c.id)}</td><td>${esc(c.title)}</td><td>${esc(cstMinute(c.dueAt))}</td><td>${c.overdueHours}</td></tr>`);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(r.regionName)} ${r.month} 月度报告</title><style>
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', sans-serif; color: #111; font-size: 11pt; margin: 0; }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #2f86c8; padding-bottom: 1mm; break-after: avoid; }
.meta { color: #555; font-size: 9pt; } .summary { background: #eef6fc; padding: 3mm 4mm; border-left: 3px solid #2f86c8; line-height: 1.6; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; } .kpi { border: 1px solid #cbd9e6; padding: 2mm; text-align: center; }
.kpi b { display: block; font-size: 15pt; } .kpi span { font-size: 9pt; color: #444; } .kpi i { display: block; font-size: 8pt; color: #2f6f9f; font-style: normal; min-height: 1em; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; } th, td { border: 1px solid #cbd9e6; padding: 1mm 1.5mm; text-align: right; }
th:first-child, td:first-child, .cases th:nth-child(2), .cases td:nth-child(2) { text-align: left; } thead { display: table-header-group; } tr { break-inside: avoid; }
section { break-inside: avoid-page; }
</style></head><body>
<h1>${esc(r.regionName)} · ${r.month.replace('-', '年')}月 社区治理月度报告</h1>
<p class="meta">生成于 ${esc(cstMinute(generatedAt))}（北京时间）· GridOps 智慧社区指挥中心</p>
<h2>本月概述</h2><p class="summary">${esc(r.summary)}</p>
<h2>关键指标</h2><div class="kpis">
${kpi('受理事件', String(t.received))}${kpi('结案率', pct(t.closureRate), pp(t.change?.closureRate))}${kpi('按期结案率', pct(t.onTimeRate), pp(t.change?.onTimeRate))}${kpi('超期', String(t.overdue))}
${kpi('按时签收率', pct(t.acceptOnTimeRate))}${kpi('返工率', pct(t.reworkRate))}${kpi('满意率', pct(t.satisfactionRate))}${kpi('回复率', pct(t.replyRate))}
</div>
<section><h2>辖区结案率排名</h2>${bars(ranked, (i) => i.closureRate, (v) => pct(v), 1)}</section>
<section><h2>事件类别</h2>${bars(r.categories, (i) => i.received, (v) => `${v} 件`, Math.max(1, ...r.categories.map((c) => c.received)))}</section>
<h2>辖区明细</h2>${table(r.regions, '辖区')}
<h2>类别明细</h2>${table(r.categories, '类别')}
<h2>超期未办结事件（${r.overdue.length} 件${r.overdue.length >= 200 ? '，列出超期最久的 200 件' : ''}）</h2><p class="meta">本月到期、至今仍未办结的事件；上方“超期”另含已超期办结的。</p><table class="cases"><thead><tr><th>编号</th><th>事件</th><th>办理时限（北京时间）</th><th>超期（小时）</th></tr></thead><tbody>${overdue.join('') || '<tr><td colspan="4">无</td></tr>'}</tbody></table>
</body></html>`;
}

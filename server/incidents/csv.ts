import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import { categoryByCode } from '#common/incidents/categories';
import { projectIncident, type Audience } from '#common/incidents/projection';
import type { Incident } from '#common/incidents/types';
import type { Regions } from '../geo/regions.ts';
import type { IncidentFilter, Store } from '../store/types.ts';

/** Enough for any real report; a larger export is a database dump, not a CSV download. */
export const CSV_MAX_ROWS = 100_000;
const PAGE = 500;

const HEADERS = {
  zh: ['事件编号', '上报时间', '来源', '类别', '级别', '状态', '标题', '街道', '社区', '网格', '经度', '纬度', '地址', '处置时限', '报告数'],
  en: ['id', 'reported at', 'source', 'category', 'severity', 'status', 'title', 'street', 'community', 'grid', 'lng', 'lat', 'address', 'due', 'reports'],
};

function rowOf(i: Incident, lang: 'zh' | 'en', regions: Regions): (string | number | null)[] {
  const path = i.gridId ? regions.path(i.gridId) : [];
  const name = (level: string) => {
    const r = path.find((p) => p.level === level);
    return r ? (lang === 'en' ? r.nameEn : r.name) : '';
  };
  const category = categoryByCode(i.category);
  return [
    i.id,
    i.reportedAt,
    i.source,
    category ? (lang === 'en' ? category.nameEn : category.nameZh) : i.category,
    i.severity,
    i.status,
    i.title,
    name('street'),
    name('community'),
    name('grid'),
    i.location.lng,
    i.location.lat,
    i.address,
    i.dueAt,
    i.reportCount,
  ];
}

/**
 * Stream a filtered list as CSV (UTF-8 with a BOM, so Excel on Chinese Windows opens it right), page by page,
 * with the same projection by role as the API. Cells are written as text: a title starting with `=` stays text.
 */
export async function writeIncidentsCsv(
  res: Response,
  store: Store,
  filter: IncidentFilter,
  audience: Audience,
  lang: 'zh' | 'en',
  regions: Regions,
): Promise<void> {
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="incidents-${new Date().toISOString().slice(0, 10)}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  const csv = stringify({ bom: true, cast: { string: (v) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v) } });
  csv.pipe(res);
  csv.write(HEADERS[lang]);
  let cursor: string | null = null;
  let written = 0;
  do {
    const page = await store.incidents.list(filter, { limit: PAGE, cursor });
    for (const i of page.items) {
      if (written++ >= CSV_MAX_ROWS) break;
      if (!csv.write(rowOf(projectIncident(i, audience), lang, regions))) await new Promise((r) => csv.once('drain', r));
    }
    cursor = page.nextCursor;
  } while (cursor && written < CSV_MAX_ROWS);
  csv.end();
}

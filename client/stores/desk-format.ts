import type { CandidateReason } from '#common/dispatch/types';
import { categoryName } from '../i18n';
import { formatCountdown, slaLeft } from './queue-filter';

type T = (key: string, params?: Record<string, unknown>) => string;

/** One candidate reason in words ("距离 320 米", "在岗", "在办 3 件", "按期率 92%"); null when nothing to say. */
export function reasonText(r: CandidateReason, t: T): string | null {
  switch (r.code) {
    case 'distance_m':
      if (typeof r.value !== 'number') return null;
      return r.value >= 1000 ? t('desk.reason.distance_km', { v: (r.value / 1000).toFixed(1) }) : t('desk.reason.distance_m', { v: Math.round(r.value) });
    case 'home_grid':
      return r.value === true ? t('desk.reason.home_grid') : null;
    case 'on_duty':
      return t(r.value ? 'desk.reason.on_duty' : 'desk.reason.off_duty');
    case 'open_cases':
      return typeof r.value === 'number' ? t('desk.reason.open_cases', { v: r.value }) : null;
    case 'handles_category':
      return t(r.value ? 'desk.reason.handles_category' : 'desk.reason.not_category');
    case 'on_time_rate':
      return typeof r.value === 'number' ? t('desk.reason.on_time_rate', { v: Math.round(r.value * 100) }) : t('desk.reason.no_rate');
    default:
      return null;
  }
}

export function reasonsText(reasons: readonly CandidateReason[], t: T): string {
  return reasons.map((r) => reasonText(r, t)).filter((s): s is string => !!s).join(' · ');
}

/** "剩 1:02:03" / "超期 0:10:00" / "未派遣". */
export function countdownText(dueAt: string | null, now: number, t: T): string {
  if (dueAt === null) return t('desk.noDeadline');
  const c = formatCountdown(slaLeft({ dueAt }, now));
  return t(c.overdue ? 'desk.overdueBy' : 'desk.left', { t: c.text });
}

/**
 * A case's heading in the screen's language: the server's title is "category · place" in Chinese (place: the
 * grid, or the district for points outside every grid), so the console rebuilds it from the category code and the
 * region tree instead of showing Chinese on an English desk.
 */
export function caseTitle(
  i: { category: string; gridId: string | null },
  locale: string,
  regions: { nameOf: (id: string | null, locale: string) => string | null; rootId: string | null },
): string {
  return `${categoryName(i.category, locale)} · ${regions.nameOf(i.gridId ?? regions.rootId, locale) ?? ''}`;
}

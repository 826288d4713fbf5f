/**
 * Visit tiers of the care registry (关爱探访), the rule table:
 *
 * | tier      | who (first rule that matches)                             | interval            |
 * |-----------|-----------------------------------------------------------|---------------------|
 * | weekly    | 80+ and living alone or empty-nest                         | 7 days              |
 * | monthly   | disabled, dementia or 特困 (tekun)                          | 1 calendar month    |
 * | quarterly | everyone else in the registry                              | 3 calendar months   |
 *
 * The same table as data below (a deployment may pass its own rules). Calendar months are counted in China
 * Standard Time and clamp to the month's end: visited 31 January → due 28 (29) February, then 28 (29) March.
 */
import { CST_OFFSET_MS } from '../time.ts';
import type { CareCondition, CareResident, VisitTier } from './types.ts';

export interface TierRule {
  tier: VisitTier;
  minAge: number;
  /** The resident must be living alone or empty-nest. */
  aloneOrEmptyNest: boolean;
  /** Any of these conditions (empty: no condition needed). */
  anyCondition: readonly CareCondition[];
}

export const DEFAULT_TIER_RULES: readonly TierRule[] = [
  { tier: 'weekly', minAge: 80, aloneOrEmptyNest: true, anyCondition: [] },
  { tier: 'monthly', minAge: 0, aloneOrEmptyNest: false, anyCondition: ['disabled', 'dementia', 'tekun'] },
];
export const FALLBACK_TIER: VisitTier = 'quarterly';

/** Interval per tier: days, or calendar months. */
export const TIER_INTERVALS: Readonly<Record<VisitTier, { days: number } | { months: number }>> = {
  weekly: { days: 7 },
  monthly: { months: 1 },
  quarterly: { months: 3 },
};

/** Age in whole years on the CST calendar day of `at`. */
export function ageOn(birthDate: string, at: Date): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const d = new Date(at.getTime() + CST_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return y - by - (m < bm || (m === bm && day < bd) ? 1 : 0);
}

export function tierOf(r: Pick<CareResident, 'birthDate' | 'livingAlone' | 'emptyNest' | 'conditions'>, at: Date, rules: readonly TierRule[] = DEFAULT_TIER_RULES): VisitTier {
  const age = ageOn(r.birthDate, at);
  for (const rule of rules) {
    if (age < rule.minAge) continue;
    if (rule.aloneOrEmptyNest && !(r.livingAlone || r.emptyNest)) continue;
    if (rule.anyCondition.length && !rule.anyCondition.some((c) => r.conditions.includes(c))) continue;
    return rule.tier;
  }
  return FALLBACK_TIER;
}

const daysIn = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** `from` plus the tier's interval: whole days, or calendar months in CST clamped to the month's end. */
export function addInterval(from: Date, tier: VisitTier): Date {
  const iv = TIER_INTERVALS[tier];
  if ('days' in iv) return new Date(from.getTime() + iv.days * 86_400_000);
  const local = new Date(from.getTime() + CST_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m0 = local.getUTCMonth() + iv.months;
  const ty = y + Math.floor(m0 / 12);
  const tm = ((m0 % 12) + 12) % 12;
  const day = Math.min(local.getUTCDate(), daysIn(ty, tm));
  const ms = Date.UTC(ty, tm, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return new Date(ms - CST_OFFSET_MS);
}

/** When the next visit is due: one interval after the last visit, or after registration when never visited. */
export function nextDue(r: Pick<CareResident, 'registeredAt'>, lastVisitAt: string | null, tier: VisitTier): Date {
  return addInterval(new Date(lastVisitAt ?? r.registeredAt), tier);
}

export interface VisitStatus {
  tier: VisitTier;
  lastVisitAt: string | null;
  dueAt: string;
  overdue: boolean;
  /** Whole days past due (0 when not overdue). */
  daysOverdue: number;
}

export function visitStatus(r: Pick<CareResident, 'birthDate' | 'livingAlone' | 'emptyNest' | 'conditions' | 'registeredAt'>, lastVisitAt: string | null, now: Date, rules?: readonly TierRule[]): VisitStatus {
  const tier = tierOf(r, now, rules);
  const due = nextDue(r, lastVisitAt, tier);
  const late = now.getTime() - due.getTime();
  return { tier, lastVisitAt, dueAt: due.toISOString(), overdue: late > 0, daysOverdue: late > 0 ? Math.floor(late / 86_400_000) : 0 };
}

/**
 * The key of one due period of a resident: the due instant of the missed visit. Stored with a unique
 * constraint so one welfare task is made per period however many nodes notice it.
 */
export const duePeriodKey = (residentId: string, dueAt: string) => `${residentId}|${dueAt}`;

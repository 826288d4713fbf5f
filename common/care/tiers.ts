/**
 * Visit tiers of the care registry (关爱探访), the rule table (the default; admins edit it, PUT /api/care/tiers):
 *
 * | tier      | who (first rule that matches)                             | interval            |
 * |-----------|-----------------------------------------------------------|---------------------|
 * | weekly    | 80+ and living alone or empty-nest                         | 7 days              |
 * | monthly   | disabled, dementia or 特困 (tekun)                          | 1 calendar month    |
 * | quarterly | everyone else in the registry                              | 3 calendar months   |
 *
 * The three tier keys are fixed (the wall's coverage and the indicators are keyed by them); each rule's name,
 * condition and interval are data. A resident no rule matches gets the last rule's tier. Calendar months are
 * counted in China Standard Time and clamp to the month's end: visited 31 January → due 28 (29) February.
 */
import { CST_OFFSET_MS } from '../time.ts';
import type { CareCondition, VisitTier } from './constants.ts';
import type { CareResident } from './types.ts';

/** Whole days, or calendar months in CST. */
export type TierInterval = { days: number } | { months: number };

export interface TierRule {
  tier: VisitTier;
  /** What staff call the tier (e.g. 高龄独居); shown beside the tier in the console. */
  name: string;
  minAge: number;
  /** The resident must be living alone or empty-nest. */
  aloneOrEmptyNest: boolean;
  /** Any of these conditions (empty: no condition needed). */
  anyCondition: readonly CareCondition[];
  interval: TierInterval;
}

export const DEFAULT_TIER_RULES: readonly TierRule[] = [
  { tier: 'weekly', name: '高龄独居/空巢', minAge: 80, aloneOrEmptyNest: true, anyCondition: [], interval: { days: 7 } },
  { tier: 'monthly', name: '失能/失智/特困', minAge: 0, aloneOrEmptyNest: false, anyCondition: ['disabled', 'dementia', 'tekun'], interval: { months: 1 } },
  { tier: 'quarterly', name: '其他老人', minAge: 0, aloneOrEmptyNest: false, anyCondition: [], interval: { months: 3 } },
];

/** Age in whole years on the CST calendar day of `at`. */
export function ageOn(birthDate: string, at: Date): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const d = new Date(at.getTime() + CST_OFFSET_MS);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return y - by - (m < bm || (m === bm && day < bd) ? 1 : 0);
}

/** The first rule the resident matches, else the table's last rule. */
export function ruleOf(r: Pick<CareResident, 'birthDate' | 'livingAlone' | 'emptyNest' | 'conditions'>, at: Date, rules: readonly TierRule[] = DEFAULT_TIER_RULES): TierRule {
  const age = ageOn(r.birthDate, at);
  for (const rule of rules) {
    if (age < rule.minAge) continue;
    if (rule.aloneOrEmptyNest && !(r.livingAlone || r.emptyNest)) continue;
    if (rule.anyCondition.length && !rule.anyCondition.some((c) => r.conditions.includes(c))) continue;
    return rule;
  }
  return rules.at(-1) ?? DEFAULT_TIER_RULES.at(-1)!;
}

export const tierOf = (r: Pick<CareResident, 'birthDate' | 'livingAlone' | 'emptyNest' | 'conditions'>, at: Date, rules: readonly TierRule[] = DEFAULT_TIER_RULES): VisitTier => ruleOf(r, at, rules).tier;

/** A tier's interval in the table (a tier left out of the table: the default's). */
export function intervalOf(tier: VisitTier, rules: readonly TierRule[] = DEFAULT_TIER_RULES): TierInterval {
  return (rules.find((x) => x.tier === tier) ?? DEFAULT_TIER_RULES.find((x) => x.tier === tier)!).interval;
}

const daysIn = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

/** `from` plus the tier's (or an) interval: whole days, or calendar months in CST clamped to the month's end. */
export function addInterval(from: Date, tier: VisitTier | TierInterval, rules?: readonly TierRule[]): Date {
  const iv = typeof tier === 'string' ? intervalOf(tier, rules) : tier;
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
export function nextDue(r: Pick<CareResident, 'registeredAt'>, lastVisitAt: string | null, tier: VisitTier | TierInterval, rules?: readonly TierRule[]): Date {
  return addInterval(new Date(lastVisitAt ?? r.registeredAt), tier, rules);
}

export interface VisitStatus {
  tier: VisitTier;
  /** The rule's name in the admin's table. */
  tierName: string;
  lastVisitAt: string | null;
  dueAt: string;
  overdue: boolean;
  /** Whole days past due (0 when not overdue). */
  daysOverdue: number;
}

export function visitStatus(r: Pick<CareResident, 'birthDate' | 'livingAlone' | 'emptyNest' | 'conditions' | 'registeredAt'>, lastVisitAt: string | null, now: Date, rules?: readonly TierRule[]): VisitStatus {
  const rule = ruleOf(r, now, rules);
  const due = nextDue(r, lastVisitAt, rule.interval);
  const late = now.getTime() - due.getTime();
  return { tier: rule.tier, tierName: rule.name, lastVisitAt, dueAt: due.toISOString(), overdue: late > 0, daysOverdue: late > 0 ? Math.floor(late / 86_400_000) : 0 };
}

/**
 * The key of one due period of a resident: the due instant of the missed visit. Stored with a unique
 * constraint so one welfare task is made per period however many nodes notice it.
 */
export const duePeriodKey = (residentId: string, dueAt: string) => `${residentId}|${dueAt}`;

import { describe, expect, it } from 'vitest';
import { addInterval, ageOn, duePeriodKey, tierOf, visitStatus, type TierRule } from '../../common/care/tiers.ts';
import { tierRulesSchema } from '../../common/care/types.ts';

const cst = (local: string) => new Date(`${local}+08:00`);
const base = { livingAlone: false, emptyNest: false, conditions: [] as ('disabled' | 'dementia' | 'tekun')[] };

describe('visit tiers', () => {
  it('picks the first matching rule of the table', () => {
    const at = cst('2026-03-01T10:00:00');
    expect(tierOf({ ...base, birthDate: '1940-01-01', livingAlone: true }, at)).toBe('weekly');
    expect(tierOf({ ...base, birthDate: '1940-01-01', emptyNest: true }, at)).toBe('weekly');
    expect(tierOf({ ...base, birthDate: '1940-01-01' }, at)).toBe('quarterly'); // 86 but lives with family
    expect(tierOf({ ...base, birthDate: '1950-01-01', livingAlone: true }, at)).toBe('quarterly'); // 76, alone
    expect(tierOf({ ...base, birthDate: '1950-01-01', conditions: ['dementia'] }, at)).toBe('monthly');
    expect(tierOf({ ...base, birthDate: '1940-01-01', livingAlone: true, conditions: ['tekun'] }, at)).toBe('weekly');
  });

  it('counts age on the CST calendar day: the 80th birthday moves a lone resident to weekly', () => {
    const r = { ...base, birthDate: '1946-05-10', livingAlone: true };
    expect(ageOn(r.birthDate, cst('2026-05-09T23:59:00'))).toBe(79);
    expect(ageOn(r.birthDate, cst('2026-05-10T00:01:00'))).toBe(80); // 2026-05-09T16:01Z: already the 10th in CST
    expect(tierOf(r, cst('2026-05-09T12:00:00'))).toBe('quarterly');
    expect(tierOf(r, cst('2026-05-10T12:00:00'))).toBe('weekly');
  });

  it('weekly is seven days across a month end', () => {
    expect(addInterval(cst('2026-01-28T09:30:00'), 'weekly').toISOString()).toBe(cst('2026-02-04T09:30:00').toISOString());
  });

  it('monthly clamps to the month end in CST, also in a leap year', () => {
    expect(addInterval(cst('2026-01-31T09:00:00'), 'monthly').toISOString()).toBe(cst('2026-02-28T09:00:00').toISOString());
    expect(addInterval(cst('2028-01-31T09:00:00'), 'monthly').toISOString()).toBe(cst('2028-02-29T09:00:00').toISOString());
    // 01:00 CST on 1 March is still 28 February in UTC: the month is counted on the CST calendar.
    expect(addInterval(cst('2026-03-01T01:00:00'), 'monthly').toISOString()).toBe(cst('2026-04-01T01:00:00').toISOString());
    expect(addInterval(cst('2026-12-15T08:00:00'), 'monthly').toISOString()).toBe(cst('2027-01-15T08:00:00').toISOString());
  });

  it('quarterly adds three calendar months across a year end', () => {
    expect(addInterval(cst('2026-11-30T10:00:00'), 'quarterly').toISOString()).toBe(cst('2027-02-28T10:00:00').toISOString());
    expect(addInterval(cst('2026-05-31T10:00:00'), 'quarterly').toISOString()).toBe(cst('2026-08-31T10:00:00').toISOString());
  });

  it('is overdue one interval after the last visit, or after registration when never visited', () => {
    const r = { ...base, birthDate: '1950-01-01', conditions: ['disabled' as const], registeredAt: cst('2026-01-10T00:00:00').toISOString() };
    const s1 = visitStatus(r, null, cst('2026-02-09T12:00:00'));
    expect(s1).toMatchObject({ tier: 'monthly', overdue: false, dueAt: cst('2026-02-10T00:00:00').toISOString() });
    const s2 = visitStatus(r, null, cst('2026-02-13T12:00:00'));
    expect(s2).toMatchObject({ overdue: true, daysOverdue: 3 });
    const s3 = visitStatus(r, cst('2026-02-12T15:00:00').toISOString(), cst('2026-02-13T12:00:00'));
    expect(s3).toMatchObject({ overdue: false, dueAt: cst('2026-03-12T15:00:00').toISOString() });
    expect(duePeriodKey('R1', s2.dueAt)).toBe(`R1|${s2.dueAt}`);
  });
});

describe('configurable tier rules', () => {
  const rules: TierRule[] = [
    { tier: 'weekly', name: '失智', minAge: 0, aloneOrEmptyNest: false, anyCondition: ['dementia'], interval: { days: 3 } },
    { tier: 'monthly', name: '75岁以上独居', minAge: 75, aloneOrEmptyNest: true, anyCondition: [], interval: { days: 14 } },
    { tier: 'quarterly', name: '其他', minAge: 0, aloneOrEmptyNest: false, anyCondition: [], interval: { days: 60 } },
  ];
  const at = cst('2026-03-01T10:00:00');

  it('takes the table as input: the first match wins, the last rule takes the rest', () => {
    expect(tierOf({ ...base, birthDate: '1950-01-01', livingAlone: true }, at, rules)).toBe('monthly'); // 76, alone: 75+ here
    expect(tierOf({ ...base, birthDate: '1950-01-01', livingAlone: true }, at)).toBe('quarterly'); // the default: 80+
    expect(tierOf({ ...base, birthDate: '1940-01-01', livingAlone: true, conditions: ['dementia'] }, at, rules)).toBe('weekly');
    expect(tierOf({ ...base, birthDate: '1960-01-01', conditions: ['tekun'] }, at, rules)).toBe('quarterly');
    // A table without a catch-all: whoever matches nothing gets its last rule.
    expect(tierOf({ ...base, birthDate: '1960-01-01' }, at, rules.slice(0, 2))).toBe('monthly');
  });

  it('the interval in days is the rule’s: due and overdue move with the table', () => {
    const r = { ...base, birthDate: '1950-01-01', livingAlone: true, registeredAt: cst('2026-01-01T00:00:00').toISOString() };
    const last = cst('2026-02-20T09:00:00').toISOString();
    const custom = visitStatus(r, last, at, rules);
    expect(custom).toMatchObject({ tier: 'monthly', tierName: '75岁以上独居', overdue: false, dueAt: cst('2026-03-06T09:00:00').toISOString() });
    expect(visitStatus(r, last, cst('2026-03-08T10:00:00'), rules)).toMatchObject({ overdue: true, daysOverdue: 2 });
    expect(visitStatus(r, last, at)).toMatchObject({ tier: 'quarterly', dueAt: cst('2026-05-20T09:00:00').toISOString() });
    expect(addInterval(cst('2026-02-27T08:00:00'), 'quarterly', rules).toISOString()).toBe(cst('2026-04-28T08:00:00').toISOString());
  });

  it('the API schema takes each tier at most once, names and bounded intervals', () => {
    expect(tierRulesSchema.safeParse({ rules }).success).toBe(true);
    expect(tierRulesSchema.safeParse({ rules: [rules[0], rules[0]] }).success).toBe(false);
    expect(tierRulesSchema.safeParse({ rules: [{ ...rules[0], interval: { days: 0 } }] }).success).toBe(false);
    expect(tierRulesSchema.safeParse({ rules: [{ ...rules[0], name: ' ' }] }).success).toBe(false);
    expect(tierRulesSchema.safeParse({ rules: [] }).success).toBe(false);
    expect(tierRulesSchema.safeParse({ rules: [{ ...rules[2], interval: { months: 2 } }] }).success).toBe(true);
  });
});

/**
 * Columns of the two population CSV formats the importer accepts, with Chinese header aliases.
 *
 * PERSON format (a registry export, one row per person; person data is reduced to counts
 * while reading and never kept):
 *   grid_id 网格编码, month 月份 (YYYY-MM, YYYYMM, YYYY/MM, YYYY年MM月), id_number 身份证号,
 *   name 姓名 (never read), sex 性别 (男/女, M/F, male/female, 1/2), birth_date 出生日期
 *   (YYYY-MM-DD, YYYYMMDD, YYYY/M/D), registration 户籍类型 (户籍/流动, registered/floating),
 *   household_id 户编号, and 0/1 flags (是/否, Y/N, true/false, empty = no): living_alone 独居老人,
 *   empty_nest 空巢老人, disabled_care 失能, dementia 失智, extreme_hardship 特困, minimum_living 低保,
 *   disabled 残疾, veteran 退役军人, soe_retiree 原国企退休职工, land_lost_farmer 失地农民.
 *   Required: grid_id, month, registration, household_id, and sex and birth_date unless an
 *   18-digit resident ID number (GB 11643) is given to derive them from. oldestOld (高龄) is
 *   counted from the age (80+ at the month's end); households = distinct household_id.
 *
 * AGGREGATE format (one row per grid × month, e.g. a community's monthly statistics sheet):
 *   grid_id, month, households 户数, registered 户籍人口, floating 流动人口, the 42 band columns
 *   male_0_4 … male_95_99, male_100_plus, female_0_4 … female_100_plus (also 男_0_4, 男0-4岁,
 *   女100岁及以上), and optionally the special-group counts (living_alone … land_lost_farmer and
 *   oldest_old 高龄老人; missing = 0). registered + floating must equal the sum of the bands.
 */
import { AGE_BANDS, type AgeBand, type Sex, type SpecialGroup } from './types.ts';

export const PERSON_FLAG_COLUMNS = {
  living_alone: 'livingAlone',
  empty_nest: 'emptyNest',
  disabled_care: 'disabledCare',
  dementia: 'dementia',
  extreme_hardship: 'extremeHardship',
  minimum_living: 'minimumLiving',
  disabled: 'disabled',
  veteran: 'veterans',
  soe_retiree: 'soeRetirees',
  land_lost_farmer: 'landLostFarmers',
} as const satisfies Record<string, SpecialGroup>;
export type PersonFlagColumn = keyof typeof PERSON_FLAG_COLUMNS;

/** Group count columns of the aggregate format (the flag names, plus oldest_old). */
export const AGGREGATE_GROUP_COLUMNS: Record<string, SpecialGroup> = { ...PERSON_FLAG_COLUMNS, oldest_old: 'oldestOld' };

const ALIASES: Record<string, readonly string[]> = {
  grid_id: ['网格编码', '网格编号', '网格代码', '网格id', 'grid', 'gridid'],
  month: ['月份', '统计月份', '数据月份'],
  id_number: ['身份证号', '身份证号码', '公民身份号码', '证件号码', 'id_no', 'idnumber'],
  name: ['姓名'],
  sex: ['性别', 'gender'],
  birth_date: ['出生日期', 'birthday', 'dob'],
  registration: ['户籍类型', '人口类型', '户籍性质', '户籍/流动'],
  household_id: ['户编号', '户号', '家庭编号', '户id'],
  households: ['户数', '总户数'],
  registered: ['户籍人口', '户籍人数'],
  floating: ['流动人口', '流动人数'],
  living_alone: ['独居老人', '独居', '是否独居', '是否独居老人'],
  empty_nest: ['空巢老人', '空巢', '是否空巢', '是否空巢老人'],
  oldest_old: ['高龄老人', '高龄'],
  disabled_care: ['失能', '失能老人', '是否失能'],
  dementia: ['失智', '失智老人', '是否失智'],
  extreme_hardship: ['特困', '特困人员', '是否特困'],
  minimum_living: ['低保', '低保对象', '是否低保'],
  disabled: ['残疾', '残疾人', '是否残疾'],
  veteran: ['退役军人', '是否退役军人', 'veterans'],
  soe_retiree: ['原国企退休职工', '国企退休职工', '是否原国企退休职工', 'soe_retirees'],
  land_lost_farmer: ['失地农民', '失地农民安置', '是否失地农民', 'land_lost_farmers'],
};

const ALIAS_TO_CANONICAL = new Map<string, string>();
for (const [canonical, list] of Object.entries(ALIASES)) {
  ALIAS_TO_CANONICAL.set(canonical, canonical);
  for (const a of list) ALIAS_TO_CANONICAL.set(squash(a), canonical);
}

function squash(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '')
    .replace(/岁/g, '')
    .replace(/(及以上|以上|_plus|plus)$/, '+')
    .replace(/[-—–~～至]/g, '_');
}

/** Canonical name of a band column: `male_0_4`, `female_100_plus`. */
export function bandColumn(sex: Sex, band: AgeBand): string {
  return `${sex}_${band === '100+' ? '100_plus' : band.replace('-', '_')}`;
}

const BAND_RE = /^(male|m|男|female|f|女)_?(\d+)(?:_(\d+)|\+)$/;

/** Canonical column name of a header cell, or null when it is not a known column. */
export function canonicalColumn(header: string): string | null {
  const h = squash(header);
  const known = ALIAS_TO_CANONICAL.get(h);
  if (known) return known;
  const m = BAND_RE.exec(h);
  if (!m) return null;
  const sex: Sex = m[1] === 'male' || m[1] === 'm' || m[1] === '男' ? 'male' : 'female';
  const band = m[3] === undefined ? `${m[2]}+` : `${m[2]}-${m[3]}`;
  return (AGE_BANDS as readonly string[]).includes(band) ? bandColumn(sex, band as AgeBand) : null;
}

export const PERSON_REQUIRED = ['grid_id', 'month', 'registration', 'household_id'] as const;
export const AGGREGATE_REQUIRED = ['grid_id', 'month', 'households', 'registered', 'floating'] as const;

/**
 * Validation of single rows of the population CSV formats (see registry-columns.ts). Pure.
 * A parsed person row carries only what aggregation needs: grid, month, sex, age band,
 * registration, group flags, and 53-bit hashes of the household id and the ID number
 * (for counting distinct households and catching duplicates). No name, ID or birth date.
 * Error reasons never echo a person-field value (a shifted column could put a name or an
 * ID number there); only the aggregate format's count cells are echoed.
 */
import { AGE_BANDS, SEXES, type AgeBand, type PopulationAggregate, type Sex, type SpecialGroup } from './types.ts';
import { ageBandOf, emptyAggregate, totalResidents } from './indicators.ts';
import { AGGREGATE_GROUP_COLUMNS, PERSON_FLAG_COLUMNS, bandColumn, type PersonFlagColumn } from './registry-columns.ts';

export interface FieldError {
  column: string;
  reason: string;
}
export type RowResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[]; gridId?: string; month?: string };
/** Cell value by canonical column name; undefined when the file has no such column. */
export type Getter = (column: string) => string | undefined;

export interface PersonFacts {
  gridId: string;
  month: string;
  sex: Sex;
  band: AgeBand;
  registration: 'registered' | 'floating';
  groups: SpecialGroup[];
  householdKey: number;
  personKey: number | null;
}

/** cyrb53: a 53-bit string hash (not a security measure; keys only live during one import). */
export function hash53(s: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function parseGridId(s: string): string | null {
  return /^\d{15}$/.test(s) ? s : null;
}

/** `2025-03`, `202503`, `2025/3`, `2025年3月` → `'2025-03'`. */
export function parseMonth(s: string): string | null {
  const m = /^(\d{4})(?:[-/.年]?(\d{1,2})月?)$/.exec(s.trim());
  if (!m || (m[2]?.length === 1 && !/[-/.年]/.test(s))) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  if (y < 1900 || y > 2100 || mo < 1 || mo > 12) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}`;
}

/** `1950-07-01`, `19500701`, `1950/7/1`, `1950年7月1日` → [y, m, d], validated against the calendar. */
export function parseDate(s: string): [number, number, number] | null {
  const m = /^(\d{4})(?:(\d{2})(\d{2})|[-/.年](\d{1,2})[-/.月](\d{1,2})日?)(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s.trim());
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2] ?? m[4]);
  const d = Number(m[3] ?? m[5]);
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return [y, mo, d];
}

/** Completed years of age on the last day of `month` ('YYYY-MM'); negative when born after it. */
export function ageAtMonthEnd(birth: [number, number, number], month: string): number {
  const y = Number(month.slice(0, 4));
  const mo = Number(month.slice(5, 7));
  const lastDay = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const [by, bm, bd] = birth;
  return y - by - (mo < bm || (mo === bm && lastDay < bd) ? 1 : 0);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** An 18-digit resident ID number with a valid GB 11643 check digit gives birth date and sex. */
export function parseResidentId(id: string): { birth: [number, number, number]; sex: Sex } | null {
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] ?? 0);
  if (ID_CHECK[sum % 11] !== id[17]) return null;
  const birth = parseDate(id.slice(6, 14));
  return birth && { birth, sex: Number(id[16]) % 2 === 1 ? 'male' : 'female' };
}

export function parseSex(s: string): Sex | null {
  const v = s.trim().toLowerCase();
  if (['男', 'm', 'male', '1', '男性'].includes(v)) return 'male';
  if (['女', 'f', 'female', '2', '女性'].includes(v)) return 'female';
  return null;
}

function parseRegistration(s: string): 'registered' | 'floating' | null {
  const v = s.trim().toLowerCase();
  if (['户籍', '户籍人口', '常住户籍', 'registered', 'hukou'].includes(v)) return 'registered';
  if (['流动', '流动人口', '外来', 'floating', 'migrant'].includes(v)) return 'floating';
  return null;
}

export function parseFlag(s: string): boolean | null {
  const v = s.trim().toLowerCase();
  if (['', '0', '否', 'n', 'no', 'false', '无'].includes(v)) return false;
  if (['1', '是', 'y', 'yes', 'true', '有'].includes(v)) return true;
  return null;
}

function gridAndMonth(get: Getter, errors: FieldError[]): { gridId?: string; month?: string } {
  const g = (get('grid_id') ?? '').trim();
  const m = (get('month') ?? '').trim();
  const gridId = parseGridId(g) ?? undefined;
  const month = parseMonth(m) ?? undefined;
  if (!gridId) errors.push({ column: 'grid_id', reason: g ? 'not a 15-digit grid code' : 'empty' });
  if (!month) errors.push({ column: 'month', reason: m ? 'not a month (YYYY-MM, YYYYMM, YYYY年M月)' : 'empty' });
  return { gridId, month };
}

export function parsePersonRow(get: Getter): RowResult<PersonFacts> {
  const errors: FieldError[] = [];
  const { gridId, month } = gridAndMonth(get, errors);
  const idRaw = (get('id_number') ?? '').trim().toUpperCase();
  const fromId = parseResidentId(idRaw);
  if (/^\d{17}[\dX]$/.test(idRaw) && !fromId) errors.push({ column: 'id_number', reason: 'check digit or birth date invalid (GB 11643)' });
  // Excel writes a long number column as 5.10108E+17: its digits are gone, and every such row would be one person.
  const lostDigits = /^\d(?:\.\d+)?E\+?\d+$/.test(idRaw);
  if (lostDigits) errors.push({ column: 'id_number', reason: 'in scientific notation: the digits were lost (Excel: format the column as text, then export again)' });

  const sexRaw = (get('sex') ?? '').trim();
  let sex = sexRaw ? parseSex(sexRaw) : (fromId?.sex ?? null);
  if (!sex) errors.push({ column: 'sex', reason: sexRaw ? 'not a sex (男/女, M/F, male/female, 1/2)' : 'empty and not derivable from id_number' });
  else if (fromId && sex !== fromId.sex) {
    errors.push({ column: 'sex', reason: 'does not match id_number' });
    sex = null;
  }

  const birthRaw = (get('birth_date') ?? '').trim();
  const birth = birthRaw ? parseDate(birthRaw) : (fromId?.birth ?? null);
  let band: AgeBand | null = null;
  if (!birth) errors.push({ column: 'birth_date', reason: birthRaw ? 'not a date (YYYY-MM-DD, YYYYMMDD, YYYY/M/D)' : 'empty and not derivable from id_number' });
  else if (fromId && birth.join() !== fromId.birth.join()) errors.push({ column: 'birth_date', reason: 'does not match id_number' });
  else if (month) {
    const age = ageAtMonthEnd(birth, month);
    if (age < 0) errors.push({ column: 'birth_date', reason: 'after the end of the month' });
    else if (age > 125) errors.push({ column: 'birth_date', reason: 'implausible age (over 125)' });
    else band = ageBandOf(age);
  }

  const regRaw = (get('registration') ?? '').trim();
  const registration = parseRegistration(regRaw);
  if (!registration) errors.push({ column: 'registration', reason: regRaw ? 'expected 户籍 or 流动 (registered/floating)' : 'empty' });
  const hh = (get('household_id') ?? '').trim();
  if (!hh) errors.push({ column: 'household_id', reason: 'empty' });

  const groups: SpecialGroup[] = [];
  for (const col of Object.keys(PERSON_FLAG_COLUMNS) as PersonFlagColumn[]) {
    const raw = get(col);
    if (raw === undefined) continue;
    const f = parseFlag(raw);
    if (f === null) errors.push({ column: col, reason: 'expected 0/1 or 是/否' });
    else if (f) groups.push(PERSON_FLAG_COLUMNS[col]);
  }
  if (band && AGE_BANDS.indexOf(band) >= 16) groups.push('oldestOld');

  if (errors.length || !gridId || !month || !sex || !band || !registration) return { ok: false, errors, gridId, month };
  const householdKey = hash53(`${gridId}|${hh}`);
  return { ok: true, value: { gridId, month, sex, band, registration, groups, householdKey, personKey: idRaw ? hash53(idRaw) : null } };
}

function parseCount(get: Getter, column: string, errors: FieldError[], optional = false): number {
  const raw = get(column)?.trim() ?? '';
  if (raw === '' && optional) return 0;
  if (!/^\d+$/.test(raw)) {
    errors.push({ column, reason: raw ? `not a non-negative integer: "${raw}"` : 'empty' });
    return 0;
  }
  return Number(raw);
}

export function parseAggregateRow(get: Getter): RowResult<{ gridId: string; month: string; aggregate: PopulationAggregate }> {
  const errors: FieldError[] = [];
  const { gridId, month } = gridAndMonth(get, errors);
  const a = emptyAggregate();
  for (const s of SEXES) for (const b of AGE_BANDS) a.residents[s][b] = parseCount(get, bandColumn(s, b), errors);
  a.households = parseCount(get, 'households', errors);
  a.registered = parseCount(get, 'registered', errors);
  a.floating = parseCount(get, 'floating', errors);
  for (const [col, g] of Object.entries(AGGREGATE_GROUP_COLUMNS)) a.groups[g] = parseCount(get, col, errors, true);
  if (!errors.length && a.registered + a.floating !== totalResidents(a)) {
    errors.push({ column: 'registered', reason: `registered + floating = ${a.registered + a.floating}, residents by sex and age = ${totalResidents(a)}` });
  }
  if (errors.length || !gridId || !month) return { ok: false, errors, gridId, month };
  return { ok: true, value: { gridId, month, aggregate: a } };
}

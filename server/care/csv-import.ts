/**
 * Care-registry CSV import (like the population registry's: every bad row reported by line and column, the
 * rest imported). Columns (English or Chinese headers): grid_id 网格编码, name 姓名, birth_date 出生日期 required;
 * id 编号, phone 电话, living_alone 独居, empty_nest 空巢, conditions 状况 (disabled;dementia;tekun or
 * 残疾;失智;特困), address 住址, lng 经度, lat 纬度 optional. A row with an id already stored replaces it.
 */
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { careResidentInputSchema, type CareCondition, type CareResident } from '#common/care/types';

const COLUMNS: Record<string, string> = {
  id: 'id', 编号: 'id',
  grid_id: 'grid_id', 网格编码: 'grid_id', 网格: 'grid_id',
  name: 'name', 姓名: 'name',
  phone: 'phone', 电话: 'phone', 联系电话: 'phone',
  birth_date: 'birth_date', 出生日期: 'birth_date',
  living_alone: 'living_alone', 独居: 'living_alone',
  empty_nest: 'empty_nest', 空巢: 'empty_nest',
  conditions: 'conditions', 状况: 'conditions',
  address: 'address', 住址: 'address', 地址: 'address',
  lng: 'lng', 经度: 'lng',
  lat: 'lat', 纬度: 'lat',
};
const REQUIRED = ['grid_id', 'name', 'birth_date'];
const CONDITION_WORDS: Record<string, CareCondition> = { disabled: 'disabled', 残疾: 'disabled', dementia: 'dementia', 失智: 'dementia', tekun: 'tekun', 特困: 'tekun' };
const TRUE = new Set(['1', 'true', 'yes', 'y', '是']);
const FALSE = new Set(['', '0', 'false', 'no', 'n', '否']);
const FIELD_COLUMN: Record<string, string> = { gridId: 'grid_id', birthDate: 'birth_date', livingAlone: 'living_alone', emptyNest: 'empty_nest', location: 'lng' };

export interface CareImportError {
  line: number;
  column: string | null;
  /** English text; `code` (with `value`) lets the console say it in the user's language. */
  reason: string;
  code: CareImportErrorCode;
  value?: string;
}

export type CareImportErrorCode = 'unreadable' | 'empty' | 'missing_column' | 'not_yes_no' | 'unknown_condition' | 'bad_location' | 'invalid' | 'bad_date' | 'bad_grid_code' | 'unknown_grid' | 'out_of_scope' | 'future_birth';

export interface CareImportResult {
  residents: CareResident[];
  errors: CareImportError[];
  /** `errors`: every error found (the list keeps the first `maxErrors`). */
  counts: { rows: number; accepted: number; rejected: number; errors: number };
}

/** `inGrid(gridId)`: null when fine, else why not (unknown grid, outside the uploader's scope). */
export function parseCareCsv(text: string, inGrid: (gridId: string) => string | null, now: Date, maxErrors = 1000): CareImportResult {
  const errors: CareImportError[] = [];
  const counts = { rows: 0, accepted: 0, rejected: 0, errors: 0 };
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof records;
  } catch (err) {
    return { residents: [], errors: [{ line: 0, column: null, reason: `unreadable CSV: ${(err as Error).message.slice(0, 200)}`, code: 'unreadable' }], counts: { ...counts, errors: 1 } };
  }
  const [head, ...rows] = records;
  if (!head) return { residents: [], errors: [{ line: 1, column: null, reason: 'empty file', code: 'empty' }], counts: { ...counts, errors: 1 } };
  const index = new Map<string, number>();
  head.record.forEach((h, i) => {
    const c = COLUMNS[h.trim().toLowerCase()] ?? COLUMNS[h.trim()];
    if (c && !index.has(c)) index.set(c, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length) return { residents: [], errors: missing.map((column) => ({ line: 1, column, reason: 'required column missing from the header', code: 'missing_column' as const })), counts: { ...counts, errors: missing.length } };

  const out = new Map<string, CareResident>();
  for (const { record, info } of rows) {
    counts.rows++;
    const line = info.lines;
    const get = (c: string) => {
      const i = index.get(c);
      return i === undefined ? '' : (record[i] ?? '').trim();
    };
    const rowErrors: CareImportError[] = [];
    const flag = (c: string) => {
      const v = get(c).toLowerCase();
      if (TRUE.has(v)) return true;
      if (!FALSE.has(v)) rowErrors.push({ line, column: c, reason: `not a yes/no value: ${v.slice(0, 20)}`, code: 'not_yes_no', value: v.slice(0, 20) });
      return false;
    };
    const conditions: CareCondition[] = [];
    for (const w of get('conditions').split(/[;；,，、\s]+/).filter(Boolean)) {
      const c = CONDITION_WORDS[w.toLowerCase()] ?? CONDITION_WORDS[w];
      if (c) conditions.push(c);
      else rowErrors.push({ line, column: 'conditions', reason: `unknown condition: ${w.slice(0, 20)}`, code: 'unknown_condition', value: w.slice(0, 20) });
    }
    const lng = get('lng');
    const lat = get('lat');
    const location = lng || lat ? { lng: Number(lng), lat: Number(lat) } : null;
    if (location && !(Number.isFinite(location.lng) && Number.isFinite(location.lat) && lng && lat)) rowErrors.push({ line, column: 'lng', reason: 'lng and lat must both be numbers', code: 'bad_location' });
    const candidate = {
      ...(get('id') ? { id: get('id') } : {}),
      gridId: get('grid_id'),
      name: get('name'),
      phone: get('phone') || null,
      birthDate: get('birth_date').replace(/\//g, '-'),
      livingAlone: flag('living_alone'),
      emptyNest: flag('empty_nest'),
      conditions,
      address: get('address') || null,
      location: rowErrors.some((e) => e.column === 'lng') ? null : location,
    };
    const parsed = careResidentInputSchema.safeParse(candidate);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = String(i.path[0] ?? '');
        const code = field === 'birthDate' ? 'bad_date' : field === 'gridId' ? 'bad_grid_code' : 'invalid';
        rowErrors.push({ line, column: FIELD_COLUMN[field] ?? (field || null), reason: i.message, code, value: i.message });
      }
    } else {
      const where = inGrid(parsed.data.gridId);
      if (where) rowErrors.push({ line, column: 'grid_id', reason: where, code: where.startsWith('unknown') ? 'unknown_grid' : 'out_of_scope', value: parsed.data.gridId });
      if (parsed.data.birthDate > now.toISOString().slice(0, 10)) rowErrors.push({ line, column: 'birth_date', reason: 'in the future', code: 'future_birth' });
    }
    if (rowErrors.length || !parsed.success) {
      counts.rejected++;
      counts.errors += rowErrors.length;
      for (const e of rowErrors) if (errors.length < maxErrors) errors.push(e);
      continue;
    }
    const d = parsed.data;
    // Without an id, a stable one from grid, name and birth date: importing the same file twice updates.
    const id = d.id ?? `CR-${createHash('sha256').update(`${d.gridId}|${d.name}|${d.birthDate}`).digest('hex').slice(0, 16)}`;
    out.set(id, { ...d, id, registeredAt: now.toISOString(), synthetic: false });
    counts.accepted++;
  }
  return { residents: [...out.values()], errors, counts };
}

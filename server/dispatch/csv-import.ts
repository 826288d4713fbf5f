/**
 * CSV import of the party registry (`POST /api/parties/import`). One party per row; headers in Chinese or
 * English, in any order (below). Lists (categories, regions) are separated by `;` `；` `、` `|` or `,` inside
 * a quoted cell; categories by code or by Chinese/English name; kinds by code or Chinese name. A row with an
 * id updates that party; without one, the party of the same kind and name, else a new party. Every row is
 * checked on its own: the good ones are written together, the others come back with their line number
 * (the header is line 1) and why.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { CATEGORIES } from '#common/incidents/categories';
import { PARTY_KINDS, type Party, type PartyKind } from '#common/dispatch/types';
import type { Regions } from '../geo/regions.ts';
import { mayManage, newPartySchema, normalContact, regionProblem } from './parties.ts';

export const MAX_IMPORT_ROWS = 10_000;
const MAX_ERRORS = 1000;

const HEADERS: Record<string, 'id' | 'kind' | 'name' | 'categories' | 'regionIds' | 'contactName' | 'contactPhone'> = {
  id: 'id', 编号: 'id', 单位编号: 'id',
  kind: 'kind', type: 'kind', 类型: 'kind', 类别: 'kind',
  name: 'name', 名称: 'name', 单位名称: 'name',
  categories: 'categories', category: 'categories', 处置类别: 'categories', 事件类别: 'categories', 负责类别: 'categories',
  regions: 'regionIds', region_ids: 'regionIds', regionids: 'regionIds', 覆盖区域: 'regionIds', 区域: 'regionIds', 服务区域: 'regionIds',
  contact_name: 'contactName', contact: 'contactName', 联系人: 'contactName',
  contact_phone: 'contactPhone', phone: 'contactPhone', 联系电话: 'contactPhone', 电话: 'contactPhone',
};
const REQUIRED = ['kind', 'name', 'categories', 'regionIds'] as const;

export const KIND_NAMES_ZH: Record<PartyKind, string> = { department: '职能部门', property: '物业公司', social_org: '社会组织', volunteer_team: '志愿队伍' };
const KIND_ALIASES = new Map<string, PartyKind>([
  ...PARTY_KINDS.map((k) => [k, k] as const),
  ...Object.entries(KIND_NAMES_ZH).map(([k, zh]) => [zh, k as PartyKind] as const),
  ['部门', 'department'], ['物业', 'property'], ['志愿者队伍', 'volunteer_team'], ['志愿服务队', 'volunteer_team'],
]);
const CATEGORY_ALIASES = new Map<string, string>(
  CATEGORIES.flatMap((c) => [[c.code, c.code], [c.nameZh, c.code], [c.nameEn.toLowerCase(), c.code]] as [string, string][]),
);

const splitList = (cell: string) => cell.split(/[;；、|,，]/).map((s) => s.trim()).filter(Boolean);

export interface PartyImportResult {
  imported: number;
  errors: { row: number; message: string }[];
}

/** UTF-8 unless `encoding` says otherwise; bytes that are not valid UTF-8 are read as GB18030 (a superset of GBK). */
export function decodeCsv(body: Buffer, encoding: 'utf-8' | 'gbk' | 'gb18030' | null): string {
  if (encoding && encoding !== 'utf-8') return new TextDecoder(encoding).decode(body);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    if (encoding === 'utf-8') throw new Error('not valid UTF-8');
    return new TextDecoder('gb18030').decode(body);
  }
}

/** Parties to write and per-row errors; nothing is written here. */
export function readPartiesCsv(text: string, ctx: { regions: Regions; scope: string; existing: readonly Party[] }): { parties: Party[]; errors: PartyImportResult['errors'] } {
  const errors: PartyImportResult['errors'] = [];
  const addError = (row: number, message: string) => void (errors.length < MAX_ERRORS && errors.push({ row, message }));
  const records = parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: { lines?: number; message?: string } | undefined) => addError(err?.lines ?? 0, `unreadable CSV: ${err?.message ?? 'parse error'}`),
  }) as unknown as { record: string[]; info: { lines: number } }[];
  if (!records.length) return { parties: [], errors: [{ row: 1, message: 'empty file: a header row is needed' }] };

  const header = records[0]!.record.map((h) => HEADERS[h.trim().toLowerCase()] ?? HEADERS[h.trim()] ?? null);
  const missing = REQUIRED.filter((f) => !header.includes(f));
  if (missing.length) return { parties: [], errors: [{ row: 1, message: `header lacks column(s): ${missing.join(', ')}` }] };
  if (records.length - 1 > MAX_IMPORT_ROWS) return { parties: [], errors: [{ row: 1, message: `more than ${MAX_IMPORT_ROWS} rows` }] };

  const byId = new Map(ctx.existing.map((p) => [p.id, p]));
  const byName = new Map(ctx.existing.map((p) => [`${p.kind}\u0000${p.name}`, p]));
  const seen = new Map<string, number>();
  const parties: Party[] = [];
  for (const { record, info } of records.slice(1)) {
    // info.lines is the record's last line; a quoted field with newlines spans several.
    const row = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    const cell = (f: string) => {
      const i = header.indexOf(f as never);
      return i < 0 ? '' : (record[i] ?? '').trim();
    };
    const kind = KIND_ALIASES.get(cell('kind').toLowerCase()) ?? KIND_ALIASES.get(cell('kind'));
    if (!kind) {
      addError(row, `kind: "${cell('kind').slice(0, 40)}" is not one of ${PARTY_KINDS.join(', ')} (${Object.values(KIND_NAMES_ZH).join('、')})`);
      continue;
    }
    const cats = splitList(cell('categories'));
    const unknownCat = cats.find((c) => !CATEGORY_ALIASES.has(c) && !CATEGORY_ALIASES.has(c.toLowerCase()));
    if (unknownCat !== undefined) {
      addError(row, `categories: unknown category "${unknownCat.slice(0, 40)}"`);
      continue;
    }
    const input = newPartySchema.safeParse({
      ...(cell('id') ? { id: cell('id') } : {}),
      kind,
      name: cell('name'),
      categories: cats.map((c) => CATEGORY_ALIASES.get(c) ?? CATEGORY_ALIASES.get(c.toLowerCase())!),
      regionIds: splitList(cell('regionIds')),
      contact: { name: cell('contactName') || null, phone: cell('contactPhone') || null },
    });
    if (!input.success) {
      addError(row, input.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; '));
      continue;
    }
    const d = input.data;
    const problem = regionProblem(d.regionIds, ctx.regions, ctx.scope);
    if (problem) {
      addError(row, `regions: ${problem}`);
      continue;
    }
    const previous = d.id ? byId.get(d.id) : byName.get(`${d.kind}\u0000${d.name}`);
    if (previous && !mayManage(previous, ctx.scope)) {
      addError(row, `party ${previous.id} covers regions outside your scope`);
      continue;
    }
    const id = d.id ?? previous?.id ?? `PTY-${randomUUID()}`;
    if (seen.has(id)) {
      addError(row, `the same party as line ${seen.get(id)}`);
      continue;
    }
    seen.set(id, row);
    parties.push({ id, kind: d.kind, name: d.name, categories: d.categories, regionIds: d.regionIds, contact: normalContact(d.contact), synthetic: false });
  }
  return { parties, errors };
}

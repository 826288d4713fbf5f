import { readFileSync, writeFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { importPopulationCsv, type ImportResult } from '../../server/population/csv-import.ts';
import { parseMonth, parseResidentId } from '#common/population/registry-rows';
import { canonicalColumn } from '#common/population/registry-columns';
import { gbkEncode } from '../fixtures/gbk';

const fx = (name: string) => join(import.meta.dirname, '../fixtures/population', name);
const A = '510108001001001';
const B = '510108001001002';
const find = (r: ImportResult, grid: string, month: string) => r.aggregates.find((g) => g.gridId === grid && g.month === month);
const PERSON_DATA = /张三|王芳|李梅|51010819400315123X|1940-03-15|"H1"|甲001|id_number|birth_date|householdKey|personKey/;

describe('population CSV import: person rows', () => {
  it('rejects bad rows by line and column, aggregates the rest', async () => {
    const progress: [number, number, number | null][] = [];
    const r = await importPopulationCsv(fx('persons.csv'), { onProgress: (...a) => progress.push(a), progressEvery: 5 });
    expect(r.format).toBe('person');
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [5, 'sex'], // sex "X"
      [6, 'birth_date'], // born 2025-07-01, after 2025-06-30
      [7, 'grid_id'], // 14 digits
      [8, 'id_number'], // wrong check digit
      [11, 'id_number'], // same person twice in A / 2025-06
      [12, 'registration'], // quoted name spans lines 12–13
      [14, 'month'], // 2025-13
      [15, 'land_lost_farmer'], // "maybe"
    ]);
    expect(r.errors.every((e) => e.reason.length > 0)).toBe(true);
    expect(r.counts).toMatchObject({ rows: 14, accepted: 6, rejected: 8, errors: 8, gridMonths: 3 });

    const a = find(r, A, '2025-06');
    // line 2: male born 1940-03-15 → 85 at 2025-06-30; line 3: female born 1960-07-01 → still 64;
    // line 4: female born 1960-06-30 → 65 on the month's last day
    expect(a?.aggregate.residents.male['85-89']).toBe(1);
    expect(a?.aggregate.residents.female['60-64']).toBe(1);
    expect(a?.aggregate.residents.female['65-69']).toBe(1);
    expect(a?.aggregate).toMatchObject({ households: 2, registered: 2, floating: 1 });
    expect(a?.aggregate.groups).toMatchObject({ livingAlone: 1, oldestOld: 1, emptyNest: 0 });
    expect(a).toMatchObject({ rowsAccepted: 3, rowsRejected: 4 });

    const b = find(r, B, '2025-06');
    // line 9: born 2020-01-01 → 5; line 10: born 1920-01-01 → 105; both household H3
    expect(b?.aggregate.residents.male['5-9']).toBe(1);
    expect(b?.aggregate.residents.male['100+']).toBe(1);
    expect(b?.aggregate).toMatchObject({ households: 1, registered: 1, floating: 1 });
    expect(b?.aggregate.groups).toMatchObject({ emptyNest: 1, oldestOld: 1 });

    const may = find(r, A, '2025-05');
    expect(may?.aggregate.residents.female['35-39']).toBe(1); // born 1990-05-31, 35 on 2025-05-31
    expect(may?.aggregate.groups.veterans).toBe(1);

    const size = statSync(fx('persons.csv')).size;
    expect(progress.at(-1)).toEqual([14, size, size]);
    expect(progress.length).toBeGreaterThanOrEqual(3);
  });

  it('accepts Chinese headers and values, deriving sex and birth date from the ID number', async () => {
    const r = await importPopulationCsv(fx('persons-zh.csv'));
    expect(r.errors).toEqual([{ line: 4, column: 'sex', reason: expect.stringContaining('男/女') }]);
    expect(r.errors[0]?.reason).not.toContain('未知'); // person values are never echoed
    const b = find(r, B, '2025-06');
    // 1940-03-15 male (from ID) → 85; 1955-05-20 female and male → 70
    expect(b?.aggregate.residents.male['85-89']).toBe(1);
    expect(b?.aggregate.residents.female['70-74']).toBe(1);
    expect(b?.aggregate.residents.male['70-74']).toBe(1);
    expect(b?.aggregate).toMatchObject({ households: 2, registered: 2, floating: 1 });
    expect(b?.aggregate.groups).toMatchObject({
      livingAlone: 1, emptyNest: 2, disabledCare: 1, dementia: 1, minimumLiving: 1, soeRetirees: 1, landLostFarmers: 1, oldestOld: 1,
    });
  });

  it('refuses ID numbers Excel turned into scientific notation, instead of taking them as one duplicated person', async () => {
    // A registry sheet opened in Excel and saved as CSV: the 18-digit 身份证号 column written as 5.10108E+17.
    const csv = ['网格编码,月份,身份证号,姓名,性别,出生日期,户籍类型,户编号', ...['1940-03-15', '1942-05-01', '1950-11-20'].map((d, i) => `${A},2025-06,5.10108E+17,某${i},男,${d},户籍,H${i}`)].join('\r\n');
    const r = await importPopulationCsv(Readable.from([Buffer.from(csv)]));
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([[2, 'id_number'], [3, 'id_number'], [4, 'id_number']]);
    expect(r.errors[0]?.reason).toMatch(/scientific notation/);
    expect(r.counts).toMatchObject({ accepted: 0, rejected: 3 });
  });

  it('reads GBK files and gives the same result', async () => {
    const utf8 = await importPopulationCsv(fx('persons-zh.csv'));
    const gbk = await importPopulationCsv(fx('persons-zh-gbk.csv'), { encoding: 'gbk' });
    expect(gbk.aggregates).toEqual(utf8.aggregates);
  });

  it('keeps no person-level data in the result', async () => {
    for (const f of ['persons.csv', 'persons-zh.csv']) {
      const r = await importPopulationCsv(fx(f));
      const { errors: _errors, ...rest } = r;
      expect(JSON.stringify(rest)).not.toMatch(PERSON_DATA);
      expect(JSON.stringify(r.errors)).not.toMatch(/张三|王芳|李梅|51010819400315123X/);
    }
  });

  it('streams chunks split inside multi-byte characters', async () => {
    const bytes = readFileSync(fx('persons-zh.csv'));
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const r = await importPopulationCsv(Readable.from(chunks));
    expect(r.aggregates).toEqual((await importPopulationCsv(fx('persons-zh.csv'))).aggregates);
  });

  it('stops at a header without the required columns', async () => {
    const r = await importPopulationCsv(fx('missing-columns.csv'));
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([[1, 'registration'], [1, 'household_id'], [1, 'birth_date']]);
    expect(r.aggregates).toEqual([]);
  });

  it('checks grids against a known set and caps the error list', async () => {
    const r = await importPopulationCsv(fx('persons.csv'), { knownGridIds: new Set([B]), maxErrors: 3 });
    expect(r.errors).toHaveLength(3);
    expect(r.counts.errors).toBeGreaterThan(3);
    expect(r.aggregates.map((g) => g.gridId)).toEqual([B]);
  });

  // Streams 50,000 rows: under a loaded machine (load average ~20) it took longer than vitest's 5 s default.
  // What it checks is the streaming import's result, not its speed; 60 s is room, not a target.
  it('handles a large generated file in bounded memory', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pop-'));
    const file = join(dir, 'big.csv');
    const lines = ['grid_id,month,sex,birth_date,registration,household_id'];
    for (let i = 0; i < 50_000; i++) lines.push(`${A},2025-06,${i % 2 ? '男' : '女'},19${String(30 + (i % 70)).padStart(2, '0')}-01-01,户籍,H${i >> 1}`);
    writeFileSync(file, lines.join('\n'));
    const r = await importPopulationCsv(file);
    expect(r.counts).toMatchObject({ rows: 50_000, accepted: 50_000, rejected: 0 });
    expect(find(r, A, '2025-06')?.aggregate).toMatchObject({ households: 25_000, registered: 50_000 });
  });
});

describe('population CSV import: aggregated rows', () => {
  it('validates and accepts one row per grid and month', async () => {
    const r = await importPopulationCsv(fx('aggregate.csv'));
    expect(r.format).toBe('aggregate');
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'registered'], // 200 + 70 ≠ 231 + 42
      [4, 'male_15_19'], // "x"
      [5, 'month'], // duplicate of line 2
    ]);
    const a = find(r, A, '2025-06')?.aggregate;
    // male bands 1..21 (sum 231), female 2 each (42); 200 registered + 73 floating = 273
    expect(a?.residents.male['100+']).toBe(21);
    expect(a?.residents.female['100+']).toBe(2);
    expect(a).toMatchObject({ households: 120, registered: 200, floating: 73 });
    expect(a?.groups).toMatchObject({ livingAlone: 7, oldestOld: 30, veterans: 0 });
    expect(find(r, B, '2025-05')?.aggregate.groups.livingAlone).toBe(0); // empty optional → 0
  });
});

describe('population CSV rules', () => {
  it('parses months, ID numbers and header aliases', () => {
    expect(['2025-06', '202506', '2025/6', '2025年6月', '2025-13', '20256'].map(parseMonth)).toEqual([
      '2025-06', '2025-06', '2025-06', '2025-06', null, null,
    ]);
    expect(parseResidentId('51010819400315123X')).toEqual({ birth: [1940, 3, 15], sex: 'male' });
    expect(parseResidentId('510108194003151230')).toBeNull();
    expect(['网格编码', '女100岁及以上', '男0-4岁', 'Male_5_9', '身份证号', 'foo'].map(canonicalColumn)).toEqual([
      'grid_id', 'female_100_plus', 'male_0_4', 'male_5_9', 'id_number', null,
    ]);
  });
});

/**
 * A community's monthly statistics sheet as offices publish it: a title row, a two-row header whose upper row is
 * merged (男 over the age bands), a total row and a note, CRLF line ends, saved by Excel in GBK.
 */
function censusSheet(): string {
  const bands = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-59', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90-94', '95-99'].map((b) => `${b}岁`);
  bands.push('100岁及以上');
  const blank = (n: number) => Array<string>(n).fill('');
  const rows = [
    ['志强社区人口统计表（2025年6月）', ...blank(46)],
    ['网格编码', '月份', '户数', '户籍人口', '流动人口', '男', ...blank(20), '女', ...blank(20)],
    [...blank(5), ...bands, ...bands],
    [A, '2025-06', '10', '40', '2', ...Array<string>(42).fill('1')],
    [B, '2025年6月', '8', '30', '12', ...Array<string>(42).fill('1')],
    ['合计', '', '18', '70', '14', ...Array<string>(42).fill('2')],
    ['注：数据来源于网格员入户走访。', ...blank(46)],
  ];
  return `${rows.map((r) => r.join(',')).join('\r\n')}\r\n`;
}

describe('population CSV import: a statistics sheet as published', () => {
  it('finds the header under a title row and reads a merged two-row header', async () => {
    const r = await importPopulationCsv(Readable.from([Buffer.from(`\uFEFF${censusSheet()}`)]));
    expect(r.format).toBe('aggregate');
    expect(r.aggregates.map((g) => [g.gridId, g.month, g.aggregate.residents.male['100+'], g.aggregate.floating])).toEqual([
      [A, '2025-06', 1, 2],
      [B, '2025-06', 1, 12],
    ]);
    // The total and the note are refused by line, with reasons; the grids' rows stand.
    expect(r.errors.map((e) => e.line)).toEqual(expect.arrayContaining([6, 7]));
    expect(r.counts).toMatchObject({ accepted: 2, rejected: 2 });
  });

  it('reads a GBK sheet when the upload did not name its encoding (auto)', async () => {
    const r = await importPopulationCsv(Readable.from([gbkEncode(censusSheet())]), { encoding: 'auto' });
    expect(r.counts.accepted).toBe(2);
    expect(r.counts.ignoredColumns).toEqual([]);
    const utf8 = await importPopulationCsv(fx('persons-zh.csv'), { encoding: 'auto' });
    expect(utf8.aggregates).toEqual((await importPopulationCsv(fx('persons-zh.csv'))).aggregates);
  });
});

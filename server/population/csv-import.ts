/**
 * Streaming import of population CSV files (formats: common/population/registry-columns.ts).
 *
 * Person rows are reduced to per-(grid, month) counts as they are read: the result holds no
 * person-level data, and while reading only 53-bit hashes of household ids and ID numbers are
 * kept, per (grid, month), to count distinct households and reject duplicate persons.
 * Memory is O(grids × months + households + persons' hashes), never the file: a 1 GB file
 * is read chunk by chunk. Each (grid, month) in the result is complete for the file;
 * replacing the stored month with it is the caller's job.
 */
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Transform, pipeline } from 'node:stream';
import { parse } from 'csv-parse';
import type { PopulationAggregate } from '#common/population/types';
import { addInto, emptyAggregate } from '#common/population/indicators';
import { AGGREGATE_REQUIRED, PERSON_REQUIRED, canonicalColumn } from '#common/population/registry-columns';
import { parseAggregateRow, parsePersonRow, type Getter, type RowResult } from '#common/population/registry-rows';

export type PopulationCsvFormat = 'person' | 'aggregate';

export interface ImportOptions {
  /** Default 'auto': 'aggregate' when the header has band columns (male_0_4 …), else 'person'. */
  format?: 'auto' | PopulationCsvFormat;
  /**
   * Default 'utf-8' (a BOM is skipped). 'gbk'/'gb18030' for exports saved by Excel on Chinese Windows; 'auto': UTF-8
   * when the first chunk is UTF-8, else GB18030 (a superset of GBK), for an upload that did not say.
   */
  encoding?: 'auto' | 'utf-8' | 'gbk' | 'gb18030';
  /** Size of the input for progress; taken from the file when `source` is a path. */
  bytesTotal?: number;
  /** Called every `progressEvery` rows and once at the end. `bytesTotal` is null when unknown. */
  onProgress?: (rowsDone: number, bytesDone: number, bytesTotal: number | null) => void;
  progressEvery?: number;
  /** Errors kept in the result (all are counted); default 1000. */
  maxErrors?: number;
  /** When given, a grid id not in the set is an error. */
  knownGridIds?: ReadonlySet<string>;
  /** When given, a row of a grid this refuses is an error (the uploader's region scope). */
  inScope?: (gridId: string) => boolean;
}

/** `line` as in the file (header = 1; a quoted field spanning lines counts its lines); `column` canonical, or null for the whole row. */
export interface ImportError {
  line: number;
  column: string | null;
  reason: string;
}

export interface GridMonthImport {
  gridId: string;
  month: string;
  aggregate: PopulationAggregate;
  rowsAccepted: number;
  /** Rows of this grid and month that were rejected: the aggregate is short of them. */
  rowsRejected: number;
}

export interface ImportResult {
  format: PopulationCsvFormat | null;
  /** One entry per (grid, month) with at least one accepted row, sorted by grid then month. */
  aggregates: GridMonthImport[];
  errors: ImportError[];
  /** `outOfScope`: rows refused because their grid lies outside `inScope`. */
  counts: { rows: number; accepted: number; rejected: number; outOfScope: number; errors: number; gridMonths: number; ignoredColumns: string[] };
}

interface Acc extends GridMonthImport {
  households: Set<number> | null;
  persons: Set<number> | null;
}

/** Whether `buf` is UTF-8, allowing a character cut at its end (a chunk boundary). */
function looksUtf8(buf: Buffer): boolean {
  for (let cut = 0; cut <= Math.min(3, buf.length); cut++) if (isUtf8(buf.subarray(0, buf.length - cut))) return true;
  return false;
}

/** Input bytes → UTF-8 for csv-parse, counting raw bytes for progress. */
function decoder(encoding: string, onBytes: (n: number) => void): Transform {
  // undefined: not decided yet ('auto' decides on the first chunk); null: UTF-8, passed through.
  let td: InstanceType<typeof TextDecoder> | null | undefined = encoding === 'auto' ? undefined : encoding === 'utf-8' ? null : new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      onBytes(chunk.length);
      if (td === undefined) td = looksUtf8(chunk) ? null : new TextDecoder('gb18030');
      cb(null, td ? Buffer.from(td.decode(chunk, { stream: true })) : chunk);
    },
    flush(cb) {
      cb(null, td ? Buffer.from(td.decode()) : null);
    },
  });
}

export async function importPopulationCsv(
  source: string | Readable | AsyncIterable<Buffer | string>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const maxErrors = options.maxErrors ?? 1000;
  const every = options.progressEvery ?? 10_000;
  let bytesTotal = options.bytesTotal ?? null;
  if (typeof source === 'string' && bytesTotal === null) bytesTotal = (await stat(source)).size;
  const input = typeof source === 'string' ? createReadStream(source) : source instanceof Readable ? source : Readable.from(source);

  const errors: ImportError[] = [];
  const counts: ImportResult['counts'] = { rows: 0, accepted: 0, rejected: 0, outOfScope: 0, errors: 0, gridMonths: 0, ignoredColumns: [] };
  const addError = (e: ImportError) => {
    counts.errors++;
    if (errors.length < maxErrors) errors.push(e);
  };
  let bytesDone = 0;
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err) => {
      counts.rows++;
      counts.rejected++;
      addError({ line: typeof err?.lines === 'number' ? err.lines : 0, column: null, reason: `unreadable CSV: ${err?.message ?? 'parse error'}` });
    },
  });
  pipeline(input, decoder(options.encoding ?? 'utf-8', (n) => (bytesDone += n)), parser, () => {});

  const acc = new Map<string, Acc>();
  const rejectedByKey = new Map<string, number>();
  let format: PopulationCsvFormat | null = null;
  let index = new Map<string, number>();
  /**
   * Statistics sheets as offices publish them open with a title row (志强社区人口统计表) and a header of two rows,
   * the upper one merged (男 over 0-4岁 … 100岁及以上). The header is the first of the opening HEADER_SCAN rows that
   * has every required column, alone or joined with the row above it; when none has, the errors name the columns
   * missing from the row that came closest.
   */
  let previous: string[] | null = null;
  let best: (ReturnType<typeof readHeader> & { line: number }) | null = null;
  let scanned = 0;
  const findHeader = (record: string[], line: number): (ReturnType<typeof readHeader> & { line: number }) | null => {
    const wanted = options.format ?? 'auto';
    const candidates = [{ ...readHeader(record, wanted), line }];
    if (previous) candidates.push({ ...readHeader(mergeHeaderRows(previous, record), wanted), line: line - 1 });
    previous = record;
    scanned++;
    for (const c of candidates) {
      if (!c.missing.length) return c;
      if (!best || c.index.size > best.index.size) best = c;
    }
    return scanned >= HEADER_SCAN ? best : null;
  };

  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // info.lines is the record's last line; a quoted field with newlines spans several.
    const line = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0);
    if (format === null) {
      const header = findHeader(record, line);
      if (!header) continue;
      counts.ignoredColumns = header.ignored;
      if (header.missing.length) {
        for (const column of header.missing) addError({ line: header.line, column, reason: 'required column missing from the header' });
        break;
      }
      format = header.format;
      index = header.index;
      continue;
    }
    counts.rows++;
    const get: Getter = (col) => {
      const i = index.get(col);
      return i === undefined ? undefined : (record[i] ?? '');
    };
    if (record.every((f) => f.trim() === '')) {
      counts.rows--;
      continue;
    }
    const res: RowResult<{ gridId: string; month: string }> = format === 'person' ? parsePersonRow(get) : parseAggregateRow(get);
    const key = res.ok ? `${res.value.gridId}|${res.value.month}` : `${res.gridId}|${res.month}`;
    let fieldErrors = res.ok ? [] : res.errors;
    if (res.ok && options.knownGridIds && !options.knownGridIds.has(res.value.gridId)) {
      fieldErrors = [{ column: 'grid_id', reason: `unknown grid: ${res.value.gridId}` }];
    } else if (res.ok && options.inScope && !options.inScope(res.value.gridId)) {
      fieldErrors = [{ column: 'grid_id', reason: `grid ${res.value.gridId} is outside your region scope` }];
      counts.outOfScope++;
    }
    let a = acc.get(key);
    if (res.ok && !fieldErrors.length) {
      if (!a) {
        const isPerson = format === 'person';
        a = { gridId: res.value.gridId, month: res.value.month, aggregate: emptyAggregate(), rowsAccepted: 0, rowsRejected: 0, households: isPerson ? new Set() : null, persons: isPerson ? new Set() : null };
        acc.set(key, a);
      } else if (format === 'aggregate') {
        fieldErrors = [{ column: 'month', reason: `duplicate row for grid ${a.gridId} and month ${a.month}` }];
      }
    }
    if (res.ok && !fieldErrors.length && a) {
      if ('sex' in res.value) {
        const p = res.value as Extract<ReturnType<typeof parsePersonRow>, { ok: true }>['value'];
        if (p.personKey !== null && a.persons?.has(p.personKey)) {
          fieldErrors = [{ column: 'id_number', reason: `duplicate person in grid ${p.gridId} and month ${p.month}` }];
        } else {
          if (p.personKey !== null) a.persons?.add(p.personKey);
          a.households?.add(p.householdKey);
          const g = a.aggregate;
          g.residents[p.sex][p.band]++;
          g[p.registration]++;
          for (const k of p.groups) g.groups[k]++;
        }
      } else if ('aggregate' in res.value) {
        addInto(a.aggregate, (res.value as { aggregate: PopulationAggregate }).aggregate);
      }
    }
    if (fieldErrors.length) {
      counts.rejected++;
      rejectedByKey.set(key, (rejectedByKey.get(key) ?? 0) + 1);
      for (const e of fieldErrors) addError({ line, column: e.column, reason: e.reason });
    } else if (a) {
      counts.accepted++;
      a.rowsAccepted++;
    }
    if (options.onProgress && counts.rows % every === 0) options.onProgress(counts.rows, bytesDone, bytesTotal);
  }
  parser.destroy();
  // A file shorter than the scan, without a header: report the row that came closest.
  const b = best as (ReturnType<typeof readHeader> & { line: number }) | null;
  if (format === null && scanned < HEADER_SCAN && b) {
    counts.ignoredColumns = b.ignored;
    for (const column of b.missing) addError({ line: b.line, column, reason: 'required column missing from the header' });
  }

  const aggregates: GridMonthImport[] = [];
  for (const [key, a] of acc) {
    if (a.households) a.aggregate.households = a.households.size;
    aggregates.push({ gridId: a.gridId, month: a.month, aggregate: a.aggregate, rowsAccepted: a.rowsAccepted, rowsRejected: rejectedByKey.get(key) ?? 0 });
  }
  acc.clear(); // drops the hash sets
  aggregates.sort((x, y) => (x.gridId === y.gridId ? x.month.localeCompare(y.month) : x.gridId.localeCompare(y.gridId)));
  counts.gridMonths = aggregates.length;
  options.onProgress?.(counts.rows, bytesDone, bytesTotal);
  return { format, aggregates, errors, counts };
}

/** How many opening rows may hold the title and the header. */
const HEADER_SCAN = 10;

/**
 * Two header rows as one: a cell of the lower row under a merged upper cell is read with the upper cell's text
 * before it (男 + 0-4岁 → 男0-4岁) unless it is a column by itself; where the lower row is empty the upper cell stands.
 */
function mergeHeaderRows(upper: string[], lower: string[]): string[] {
  let carried = '';
  return Array.from({ length: Math.max(upper.length, lower.length) }, (_, i) => {
    const top = upper[i]?.trim() ?? '';
    const bottom = lower[i]?.trim() ?? '';
    if (top) carried = top;
    if (!bottom) return top;
    if (canonicalColumn(bottom)) return bottom;
    return canonicalColumn(carried + bottom) ? carried + bottom : bottom;
  });
}

function readHeader(cells: string[], wanted: 'auto' | PopulationCsvFormat) {
  const index = new Map<string, number>();
  const ignored: string[] = [];
  cells.forEach((cell, i) => {
    const c = canonicalColumn(cell);
    if (c && !index.has(c)) index.set(c, i);
    else if (cell.trim()) ignored.push(cell.trim());
  });
  const format: PopulationCsvFormat = wanted !== 'auto' ? wanted : index.has('male_0_4') || index.has('female_0_4') ? 'aggregate' : 'person';
  const missing: string[] =
    format === 'person'
      ? [...PERSON_REQUIRED.filter((c) => !index.has(c)), ...(['sex', 'birth_date'] as const).filter((c) => !index.has(c) && !index.has('id_number'))]
      : [...AGGREGATE_REQUIRED, ...bandColumns()].filter((c) => !index.has(c));
  return { index, ignored, format, missing };
}

function bandColumns(): string[] {
  const out: string[] = [];
  for (const sex of ['male', 'female'] as const) for (let i = 0; i <= 100; i += 5) out.push(i === 100 ? `${sex}_100_plus` : `${sex}_${i}_${i + 4}`);
  return out;
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addErrorTable, errorMessage } from '../../client/i18n/error-table';
import { errorsEn } from '../../client/i18n/errors.en';
import { errorsZh } from '../../client/i18n/errors.zh-CN';

/**
 * Every error `code` the server can send has a zh-CN and an English text in the client. Codes are found by
 * grepping server/ and common/ for `'area/reason'` literals; the few slash strings that are not codes are
 * listed here, so a new code cannot slip through as "not a code" without someone saying so.
 */
const NOT_CODES = new Set(['application/json', 'application/csv', 'text/csv', 'text/plain', 'text/html', 'text/css', 'text/javascript', 'application/geo+json', 'application/x-protobuf', 'application/octet-stream', 'application/x-www-form-urlencoded', 'area/reason', '2025/3', 'text/calendar', 'image/jpeg', 'application/pdf', 'me/reports']);
const ROOT = join(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function serverCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const file of [...sourceFiles(join(ROOT, 'server')), ...sourceFiles(join(ROOT, 'common'))]) {
    for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([a-z0-9_]+\/[a-z0-9_]+)['"`]/g)) {
      if (!NOT_CODES.has(m[1]!)) codes.set(m[1]!, file.slice(ROOT.length + 1));
    }
  }
  return codes;
}

const CJK = /[\u4e00-\u9fff]/;

describe('error codes', () => {
  it('finds the server’s codes (the grep works)', () => {
    const codes = serverCodes();
    expect(codes.size).toBeGreaterThan(80);
    expect(codes.has('incident/conflict')).toBe(true);
    expect(codes.has('auth/password_change_required')).toBe(true);
  });

  it('every code the server sends has zh-CN and English text', () => {
    const missing = [...serverCodes()].filter(([code]) => !errorsZh[code] || !errorsEn[code]).map(([code, file]) => `${code} (${file})`);
    expect(missing).toEqual([]);
  });

  it('both tables hold the same codes; Chinese texts are Chinese, English texts have no Chinese', () => {
    expect(Object.keys(errorsZh).sort()).toEqual(Object.keys(errorsEn).sort());
    expect(Object.entries(errorsZh).filter(([, v]) => !CJK.test(v)).map(([k]) => k)).toEqual([]);
    expect(Object.entries(errorsEn).filter(([, v]) => CJK.test(v) || !v.trim()).map(([k]) => k)).toEqual([]);
  });

  it('an unknown code still reads as the screen’s language, with the code', () => {
    expect(errorMessage('future/thing', 'zh-CN')).toBe('请求被拒绝（future/thing）');
    expect(errorMessage('future/thing', 'en')).toBe('Request refused (future/thing)');
    expect(errorMessage('incident/conflict', 'zh-CN')).toMatch(CJK);
  });

  it('the English table arrives with the English texts, and is used from then on', () => {
    addErrorTable('en', errorsEn); // as client/i18n/index.ts does when the screen switches to English
    expect(errorMessage('incident/conflict', 'en')).toBe(errorsEn['incident/conflict']);
    expect(errorMessage('incident/conflict', 'zh-CN')).toBe(errorsZh['incident/conflict']);
  });
});

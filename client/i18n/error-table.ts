import { errorsZh } from './errors.zh-CN';

// The English table comes with the English texts (index.ts): a Chinese screen never fetches it.
const tables: Record<string, Readonly<Record<string, string>> | undefined> = { 'zh-CN': errorsZh };

export function addErrorTable(locale: 'en', table: Readonly<Record<string, string>>): void {
  tables[locale] = table;
}

/**
 * The text of a server error `code` in the screen's language. Every code the server can send is in both
 * tables (test/unit/error-codes.test.ts greps the server); an unknown one (a newer server) shows a generic
 * line with the code, never the server's English message on a Chinese screen.
 */
export function errorMessage(code: string, locale: string): string {
  const en = locale === 'en';
  return tables[en ? 'en' : 'zh-CN']?.[code] ?? (en ? `Request refused (${code})` : `请求被拒绝（${code}）`);
}

/** The screen's language now (zh-CN unless switched to English). */
export function screenLocale(): string {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem('gridops.locale') === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

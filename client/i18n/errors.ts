import { HttpError } from '../api/http';
import { errorsEn } from './errors.en';
import { errorsZh } from './errors.zh-CN';

export type ErrorTable = Readonly<Record<string, string>>;

/**
 * The text of a server error `code` in the screen's language. Every code the server can send is in both
 * tables (test/unit/error-codes.test.ts greps the server); an unknown one (a newer server) shows a generic
 * line with the code, never the server's English message on a Chinese screen.
 */
export function errorMessage(code: string, locale: string): string {
  const table = locale === 'en' ? errorsEn : errorsZh;
  return table[code] ?? (locale === 'en' ? `Request refused (${code})` : `请求被拒绝（${code}）`);
}

/** The screen text of anything thrown by an API call. */
export function errorText(err: unknown, _t: unknown, locale: string): string {
  if (err instanceof HttpError) return errorMessage(err.error.code, locale);
  return locale === 'en' ? 'The server could not be reached.' : '无法连接服务器。';
}

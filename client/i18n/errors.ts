import { HttpError } from '../api/http';
import { errorMessage } from './error-table';

export { errorMessage } from './error-table';

/** The screen text of anything thrown by an API call. */
export function errorText(err: unknown, _t: unknown, locale: string): string {
  if (err instanceof HttpError) return errorMessage(err.error.code, locale);
  return locale === 'en' ? 'The server could not be reached.' : '无法连接服务器。';
}

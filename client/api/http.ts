import type { ApiError } from '#common/api';
import { errorMessage, screenLocale } from '../i18n/error-table';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    // The message a screen shows is ours, in its language; the server's (English) message stays in `error`.
    super(errorMessage(error.code, screenLocale()));
  }
}

let tokenGetter: () => string | null = () => null;
let onUnauthorized: () => void = () => undefined;

export function configureHttp(opts: { token: () => string | null; unauthorized: () => void }): void {
  tokenGetter = opts.token;
  onUnauthorized = opts.unauthorized;
}

/** Same-origin JSON API call with the session's bearer token; errors carry the server's `{ code, message }`. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  const token = tokenGetter();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const data: unknown = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) {
    if (res.status === 401 && token) onUnauthorized();
    const error = (data as { error?: ApiError } | null)?.error ?? { code: `http/${res.status}`, message: res.statusText };
    throw new HttpError(res.status, error);
  }
  return data as T;
}

/** Same-origin binary GET with the session's token (photos are served to authorised users only, not to an <img src>). */
export async function apiBlob(path: string): Promise<Blob> {
  const token = tokenGetter();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    if (res.status === 401 && token) onUnauthorized();
    // The server's error code when it sent one (e.g. 503 reports/no_chromium), so the screen can say why.
    const data: unknown = res.headers.get('content-type')?.includes('json') ? await res.json().catch(() => null) : null;
    throw new HttpError(res.status, (data as { error?: ApiError } | null)?.error ?? { code: `http/${res.status}`, message: res.statusText });
  }
  return res.blob();
}

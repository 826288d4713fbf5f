import type { ApiError } from '#common/api';
import { HttpError } from './http';

export interface UploadProgress {
  /** Bytes of the body sent so far. */
  loaded: number;
  /** Size of the body in bytes. */
  total: number;
}

export interface UploadOptions {
  /** Same-origin path, e.g. `/api/population/import`. */
  path: string;
  body: Blob;
  /** Bearer token of the session, if any. */
  token: string | null;
  /** Default: the blob's own type, else `application/octet-stream`. */
  contentType?: string;
  onProgress?: (p: UploadProgress) => void;
  /** Called once the whole body is sent; the server may still be working on it. */
  onSent?: () => void;
  signal?: AbortSignal;
}

/**
 * POST a raw body with upload progress (fetch has none, hence XMLHttpRequest) and answer the JSON reply.
 * Rejects with an `HttpError` carrying the server's `{ code, message }` (status 0 for a network failure),
 * or with an `AbortError` DOMException when `signal` aborts.
 */
export function uploadRaw<T>(opts: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new DOMException('Upload aborted', 'AbortError'));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', opts.path);
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', opts.contentType ?? (opts.body.type || 'application/octet-stream'));
    if (opts.token) xhr.setRequestHeader('Authorization', `Bearer ${opts.token}`);

    const total = opts.body.size;
    xhr.upload.onprogress = (e) => opts.onProgress?.({ loaded: e.loaded, total: e.lengthComputable ? e.total : total });
    xhr.upload.onload = () => {
      opts.onProgress?.({ loaded: total, total });
      opts.onSent?.();
    };
    const onAbort = () => xhr.abort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => opts.signal?.removeEventListener('abort', onAbort);

    xhr.onload = () => {
      done();
      let data: unknown = null;
      if ((xhr.getResponseHeader('content-type') ?? '').includes('json')) {
        try {
          data = JSON.parse(xhr.responseText);
        } catch {
          data = null;
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const error: ApiError = (data as { error?: ApiError } | null)?.error ?? { code: `http/${xhr.status}`, message: xhr.statusText || `HTTP ${xhr.status}` };
      reject(new HttpError(xhr.status, error));
    };
    xhr.onerror = () => {
      done();
      reject(new HttpError(0, { code: 'http/network', message: 'Network error' }));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('Upload aborted', 'AbortError'));
    };
    xhr.send(opts.body);
  });
}

/** One rejected row of a population import: `line` as in the file (header = 1), `column` null for the whole row. */
export interface PopulationImportError {
  line: number;
  column: string | null;
  reason: string;
}

/** Reply of `POST /api/population/import` (server/population/routes.ts). */
export interface PopulationImportReply {
  format: 'person' | 'aggregate' | null;
  counts: { rows: number; accepted: number; rejected: number; errors: number; gridMonths: number; ignoredColumns: string[] };
  /** The first 1000 errors; `counts.errors` has them all. */
  errors: PopulationImportError[];
}

export type CsvEncoding = 'utf-8' | 'gbk';

/** Upload a registry CSV (person or aggregate rows, see common/population/registry-columns.ts); admin only. */
export function importPopulationCsv(
  file: Blob,
  opts: { token: string | null; encoding?: CsvEncoding; onProgress?: UploadOptions['onProgress']; onSent?: () => void; signal?: AbortSignal },
): Promise<PopulationImportReply> {
  const encoding = opts.encoding ?? 'utf-8';
  return uploadRaw<PopulationImportReply>({
    path: `/api/population/import?encoding=${encoding}`,
    body: file,
    token: opts.token,
    contentType: 'text/csv',
    onProgress: opts.onProgress,
    onSent: opts.onSent,
    signal: opts.signal,
  });
}

/**
 * Guess a CSV's encoding from its first 64 KB: valid UTF-8 (with or without BOM) is UTF-8, anything else is
 * taken for GBK (what Excel on Chinese Windows saves).
 */
export async function sniffEncoding(file: Blob): Promise<CsvEncoding> {
  const head = await file.slice(0, 65_536).arrayBuffer();
  try {
    // stream: a multi-byte character cut at the slice's end is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return 'utf-8';
  } catch {
    return 'gbk';
  }
}

/** One rejected row of a care-registry import; `code` (and `value`) for the message in the user's language. */
export interface CareImportError extends PopulationImportError {
  code: string;
  value?: string;
}

/** Reply of `POST /api/care/residents/import` (server/care/csv-import.ts). */
export interface CareImportReply {
  counts: { rows: number; accepted: number; rejected: number; errors: number };
  errors: CareImportError[];
}

/** Upload a care-registry CSV (server/care/csv-import.ts for the columns); admin only. */
export function importCareCsv(
  file: Blob,
  opts: { token: string | null; encoding?: CsvEncoding; onProgress?: UploadOptions['onProgress']; onSent?: () => void; signal?: AbortSignal },
): Promise<CareImportReply> {
  return uploadRaw<CareImportReply>({
    path: `/api/care/residents/import?encoding=${opts.encoding ?? 'utf-8'}`,
    body: file,
    token: opts.token,
    contentType: 'text/csv',
    onProgress: opts.onProgress,
    onSent: opts.onSent,
    signal: opts.signal,
  });
}

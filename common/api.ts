/** One reply envelope for every socket ack and every REST error body. */
export interface ApiError {
  /** `area/reason`, e.g. `auth/unauthorized`, `incident/not_found`. */
  code: string;
  message: string;
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: string, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

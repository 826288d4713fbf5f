/** Opaque list cursors: the sort key of the last item of a page, [reportedMs, tie-break]. */
export function encodeCursor(reportedMs: number, tie: number | string): string {
  return Buffer.from(JSON.stringify([reportedMs, tie])).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): [number, number | string] | null {
  if (!cursor) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && (typeof v[1] === 'number' || typeof v[1] === 'string')) {
      return [v[0], v[1]];
    }
  } catch {
    // fall through
  }
  throw new CursorError();
}

export class CursorError extends Error {
  constructor() {
    super('invalid cursor');
  }
}

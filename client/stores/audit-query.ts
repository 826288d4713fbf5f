/** The console's audit filter as typed; empty fields do not narrow. */
export interface AuditFilterForm {
  actor: string;
  action: string;
  target: string;
  /** yyyy-mm-dd, local day boundaries. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterForm = { actor: '', action: '', target: '', from: '', to: '' };

/** The `GET /api/audit` query string for a filter and a page cursor; `to` includes the whole day. */
export function auditQueryString(f: AuditFilterForm, cursor: string | null, limit = 100): string {
  const q = new URLSearchParams();
  for (const key of ['actor', 'action', 'target'] as const) if (f[key].trim()) q.set(key, f[key].trim());
  if (f.from) q.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) q.set('to', new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_400_000).toISOString());
  if (cursor) q.set('cursor', cursor);
  q.set('limit', String(limit));
  return q.toString();
}

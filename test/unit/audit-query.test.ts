import { describe, expect, it } from 'vitest';
import { auditQueryString, EMPTY_AUDIT_FILTER } from '../../client/stores/audit-query';

describe('audit query string', () => {
  it('leaves empty fields out, trims, makes `to` the end of its day and passes the cursor', () => {
    expect(auditQueryString(EMPTY_AUDIT_FILTER, null)).toBe('limit=100');
    const q = new URLSearchParams(auditQueryString({ ...EMPTY_AUDIT_FILTER, actor: ' admin ', action: 'case.*', from: '2026-11-01', to: '2026-11-01' }, '42', 50));
    expect(q.get('actor')).toBe('admin');
    expect(q.get('action')).toBe('case.*');
    expect(q.get('target')).toBeNull();
    expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(86_400_000);
    expect(q.get('cursor')).toBe('42');
    expect(q.get('limit')).toBe('50');
  });
});

import { describe, expect, it } from 'vitest';
import type { PublicUser } from '#common/auth/types';
import { passwordProblems } from '#common/accounts/password-policy';
import { filterAccounts, NO_FILTER, withAccount } from '../../client/stores/accounts-filter';

const u = (username: string, over: Partial<PublicUser> = {}): PublicUser => ({
  id: username, username, displayName: username.toUpperCase(), role: 'dispatcher', regionId: '510108', workerId: null, ...over,
});
const list = [u('zhang', { role: 'admin' }), u('li', { disabled: true }), u('wang', { displayName: '王五' })];

describe('accounts filter', () => {
  it('filters by text (username or display name), role and state, sorted by username', () => {
    expect(filterAccounts(list, NO_FILTER).map((x) => x.id)).toEqual(['li', 'wang', 'zhang']);
    expect(filterAccounts(list, { ...NO_FILTER, text: '王' }).map((x) => x.id)).toEqual(['wang']);
    expect(filterAccounts(list, { ...NO_FILTER, role: 'admin' }).map((x) => x.id)).toEqual(['zhang']);
    expect(filterAccounts(list, { ...NO_FILTER, state: 'disabled' }).map((x) => x.id)).toEqual(['li']);
    expect(filterAccounts(list, { ...NO_FILTER, state: 'active' }).map((x) => x.id)).toEqual(['wang', 'zhang']);
  });
  it('replaces an account by id, or adds it', () => {
    expect(withAccount(list, u('li')).find((x) => x.id === 'li')?.disabled).toBeUndefined();
    expect(withAccount(list, u('zhao'))).toHaveLength(4);
  });
});

describe('password policy', () => {
  it('refuses short, one-class, repetitive, username-bearing and unchanged passwords', () => {
    expect(passwordProblems('Good-passw0rd', { username: 'li', current: 'x' })).toEqual([]);
    expect(passwordProblems('short1')).toContain('too_short');
    expect(passwordProblems('abcdefghijkl')).toEqual(['one_class']);
    expect(passwordProblems('aaaaaaaaaa11')).toContain('repeats');
    expect(passwordProblems('wangwu-2026!', { username: 'WangWu' })).toContain('contains_username');
    expect(passwordProblems('Same-passw0rd', { current: 'Same-passw0rd' })).toContain('same_as_current');
  });
});

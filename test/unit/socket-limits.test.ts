import { describe, expect, it } from 'vitest';
import { loadConfig, socketUserLimit, trustProxyValue } from '#server/config';
import { LIMITS, Strikes, TokenBucket, UserBuckets } from '#server/realtime/limits';

describe('socket limits', () => {
  it('a token bucket spends its burst, then refills at its rate, never above the burst', () => {
    const t = 1_000_000;
    const b = new TokenBucket(3, 2, t);
    expect([b.take(t), b.take(t), b.take(t), b.take(t)]).toEqual([true, true, true, false]);
    expect(b.take(t + 400)).toBe(false); // 0.8 of a token
    expect(b.take(t + 500)).toBe(true); // 1.0
    expect(b.take(t + 60_000) && b.take(t + 60_000) && b.take(t + 60_000)).toBe(true);
    expect(b.take(t + 60_000)).toBe(false);
  });

  it('a user’s sockets share one bucket, dropped with the last socket', () => {
    const users = new UserBuckets({ burst: 2, perSecond: 0.001 });
    const a = users.acquire('u1');
    const b = users.acquire('u1');
    expect(a).toBe(b);
    expect(users.acquire('u2')).not.toBe(a);
    expect([a.take(), b.take(), a.take()]).toEqual([true, true, false]);
    users.release('u1');
    expect(users.acquire('u1')).toBe(a);
    users.release('u1');
    users.release('u1');
    expect(users.acquire('u1')).not.toBe(a);
  });

  it('strikes count within the window only', () => {
    const s = new Strikes();
    const t = 5_000_000;
    for (let i = 0; i < LIMITS.strikes - 1; i++) expect(s.add(t)).toBe(false);
    expect(s.add(t + LIMITS.strikeWindowMs + 1)).toBe(false); // the earlier ones aged out
    const fresh = new Strikes();
    for (let i = 0; i < LIMITS.strikes - 1; i++) fresh.add(t);
    expect(fresh.add(t + 1)).toBe(true);
  });

  it('reads SOCKET_USER_LIMIT and TRUST_PROXY', () => {
    expect(socketUserLimit(loadConfig({}).SOCKET_USER_LIMIT)).toEqual(LIMITS.user);
    expect(socketUserLimit(loadConfig({ SOCKET_USER_LIMIT: '500,50' }).SOCKET_USER_LIMIT)).toEqual({ burst: 500, perSecond: 50 });
    expect(() => loadConfig({ SOCKET_USER_LIMIT: '0,5' })).toThrow(/SOCKET_USER_LIMIT/);
    expect(() => loadConfig({ SOCKET_USER_LIMIT: 'lots' })).toThrow(/SOCKET_USER_LIMIT/);
    expect(trustProxyValue(loadConfig({}).TRUST_PROXY)).toBe(false);
    expect(trustProxyValue('1')).toBe(1);
    expect(trustProxyValue('true')).toBe(true);
    expect(trustProxyValue('loopback, 10.0.0.0/8')).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: 'x;rm' })).toThrow(/TRUST_PROXY/);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseIngestKeys } from '#server/config';

describe('config', () => {
  it('has working defaults for the embedded setup', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 8080, HOST: '127.0.0.1', DATA_DIR: './data', SIMULATOR: 'on', DATABASE_URL: '', LOG_LEVEL: 'info' });
    expect(c.GRIDOPS_ADMIN_PASSWORD).toBeUndefined();
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', SIMULATOR: '' })).toMatchObject({ PORT: 8080, SIMULATOR: 'on' });
  });

  it.each([
    ['PORT', '70000', /PORT: /],
    ['SIMULATOR', 'maybe', /SIMULATOR: .*on.*off/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: must be empty or a URL starting with postgres:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: /],
    ['GRIDOPS_ADMIN_PASSWORD', 'short', /GRIDOPS_ADMIN_PASSWORD: must be at least 8 characters/],
    ['INGEST_KEYS', 'hotline', /INGEST_KEYS: must be a comma-separated list of source:key/],
    // These two used to pass here and crash the start later (after creating the admin) with a stack trace.
    ['METRICS_ALLOW', '10.0.0.0/99', /METRICS_ALLOW: must be loopback or addresses\/subnets/],
    ['METRICS_ALLOW', 'monitor.internal', /METRICS_ALLOW: must be loopback or addresses\/subnets/],
    ['TRUST_PROXY', 'proxy.internal', /TRUST_PROXY: must be a hop count, true, loopback/],
    ['TRUST_PROXY', '10.0.0.0/40', /TRUST_PROXY: must be a hop count, true, loopback/],
  ])('names %s and what is allowed when %s is bad', (name, value, message) => {
    const error = configError({ [name]: value });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(value);
  });

  // Secrets in a bad setting must not reach a shared log through the error message.
  it.each([
    ['INGEST_KEYS', 'open311:s3cretKeyValue-0123456789,hotline:short', ['s3cretKeyValue-0123456789', 'short']],
    ['INGEST_KEYS', 'no-colon-s3cretKeyValue-0123456789', ['s3cretKeyValue']],
    ['DATABASE_URL', 'mysql://gridops:Pa55w0rd-db@db.internal:3306/g', ['Pa55w0rd-db', 'gridops:', 'db.internal']],
    ['REDIS_URL', 'http://:Pa55w0rd-redis@cache.internal:6379', ['Pa55w0rd-redis', 'cache.internal']],
    ['GRIDOPS_ADMIN_PASSWORD', 'Pa5s', ['Pa5s']],
  ])('names %s without printing its value', (name, value, secrets) => {
    const error = configError({ [name]: value, MQTT_PASSWORD: 'Mqtt-Pa55w0rd', PORT: 'not-a-port' });
    expect(error.message).toContain(name);
    expect(error.message).toContain('PORT');
    for (const secret of [...secrets, 'Mqtt-Pa55w0rd', 'not-a-port']) expect(error.message).not.toContain(secret);
  });

  it('takes the TRUST_PROXY and METRICS_ALLOW forms Express and the allow list understand', () => {
    for (const TRUST_PROXY of ['true', 'false', '2', 'loopback', 'loopback, linklocal, uniquelocal', '10.0.0.1', '10.0.0.0/8', '10.0.0.0/255.0.0.0', 'fd00::/8', '::1']) {
      expect(loadConfig({ TRUST_PROXY }).TRUST_PROXY).toBe(TRUST_PROXY);
    }
    for (const METRICS_ALLOW of ['loopback', 'loopback,10.0.0.0/8', '192.168.1.5', 'fd00::/8, ::1']) {
      expect(loadConfig({ METRICS_ALLOW }).METRICS_ALLOW).toBe(METRICS_ALLOW);
    }
  });

  it('names a bad INGEST_KEYS entry by its position', () => {
    expect(configError({ INGEST_KEYS: 'open311:s3cretKeyValue-0123456789,hotline:short' }).message).toMatch(/INGEST_KEYS: .*\(entry 2 of 2\)/);
  });

  it('parses ingest keys into key → source', () => {
    const keys = parseIngestKeys('hotline:aaaaaaaaaaaaaaaa, open311:bbbbbbbbbbbbbbbb:with-colon');
    expect(keys.get('aaaaaaaaaaaaaaaa')).toBe('hotline');
    expect(keys.get('bbbbbbbbbbbbbbbb:with-colon')).toBe('open311');
  });
});

function configError(env: Record<string, string>): Error {
  try {
    loadConfig(env);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a configuration error');
}

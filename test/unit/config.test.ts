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
    ['PORT', '70000', /PORT="70000"/],
    ['SIMULATOR', 'maybe', /SIMULATOR="maybe".*"on"\|"off"|SIMULATOR="maybe".*on.*off/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x": must be empty or a URL starting with postgres:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud"/],
    ['GRIDOPS_ADMIN_PASSWORD', 'short', /GRIDOPS_ADMIN_PASSWORD="short": must be at least 8 characters/],
    ['INGEST_KEYS', 'hotline', /INGEST_KEYS="hotline": must be a comma-separated list of source:key/],
  ])('names %s and what is allowed when %s is bad', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
  });

  it('parses ingest keys into key → source', () => {
    const keys = parseIngestKeys('hotline:aaaaaaaaaaaaaaaa, open311:bbbbbbbbbbbbbbbb:with-colon');
    expect(keys.get('aaaaaaaaaaaaaaaa')).toBe('hotline');
    expect(keys.get('bbbbbbbbbbbbbbbb:with-colon')).toBe('open311');
  });
});

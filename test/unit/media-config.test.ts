import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, mediaS3Settings } from '#server/config';
import { sniffImage } from '#server/media/image';

describe('MEDIA_* configuration', () => {
  it('defaults to the file system and a 10 MB limit', () => {
    const c = loadConfig({});
    expect(c.MEDIA_MAX_BYTES).toBe(10 * 1024 * 1024);
    expect(mediaS3Settings(c)).toBeNull();
    expect(c.POSITION_RETENTION_DAYS).toBe(30);
  });
  it('reads the bucket from the URL path and needs both keys, naming what is missing, never the secret', () => {
    const ok = loadConfig({ MEDIA_S3_URL: 'https://s3.internal:9000/gridops-media', MEDIA_S3_ACCESS_KEY_ID: 'AK', MEDIA_S3_SECRET_ACCESS_KEY: 'sekrit-value' });
    expect(mediaS3Settings(ok)).toMatchObject({ endpoint: 'https://s3.internal:9000', bucket: 'gridops-media', region: 'us-east-1' });
    expect(() => loadConfig({ MEDIA_S3_URL: 'http://s3.internal:9000/b-1', MEDIA_S3_SECRET_ACCESS_KEY: 'sekrit-value' })).toThrow(/MEDIA_S3_ACCESS_KEY_ID: is required/);
    expect(() => loadConfig({ MEDIA_S3_URL: 'http://s3.internal:9000', MEDIA_S3_ACCESS_KEY_ID: 'a', MEDIA_S3_SECRET_ACCESS_KEY: 'b' })).toThrow(/must name the bucket/);
    try {
      loadConfig({ MEDIA_S3_URL: 'http://user:sekrit-value@s3.internal/bkt' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect(String(err)).not.toContain('sekrit-value');
    }
    expect(() => loadConfig({ MEDIA_MAX_BYTES: '12' })).toThrow(/MEDIA_MAX_BYTES/);
  });
  it('sniffs images by their leading bytes only', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe1]))).toBe('jpeg');
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(sniffImage(Buffer.from('GIF89a'))).toBe('gif');
    expect(sniffImage(Buffer.from('<svg/>'))).toBeNull();
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
  });
});

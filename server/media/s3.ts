import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { assertKey, type MediaStore } from './store.ts';

export interface S3Settings {
  /** Endpoint without the bucket: scheme, host and port of the operator's object store (`MEDIA_S3_URL`). */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Media in an S3-compatible object store, shared by every node (path-style: MinIO, Ceph, s3rver). */
export function s3MediaStore(s: S3Settings): MediaStore & { client: S3Client } {
  const client = new S3Client({
    endpoint: s.endpoint,
    region: s.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
  });
  return {
    kind: 's3',
    client,
    put: async (key, body, contentType) => {
      assertKey(key);
      await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: key, Body: body, ContentType: contentType }));
    },
    get: async (key) => {
      assertKey(key);
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: key }));
        if (!out.Body) return null;
        return Buffer.from(await out.Body.transformToByteArray());
      } catch (err) {
        if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
        throw err;
      }
    },
    delete: async (key) => {
      assertKey(key);
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: key }));
    },
  };
}

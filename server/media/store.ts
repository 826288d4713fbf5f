import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Where re-encoded photos live: bytes by key (`<incidentId>/<mediaId>.jpg`, `….thumb.jpg`). */
export interface MediaStore {
  kind: 'fs' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** Null when there is no such object. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

/** Keys are made by the server from ids it made; this guards the file system against anything else. */
export function assertKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+\/[A-Za-z0-9_.-]+$/.test(key) || key.includes('..')) throw new Error(`bad media key: ${key}`);
}

/** One node's media under `<DATA_DIR>/media`; written to a temporary name first, so a reader never sees half a file. */
export function fsMediaStore(root: string): MediaStore {
  const path = (key: string) => {
    assertKey(key);
    return join(root, key);
  };
  return {
    kind: 'fs',
    put: async (key, body) => {
      const file = path(key);
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, body, { mode: 0o600 }); // residents' photos: for the server's account only
      await rename(tmp, file);
    },
    get: async (key) => {
      try {
        return await readFile(path(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    delete: async (key) => {
      await rm(path(key), { force: true });
    },
  };
}

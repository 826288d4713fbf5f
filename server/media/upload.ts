import busboy from 'busboy';
import type { Request } from 'express';
import { MEDIA_FIELD, type MediaErrorCode } from '#common/media/types';

export type UploadRead = { ok: true; data: Buffer } | { ok: false; code: MediaErrorCode; message: string };

/** Multipart overhead allowed on top of the file (boundaries, part headers) before Content-Length alone refuses. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * Read the one file of a multipart request (field `file`) into memory, at most `maxBytes`. Nothing is written
 * anywhere here: a refused upload leaves no trace. An over-long body is drained, so the client reads our 413.
 */
export function readUpload(req: Request, maxBytes: number): Promise<UploadRead> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes + ENVELOPE_BYTES) {
    return Promise.resolve({ ok: false, code: 'media/too_large', message: `The file is larger than ${maxBytes} bytes.` });
  }
  return new Promise((resolve) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, parts: 24, fieldSize: 4096 } });
    } catch {
      resolve({ ok: false, code: 'media/bad_request', message: 'Send multipart/form-data with the photo in the field "file".' });
      return;
    }
    let result: UploadRead | null = null;
    const settle = (r: UploadRead) => {
      result ??= r;
    };
    bb.on('file', (name, stream) => {
      if (name !== MEDIA_FIELD || result) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        chunks.length = 0;
        settle({ ok: false, code: 'media/too_large', message: `The file is larger than ${maxBytes} bytes.` });
      });
      stream.on('close', () => {
        if (!stream.truncated) settle({ ok: true, data: Buffer.concat(chunks) });
      });
    });
    bb.on('error', () => {
      settle({ ok: false, code: 'media/bad_request', message: 'The multipart body is malformed.' });
      req.unpipe(bb);
      req.resume();
      resolve(result!);
    });
    bb.on('close', () => resolve(result ?? { ok: false, code: 'media/no_file', message: 'No file in the field "file".' }));
    req.pipe(bb);
  });
}

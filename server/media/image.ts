import sharp, { type Metadata } from 'sharp';

/** Formats a phone camera or gallery gives; decided by the bytes, never by the name or the declared type. */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

const startsWith = (buf: Buffer, bytes: number[], at = 0) => bytes.every((b, i) => buf[at + i] === b);

/** The image format the leading bytes announce, or null (SVG, HTML, PDF, anything else). */
export function sniffImage(buf: Buffer): ImageFormat | null {
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(buf, [0x52, 0x49, 0x46, 0x46]) && startsWith(buf, [0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (startsWith(buf, [0x47, 0x49, 0x46, 0x38])) return 'gif';
  return null;
}

/** Longest side of the stored photo and of its thumbnail. */
export const FULL_SIDE = 1600;
export const THUMB_SIDE = 320;
/** A decompression bomb (a small file of huge dimensions) is refused before it is decoded. */
const MAX_INPUT_PIXELS = 50_000_000;

export interface Encoded {
  full: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

export class NotAnImage extends Error {}

/**
 * Decode, turn upright (EXIF orientation), downscale and re-encode as JPEG. sharp writes no metadata unless
 * asked to, so EXIF, GPS, XMP and ICC comments of the upload are gone from both outputs.
 */
export async function reencode(buf: Buffer): Promise<Encoded> {
  const format = sniffImage(buf);
  if (!format) throw new NotAnImage('not a JPEG, PNG, WebP or GIF image');
  const opts = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const };
  let meta: Metadata;
  try {
    meta = await sharp(buf, opts).metadata();
  } catch {
    throw new NotAnImage('the image cannot be decoded');
  }
  // The decoder must agree with the bytes' claim (a JPEG header glued onto something else is refused).
  if (meta.format !== format || !meta.width || !meta.height) throw new NotAnImage('the image cannot be decoded');
  try {
    const upright = () => sharp(buf, opts).rotate();
    const { data: full, info } = await upright()
      .resize({ width: FULL_SIDE, height: FULL_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await upright().resize({ width: THUMB_SIDE, height: THUMB_SIDE, fit: 'cover' }).flatten({ background: '#ffffff' }).jpeg({ quality: 70 }).toBuffer();
    return { full, thumb, width: info.width, height: info.height };
  } catch {
    throw new NotAnImage('the image cannot be decoded');
  }
}

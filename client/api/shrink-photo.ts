/**
 * Photos are made smaller on the phone before they are queued: a 48–200 MP camera writes JPEGs of 10–30 MB,
 * over the server's upload limit (MEDIA_MAX_BYTES, 10 MB) and slow on a patchy 4G link, while the server keeps
 * at most 1600 px a side anyway (server/media/image.ts). Drawing the decoded bitmap also turns the picture
 * upright (EXIF orientation) and leaves every EXIF field, GPS included, behind.
 */

/** Longest side kept: above the server's 1600 px, so the server's own re-encode still has a little to work with. */
export const PHOTO_MAX_SIDE = 2048;
/** A photo at most this large, and of at most PHOTO_MAX_SIDE a side, is queued as it is. */
export const PHOTO_KEEP_BYTES = 1.5 * 1024 * 1024;
const QUALITY = 0.85;

/** Width and height scaled so the longest side is at most `max` (never enlarged). */
export function fitInside(width: number, height: number, max = PHOTO_MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The photo as a JPEG of at most PHOTO_MAX_SIDE a side, or the file itself when it is small already or the
 * browser cannot decode it (HEIC on most browsers): then the server decides, as before.
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (typeof createImageBitmap !== 'function' || typeof document === 'undefined') return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    const size = fitInside(bitmap.width, bitmap.height);
    if (file.size <= PHOTO_KEEP_BYTES && size.width === bitmap.width && size.height === bitmap.height) return file;
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return file;
    // Transparent parts (a PNG screenshot) on white, as the server flattens them.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.drawImage(bitmap, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
    if (!blob || blob.size >= file.size) return file;
    const name = `${file.name.replace(/\.[^./]*$/, '') || 'photo'}.jpg`;
    return new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified });
  } finally {
    bitmap.close();
  }
}

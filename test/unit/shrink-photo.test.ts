import { describe, expect, it } from 'vitest';
import { fitInside, PHOTO_MAX_SIDE, shrinkPhoto } from '../../client/api/shrink-photo.ts';

describe('fitInside', () => {
  it('scales the longest side down to the limit, keeping the shape', () => {
    expect(fitInside(8000, 6000)).toEqual({ width: PHOTO_MAX_SIDE, height: 1536 });
    expect(fitInside(3000, 4000)).toEqual({ width: 1536, height: PHOTO_MAX_SIDE });
  });
  it('never enlarges, and never gives a zero side', () => {
    expect(fitInside(640, 480)).toEqual({ width: 640, height: 480 });
    expect(fitInside(100_000, 10)).toEqual({ width: PHOTO_MAX_SIDE, height: 1 });
  });
});

describe('shrinkPhoto', () => {
  it('gives the file itself back where nothing can decode it (no createImageBitmap)', async () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'IMG_1.HEIC', { type: '' });
    expect(await shrinkPhoto(file)).toBe(file);
  });
});

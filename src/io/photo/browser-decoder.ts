/**
 * BROWSER-ONLY photo decoder (page or Web Worker): the browser's own decoders through
 * createImageBitmap and an OffscreenCanvas. Nothing here runs at import time, so importing it in
 * Node is harmless; calling it there throws.
 *
 * Size and EXIF orientation are read from the header first (photo-header.ts, pure), so the bitmap
 * is asked for at working size directly: a 12000x9000 photo is never held at full size in JS memory
 * (the browser may still decode at full size internally).
 *
 * Orientation is NOT left to the browser: Chromium honours EXIF orientation in JPEG and PNG but
 * ignores it in WebP (seen in browser-decoder.test.ts), and imageOrientation cannot switch EXIF off
 * any more ('none' became 'from-image'). So the decoder is given a copy whose tag says 1, decodes the
 * stored pixels at the stored-orientation working size, and orientPixels turns them upright: one
 * behaviour in every browser, and the same pure function the Node tests check against libvips.
 */
import { orientPixels, swapsAxes, uprightSize } from './exif-orientation.ts';
import { readPhotoHeader, withStoredOrientation } from './photo-header.ts';
import { type DecodedPhoto, type PhotoDecodeOptions, type PhotoDecoder, notAPhotoError, workingSize } from './photo.ts';

const MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

export class BrowserPhotoDecoder implements PhotoDecoder {
  async decode(bytes: Uint8Array, options: PhotoDecodeOptions = {}): Promise<DecodedPhoto> {
    const header = readPhotoHeader(bytes);
    const upright = uprightSize(header.width, header.height, header.orientation);
    const target = workingSize(upright.width, upright.height, options.maxLongSide);
    const storedTarget = swapsAxes(header.orientation) ? { width: target.height, height: target.width } : target;
    if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function') {
      throw new Error('photo: expected a browser with createImageBitmap and OffscreenCanvas, found neither (use the Node decoder outside the browser)');
    }
    let bitmap: ImageBitmap;
    try {
      const neutral = withStoredOrientation(bytes, header);
      const blob = new Blob([neutral as Uint8Array<ArrayBuffer>], { type: MIME[header.format] });
      bitmap = await createImageBitmap(blob, {
        imageOrientation: 'from-image',
        colorSpaceConversion: 'default',
        premultiplyAlpha: 'none',
        resizeWidth: storedTarget.width,
        resizeHeight: storedTarget.height,
        resizeQuality: 'high',
      });
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
      throw notAPhotoError(`a damaged ${header.format.toUpperCase()} (${reason})`);
    }
    try {
      const { width, height } = bitmap;
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('2d', { willReadFrequently: true });
      if (!context) throw new Error('photo: expected a 2D canvas context, found none');
      context.fillStyle = '#ffffff'; // transparent parts over white, as the Node decoder does
      context.fillRect(0, 0, width, height);
      context.drawImage(bitmap, 0, 0);
      return orientPixels(rgbaToRgb(context.getImageData(0, 0, width, height).data), width, height, header.orientation);
    } finally {
      bitmap.close();
    }
  }
}

/** Drops every fourth byte (alpha, 255 here since the picture was drawn over opaque white). */
export function rgbaToRgb(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const pixels = rgba.length >> 2;
  const rgb = new Uint8Array(3 * pixels);
  for (let i = 0, j = 0; i < pixels; i++, j += 4) {
    rgb[3 * i] = rgba[j];
    rgb[3 * i + 1] = rgba[j + 1];
    rgb[3 * i + 2] = rgba[j + 2];
  }
  return rgb;
}

/**
 * NODE-ONLY photo decoder (imports the native module `sharp`, i.e. libvips): never import this file
 * from code that runs in the browser; the browser has browser-decoder.ts behind the same interface.
 *
 * Why sharp: it ships prebuilt libvips binaries inside its npm packages (no download at install),
 * decodes JPEG, PNG and WebP, honours EXIF orientation, converts ICC profiles to sRGB, and for JPEG
 * shrinks on load (the DCT is decoded at 1/2, 1/4 or 1/8 scale), so a 12000x9000 photo becomes a
 * 1024x768 working image without the 324 MB full-size raster ever being allocated.
 */
import sharp from 'sharp';
import { type Orientation, swapsAxes } from './exif-orientation.ts';
import { readPhotoHeader } from './photo-header.ts';
import { type DecodedPhoto, type PhotoDecodeOptions, type PhotoDecoder, notAPhotoError, requirePhotoFormat, workingSize } from './photo.ts';

const WHITE = { r: 255, g: 255, b: 255 };

/**
 * The most pixels a photo may have (libvips' own default, 16383x16383, made explicit so the error can
 * say it): a PNG whose header claims 60000x60000 would otherwise be a decompression bomb.
 */
export const MAX_PHOTO_PIXELS = 16383 * 16383;

export class NodePhotoDecoder implements PhotoDecoder {
  async decode(bytes: Uint8Array, options: PhotoDecodeOptions = {}): Promise<DecodedPhoto> {
    const format = requirePhotoFormat(bytes);
    try {
      // failOn 'warning': a truncated or damaged file is an error, not a half-grey picture.
      const meta = await sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_PHOTO_PIXELS }).metadata();
      const stored = { width: meta.width ?? 0, height: meta.height ?? 0 };
      const orientation = meta.orientation && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
      const upright = swapsAxes(orientation as Orientation) ? { width: stored.height, height: stored.width } : stored;
      const target = workingSize(upright.width, upright.height, options.maxLongSide);
      // rotate() with no angle = EXIF auto-orientation; the resize size then refers to the upright
      // image. An exact size (fit 'fill') rather than 'inside' makes both decoders agree to the pixel.
      let pipeline = sharp(bytes, { failOn: 'warning', limitInputPixels: MAX_PHOTO_PIXELS }).rotate();
      if (target.width !== upright.width || target.height !== upright.height) {
        pipeline = pipeline.resize({ width: target.width, height: target.height, fit: 'fill', kernel: 'lanczos3' });
      }
      const { data, info } = await pipeline.flatten({ background: WHITE }).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
      if (info.channels !== 3 || data.length !== info.width * info.height * 3) {
        throw new Error(`decoder returned ${info.channels} channels of ${info.width}x${info.height} in ${data.length} bytes`);
      }
      return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
      if (/exceeds pixel limit/.test(reason)) throw tooManyPixelsError(bytes, format);
      throw notAPhotoError(`a damaged ${format.toUpperCase()} (${reason})`);
    }
  }
}

/** A photo over MAX_PHOTO_PIXELS is not damaged, only too big: the error says how big (from its header). */
function tooManyPixelsError(bytes: Uint8Array, format: string): Error {
  let size = `a ${format.toUpperCase()} with more`;
  try {
    const { width, height } = readPhotoHeader(bytes);
    size = `a ${width}x${height} ${format.toUpperCase()} (${width * height} pixels)`;
  } catch {
    // the header reader does not know this layout; libvips did, and said the count is over
  }
  return new Error(`photo: expected at most ${MAX_PHOTO_PIXELS} pixels (16383x16383), found ${size}`);
}

/**
 * Photos as the generator takes them: decoded, turned upright (EXIF orientation), and shrunk to a
 * working size. Decoding itself is environment-specific (libvips in Node, the browser's own decoder
 * in a page or worker), so it sits behind `PhotoDecoder`; what is shared lives here, pure.
 *
 * Output layout: `data` is RGB, 3 bytes per pixel, row-major from the top-left of the upright image,
 * sRGB-encoded as the file stores them (an embedded ICC profile is converted to sRGB). Transparent
 * parts of a PNG or WebP are composited over white, so every pixel has a colour.
 */

import type { RgbImage } from '../../core/image.ts';

/** RGB, 3 bytes per pixel, row-major from the top-left of the upright image. */
export type DecodedPhoto = RgbImage;

export interface PhotoDecodeOptions {
  /** the longer side of the output is at most this many pixels (never enlarged); default 1024 */
  maxLongSide?: number;
}

export interface PhotoDecoder {
  decode(bytes: Uint8Array, options?: PhotoDecodeOptions): Promise<DecodedPhoto>;
}

export const DEFAULT_MAX_LONG_SIDE = 1024;

export type PhotoFormat = 'jpeg' | 'png' | 'webp';

/** The three formats we take, by their magic bytes; null for anything else. */
export function sniffPhotoFormat(bytes: Uint8Array): PhotoFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') return 'webp';
  return null;
}

/** The one-line error for input that is not a photo we can read; `found` says what it was. */
export function notAPhotoError(found: string): Error {
  return new Error(`photo: expected a JPEG, PNG or WebP image, found ${found}`);
}

/** What some bytes look like, for an error message: a known format's name, text, or the first bytes. */
export function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  const known = sniffOtherFormat(bytes);
  if (known) return known;
  const head = bytes.subarray(0, 32);
  const printable = head.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d);
  if (printable) {
    const line = String.fromCharCode(...head).split(/\r?\n/)[0];
    const cut = line.length === head.length && bytes.length > head.length;
    return `text starting ${JSON.stringify(line)}${cut ? '...' : ''}`;
  }
  const hex = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes starting ${hex}`;
}

/** Rejects anything that is not a JPEG, PNG or WebP; returns its format. */
export function requirePhotoFormat(bytes: Uint8Array): PhotoFormat {
  const format = sniffPhotoFormat(bytes);
  if (!format) throw notAPhotoError(describeBytes(bytes));
  return format;
}

/**
 * Size of the output for an upright image of width x height: unchanged when the long side fits,
 * else scaled so the long side is exactly maxLongSide (the short side rounded, at least 1 pixel).
 */
export function workingSize(width: number, height: number, maxLongSide = DEFAULT_MAX_LONG_SIDE): { width: number; height: number } {
  if (!(Number.isInteger(maxLongSide) && maxLongSide > 0)) {
    throw new Error(`photo: expected maxLongSide as a positive integer, found ${maxLongSide}`);
  }
  const long = Math.max(width, height);
  if (long <= maxLongSide) return { width, height };
  const s = maxLongSide / long;
  return {
    width: width >= height ? maxLongSide : Math.max(1, Math.round(width * s)),
    height: height > width ? maxLongSide : Math.max(1, Math.round(height * s)),
  };
}

/** Formats we do not take but can name (an error says "found a GIF image" rather than its bytes). */
export function sniffOtherFormat(b: Uint8Array): string | null {
  if (ascii(b, 0, 4) === 'GIF8') return 'a GIF image';
  if (ascii(b, 0, 2) === 'BM') return 'a BMP image';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'a TIFF image';
  if (ascii(b, 4, 4) === 'ftyp') return /^(avif|avis|heic|heix|mif1|msf1)$/.test(ascii(b, 8, 4)) ? 'an AVIF/HEIF image' : 'an ISO media file (MP4/MOV)';
  if (ascii(b, 0, 5) === '%PDF-') return 'a PDF document';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'a ZIP archive';
  if (/^\s*(<\?xml|<svg)/i.test(ascii(b, 0, 64))) return 'an SVG/XML document';
  return null;
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((v, i) => bytes[i] === v);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

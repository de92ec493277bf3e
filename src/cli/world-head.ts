/**
 * What a file handed to a command as a world is not, told from its first bytes before a reader sees
 * it: a photo or a document renamed .ply (or .splat, .worldsplat) is named as what it is, and bytes
 * that are neither text nor a known format are shown as hex. A reader's own message would quote
 * them as escaped characters ("\u00ff\u00d8...") or, for a .splat, which has no magic, read any
 * file of a multiple of 32 bytes as splats.
 */
import { sniffOtherFormat, sniffPhotoFormat } from '../io/photo/photo.ts';

/** Enough for every magic we know (an SVG's may follow a little whitespace). */
export const HEAD_BYTES = 64;

export const PHOTO_NAMES = { jpeg: 'a JPEG photo', png: 'a PNG photo', webp: 'a WebP photo' };

/** The first bytes of a file as one printable line: a text's first line, quoted, or the bytes in hex. */
export function shownBytes(head: Uint8Array): string {
  if (head.length === 0) return 'an empty file';
  const start = head.subarray(0, 32);
  if (isText(start)) return `text starting ${JSON.stringify(String.fromCharCode(...start).split(/\r?\n/)[0])}`;
  return `bytes ${Array.from(start.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
}

const isText = (bytes: Uint8Array): boolean => bytes.every((b) => (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d);

/**
 * The one-line error for `path` (`size` bytes) when its first bytes say it is not a world whatever
 * its name, else undefined. `kind`: what the name asks for, read only when the bytes say nothing we
 * know. (The caller has taken a PLY's and a bundle's magic: what is left has none.)
 */
export function notAWorld(path: string, head: Uint8Array, size: number, kind: 'ply' | 'splat' | 'bundle' | 'other'): Error | undefined {
  const expected = `${path}: expected a world file (.ply, .splat or .worldsplat)`;
  // A .splat starts with its first splat's x as a float, which begins ff d8 ff (JPEG) once in 2^24
  // files and 'BM' (BMP) once in 2^16: such short magics are believed only where the file could
  // not be whole splats anyway. The other magics are 4 bytes or more.
  const short = kind === 'splat' && size % 32 === 0;
  const photo = sniffPhotoFormat(head);
  if (photo && !(short && photo === 'jpeg')) return new Error(`${expected}, found ${PHOTO_NAMES[photo]} (worldsplat generate makes a world from a photo)`);
  const other = sniffOtherFormat(head);
  if (other && !(short && other === 'a BMP image')) return new Error(`${expected}, found ${other}`);
  if (kind === 'ply' && head.length > 0) return new Error(`${path}: expected a PLY file starting with 'ply', found ${shownBytes(head)}`);
  // a .splat is binary records (floats, then colour bytes): text is some other file renamed
  if (kind === 'splat' && head.length >= 32 && isText(head.subarray(0, 32))) {
    return new Error(`${path}: expected a .splat file of 32-byte binary splats, found ${shownBytes(head)}`);
  }
  return undefined;
}

/**
 * The text of a poses.json as explore reads it. JSON is UTF-8 text: a file saved as UTF-16 (what
 * some Windows editors call "Unicode") or a picture named .json would otherwise reach the JSON
 * parser as replacement characters and NULs, and its syntax error would quote them.
 */
import { readFile, stat } from 'node:fs/promises';
import { sniffOtherFormat, sniffPhotoFormat } from '../io/photo/photo.ts';
import { PHOTO_NAMES, shownBytes } from './world-head.ts';

/** 360 cameras (MAX_STOPS) take under 100 KB, however they are spaced: more is not a poses file. */
export const MAX_POSES_BYTES = 16 << 20;

export async function readPosesText(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new Error(`${path}: expected a readable poses file, found a folder`);
    if (info.size > MAX_POSES_BYTES) throw new Error(`${path}: expected a poses file of at most ${MAX_POSES_BYTES >> 20} MB, found ${(info.size / 2 ** 20).toFixed(0)} MB`);
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined) throw error;
    throw new Error(`${path}: expected a readable poses file, found ${code === 'ENOENT' ? 'none' : `one that cannot be read (${code})`}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${path}: expected UTF-8 JSON text, found ${notText(bytes)}`);
  }
}

function notText(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return 'UTF-16 text (save it as UTF-8)';
  const photo = sniffPhotoFormat(bytes);
  if (photo) return PHOTO_NAMES[photo];
  const other = sniffOtherFormat(bytes);
  if (other) return other;
  const at = firstNonUtf8(bytes);
  if (at <= 0) return shownBytes(bytes.subarray(0, 32));
  // text up to a byte of another code page (Latin-1's 0xe9 for an e-acute, say): show where
  const before = new TextDecoder().decode(bytes.subarray(Math.max(0, at - 24), at)).replace(/^\ufffd+/, '');
  return `text with a byte that is not UTF-8 (0x${bytes[at].toString(16)} at byte ${at}, after ${JSON.stringify(before)}; saved as Latin-1 or another code page?)`;
}

/** Where the bytes stop being UTF-8 (a lead byte without its continuation bytes, or none that can lead); -1 if nowhere. */
function firstNonUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    const more = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (more < 0) return i;
    for (let k = 1; k <= more; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += more + 1;
  }
  return -1;
}

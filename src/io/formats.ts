/**
 * Picking the splat format of a file. Reading trusts the content first ("ply" magic), because files
 * get renamed; writing goes by the extension the user asked for.
 */
import type { SplatCloud } from '../core/splat-cloud.ts';
import { quote } from './ply-header.ts';
import { readPly } from './ply-reader.ts';
import { writePly } from './ply-writer.ts';
import { readSplat, writeSplat } from './splat-format.ts';

export type SplatFormat = 'ply' | 'splat';

const extensionOf = (name: string): string => {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
};

/** The format a file name asks for, by extension (case-insensitive). */
export function formatForFileName(name: string): SplatFormat {
  const ext = extensionOf(name);
  if (ext === 'ply' || ext === 'splat') return ext;
  throw new Error(`expected a file name ending in .ply or .splat, found ${quote(name, 80)}`);
}

/** PLY by its magic (or by a .ply name, so a broken PLY says what is wrong with it), else .splat by name. */
export function readSplatFile(fileName: string, bytes: Uint8Array): SplatCloud {
  const ext = extensionOf(fileName);
  if (startsWithPlyMagic(bytes) || ext === 'ply') return readPly(bytes);
  if (ext === 'splat') return readSplat(bytes);
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new Error(`expected a .ply or .splat splat file, found ${quote(fileName, 80)} starting with bytes ${head || '(none: empty file)'}`);
}

export function writeSplatFile(fileName: string, cloud: SplatCloud): Uint8Array {
  return formatForFileName(fileName) === 'ply' ? writePly(cloud) : writeSplat(cloud);
}

function startsWithPlyMagic(bytes: Uint8Array): boolean {
  const p = 0x70, l = 0x6c, y = 0x79;
  return bytes.length >= 4 && bytes[0] === p && bytes[1] === l && bytes[2] === y && (bytes[3] === 0x0a || bytes[3] === 0x0d);
}

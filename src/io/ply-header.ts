/**
 * The PLY header: finding where it ends in a byte stream and parsing it into elements and
 * properties. Only the header grammar lives here; what a splat file needs from it is in
 * ply-vertex-layout.ts.
 *
 * Accepted: `ply` magic with LF or CRLF line ends, `format ascii | binary_little_endian |
 * binary_big_endian 1.0`, `comment` and `obj_info` lines anywhere, blank lines, scalar and list
 * properties with the type names of the PLY spec and their sized aliases (uchar = uint8 ...).
 * Everything else is an error that names what was expected and what was found.
 */

export type PlyFormat = 'ascii' | 'binary_little_endian' | 'binary_big_endian';
export type PlyScalarType = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

export interface PlyProperty {
  name: string;
  type: PlyScalarType;
  /** Present for `property list <countType> <type> <name>`: the type of the leading item count. */
  listCountType?: PlyScalarType;
}

export interface PlyElement {
  name: string;
  count: number;
  properties: PlyProperty[];
}

export interface PlyHeader {
  format: PlyFormat;
  elements: PlyElement[];
  comments: string[];
  /** Bytes from the start of the file to the first body byte (after end_header's line break). */
  byteLength: number;
}

/** A header longer than this without end_header is not a splat file (real ones are ~2 KB). */
export const PLY_MAX_HEADER_BYTES = 65536;

const TYPE_NAMES: Record<string, PlyScalarType> = {
  char: 'int8', int8: 'int8',
  uchar: 'uint8', uint8: 'uint8',
  short: 'int16', int16: 'int16',
  ushort: 'uint16', uint16: 'uint16',
  int: 'int32', int32: 'int32',
  uint: 'uint32', uint32: 'uint32',
  float: 'float32', float32: 'float32',
  double: 'float64', float64: 'float64',
};

export const PLY_TYPE_BYTES: Record<PlyScalarType, number> = {
  int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, float64: 8,
};

const FORMATS: readonly string[] = ['ascii', 'binary_little_endian', 'binary_big_endian'];

/**
 * Where the header ends: the byte offset just past end_header's line break, or -1 when `bytes`
 * (the start of a stream) does not hold all of it yet. `complete` says that no more bytes will come,
 * so a missing end_header is then an error. Throws on a wrong magic or an over-long header, as early
 * as the bytes allow, so a stream of a non-PLY file fails on its first chunk.
 */
export function findPlyHeaderEnd(bytes: Uint8Array, complete: boolean): number {
  checkMagic(bytes, complete);
  const limit = Math.min(bytes.length, PLY_MAX_HEADER_BYTES);
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < limit; i = bytes.indexOf(0x0a, i + 1)) {
    if (!isEndHeaderAt(bytes, i + 1)) continue;
    let end = i + 1 + END_HEADER.length;
    if (bytes[end] === 0x0d) end++;
    if (end < bytes.length && bytes[end] === 0x0a) return end + 1;
    // "end_header" at the very end of what we have may still get its line break in the next chunk;
    // at the end of a complete file it is accepted without one.
    if (end >= bytes.length) {
      if (complete && bytes[end - 1] !== 0x0d) return end;
      break;
    }
  }
  if (bytes.length >= PLY_MAX_HEADER_BYTES) {
    throw new Error(`PLY: expected 'end_header' within the first ${PLY_MAX_HEADER_BYTES} bytes, found none`);
  }
  if (complete) throw new Error(`PLY: expected an 'end_header' line, found the end of the file after ${bytes.length} bytes of header`);
  return -1;
}

const END_HEADER = Array.from('end_header', (c) => c.charCodeAt(0));

function isEndHeaderAt(bytes: Uint8Array, at: number): boolean {
  for (let k = 0; k < END_HEADER.length; k++) if (bytes[at + k] !== END_HEADER[k]) return false;
  return true;
}

/** Parses a complete header; `bytes` may continue into the body. */
export function parsePlyHeader(bytes: Uint8Array): PlyHeader {
  const byteLength = findPlyHeaderEnd(bytes, true);
  const lines = latin1(bytes, 0, byteLength).split('\n');
  let format: PlyFormat | null = null;
  const elements: PlyElement[] = [];
  const comments: string[] = [];
  // Line 0 is the magic, checked by findPlyHeaderEnd.
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n].replace(/\r$/, '');
    const words = line.trim().split(/[ \t]+/);
    const where = `(header line ${n + 1})`;
    switch (words[0]) {
      case '':
        continue;
      case 'comment':
      case 'obj_info':
        comments.push(line.trim().slice(words[0].length).trim());
        continue;
      case 'end_header':
        if (format === null) throw new Error(`PLY: expected a 'format' line in the header, found none`);
        return { format, elements, comments, byteLength };
      case 'format':
        if (format !== null) throw new Error(`PLY: expected one 'format' line, found a second ${where}`);
        if (words.length !== 3 || !FORMATS.includes(words[1]) || words[2] !== '1.0') {
          throw new Error(`PLY: expected 'format ascii|binary_little_endian|binary_big_endian 1.0', found ${quote(line)} ${where}`);
        }
        format = words[1] as PlyFormat;
        continue;
      case 'element': {
        if (words.length !== 3 || !/^\d+$/.test(words[2])) {
          throw new Error(`PLY: expected 'element <name> <non-negative integer count>', found ${quote(line)} ${where}`);
        }
        const count = Number(words[2]);
        if (!Number.isSafeInteger(count)) throw new Error(`PLY: expected an element count below 2^53, found ${quote(words[2])} ${where}`);
        if (elements.some((e) => e.name === words[1])) throw new Error(`PLY: expected element names to be unique, found a second ${quote(words[1])} ${where}`);
        elements.push({ name: words[1], count, properties: [] });
        continue;
      }
      case 'property': {
        const element = elements[elements.length - 1];
        if (!element) throw new Error(`PLY: expected an 'element' line before the first property, found ${quote(line)} ${where}`);
        const property = parseProperty(words, line, where);
        if (element.properties.some((p) => p.name === property.name)) {
          throw new Error(`PLY: expected property names to be unique in element '${element.name}', found a second ${quote(property.name)} ${where}`);
        }
        element.properties.push(property);
        continue;
      }
      default:
        throw new Error(`PLY: expected a header line starting with format, element, property, comment, obj_info or end_header, found ${quote(line)} ${where}`);
    }
  }
  // findPlyHeaderEnd guarantees an end_header line, so the loop always returns.
  throw new Error('PLY: expected an end_header line, found none');
}

function parseProperty(words: string[], line: string, where: string): PlyProperty {
  if (words[1] === 'list') {
    const countType = TYPE_NAMES[words[2]];
    const type = TYPE_NAMES[words[3]];
    if (words.length !== 5 || !countType || !type) {
      throw new Error(`PLY: expected 'property list <count type> <item type> <name>' with PLY types, found ${quote(line)} ${where}`);
    }
    return { name: words[4], type, listCountType: countType };
  }
  const type = TYPE_NAMES[words[1]];
  if (words.length !== 3 || !type) {
    throw new Error(`PLY: expected 'property <type> <name>' with a type among ${Object.keys(TYPE_NAMES).join(' ')}, found ${quote(line)} ${where}`);
  }
  return { name: words[2], type };
}

function checkMagic(bytes: Uint8Array, complete: boolean): void {
  const head = latin1(bytes, 0, Math.min(bytes.length, 5));
  const ok = ['ply\n', 'ply\r\n'].some((magic) => (head.length >= magic.length ? head.startsWith(magic) : magic.startsWith(head)));
  if (!ok || (complete && head.length < 4)) {
    throw new Error(`PLY: expected a PLY file starting with 'ply', found ${bytes.length === 0 ? 'an empty file' : quote(latin1(bytes, 0, Math.min(bytes.length, 16)))}`);
  }
}

/** Bytes as one char per byte; a header is ASCII, and this never fails on a stray byte. */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 8192) s += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  return s;
}

/** A found value for a one-line message: quoted, escaped, shortened. */
export function quote(s: string, max = 40): string {
  const short = s.length > max ? `${s.slice(0, max)}...` : s;
  return JSON.stringify(short).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

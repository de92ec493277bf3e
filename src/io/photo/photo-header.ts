/**
 * What a JPEG, PNG or WebP header says without decoding any pixel: stored size and EXIF orientation.
 * The browser decoder needs the upright size before it decodes, to ask createImageBitmap for a
 * working-size bitmap directly (a 12000x9000 photo never exists at full size in memory); tests use
 * it to check the Node path against an independent reading of the same file.
 */
import { type Orientation, findOrientationTag, tiffFromExifBlock } from './exif-orientation.ts';
import { type PhotoFormat, describeBytes, notAPhotoError, requirePhotoFormat } from './photo.ts';

export interface PhotoHeader {
  format: PhotoFormat;
  /** stored size, before orientation */
  width: number;
  height: number;
  orientation: Orientation;
  /** where the orientation value is in the file, so a copy can be made that says 1; null when there is no tag */
  orientationTag: { at: number; littleEndian: boolean; pngChunkAt?: number } | null;
}

/** Reads the header; a file that is not one of the three formats, or whose header is cut, gets a one-line error. */
export function readPhotoHeader(bytes: Uint8Array): PhotoHeader {
  const format = requirePhotoFormat(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = format === 'jpeg' ? readJpeg(bytes, view) : format === 'png' ? readPng(bytes, view) : readWebp(bytes, view);
  if (!header || !(header.width > 0 && header.height > 0)) {
    throw notAPhotoError(`a damaged ${format.toUpperCase()} (no image size in its header; ${describeBytes(bytes)})`);
  }
  return { format, ...header };
}

type Tag = PhotoHeader['orientationTag'];
type Found = { width: number; height: number; orientation: Orientation; orientationTag: Tag } | null;

/** The orientation tag inside an EXIF block that starts at byte `blockAt` of the file. */
function tagIn(bytes: Uint8Array, blockAt: number, blockLength: number): { orientation: Orientation; orientationTag: Tag } {
  const block = bytes.subarray(blockAt, blockAt + blockLength);
  const tiff = tiffFromExifBlock(block);
  const found = findOrientationTag(tiff);
  if (!found) return { orientation: 1, orientationTag: null };
  const at = blockAt + (tiff.byteOffset - block.byteOffset) + found.valueOffset;
  return { orientation: found.orientation, orientationTag: { at, littleEndian: found.littleEndian } };
}

/**
 * A copy of the file whose EXIF orientation says 1 (as stored), so that a decoder that may or may
 * not honour the tag (Chromium ignores it in WebP) gives the stored pixels, to be turned by
 * orientPixels. The PNG chunk's CRC is recomputed so no decoder rejects the changed chunk.
 */
export function withStoredOrientation(bytes: Uint8Array, header: PhotoHeader): Uint8Array {
  const tag = header.orientationTag;
  if (!tag) return bytes;
  const copy = Uint8Array.from(bytes);
  const view = new DataView(copy.buffer);
  view.setUint16(tag.at, 1, tag.littleEndian);
  if (tag.pngChunkAt !== undefined) {
    const length = view.getUint32(tag.pngChunkAt);
    view.setUint32(tag.pngChunkAt + 8 + length, crc32(copy.subarray(tag.pngChunkAt + 4, tag.pngChunkAt + 8 + length)));
  }
  return copy;
}

/** JPEG: walk the marker segments up to the first frame header (SOFn) and the EXIF APP1 before it. */
function readJpeg(bytes: Uint8Array, view: DataView): Found {
  let exif: { orientation: Orientation; orientationTag: Tag } = { orientation: 1, orientationTag: null };
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1];
    if (marker === 0xff) { at++; continue; } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { at += 2; continue; } // no length
    const length = view.getUint16(at + 2);
    if (marker === 0xe1 && !exif.orientationTag && isExifApp1(bytes.subarray(at + 4, at + 2 + length))) exif = tagIn(bytes, at + 4, length - 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC): precision, height, width.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > bytes.length) return null;
      return { height: view.getUint16(at + 5), width: view.getUint16(at + 7), ...exif };
    }
    if (marker === 0xda || marker === 0xd9) return null; // scan or end before any frame header
    at += 2 + length;
  }
  return null;
}

const isExifApp1 = (body: Uint8Array): boolean => body.length > 6 && String.fromCharCode(...body.subarray(0, 4)) === 'Exif';

/** PNG: IHDR is the first chunk; eXIf may come anywhere before IEND (the spec asks for before IDAT, not all writers obey). */
function readPng(bytes: Uint8Array, view: DataView): Found {
  if (bytes.length < 24 || chunkType(bytes, 12) !== 'IHDR') return null;
  const width = view.getUint32(16), height = view.getUint32(20);
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = chunkType(bytes, at + 4);
    if (type === 'eXIf') {
      const exif = tagIn(bytes, at + 8, length);
      return { width, height, orientation: exif.orientation, orientationTag: exif.orientationTag && { ...exif.orientationTag, pngChunkAt: at } };
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return { width, height, orientation: 1, orientationTag: null };
}

/** WebP: RIFF chunks; size from VP8X (extended), VP8 (lossy) or VP8L (lossless), orientation from EXIF. */
function readWebp(bytes: Uint8Array, view: DataView): Found {
  let size: { width: number; height: number } | null = null;
  let exif: { orientation: Orientation; orientationTag: Tag } = { orientation: 1, orientationTag: null };
  for (let at = 12; at + 8 <= bytes.length;) {
    const type = chunkType(bytes, at);
    const length = view.getUint32(at + 4, true);
    const body = at + 8;
    if (type === 'VP8X' && body + 10 <= bytes.length) {
      size = { width: 1 + uint24(bytes, body + 4), height: 1 + uint24(bytes, body + 7) };
    } else if (type === 'VP8 ' && !size && body + 10 <= bytes.length) {
      // Frame tag (3 bytes), start code 9d 01 2a, then 14-bit width and height (top 2 bits: scaling).
      size = { width: view.getUint16(body + 6, true) & 0x3fff, height: view.getUint16(body + 8, true) & 0x3fff };
    } else if (type === 'VP8L' && !size && body + 5 <= bytes.length) {
      // Signature 0x2f, then 14 bits width-1 and 14 bits height-1, little-endian bit order.
      const bits = view.getUint32(body + 1, true);
      size = { width: 1 + (bits & 0x3fff), height: 1 + ((bits >>> 14) & 0x3fff) };
    } else if (type === 'EXIF') {
      exif = tagIn(bytes, body, length);
    }
    at = body + length + (length & 1); // chunks are padded to an even size
  }
  return size && { ...size, ...exif };
}

const chunkType = (bytes: Uint8Array, at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4));
const uint24 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);

/** CRC-32 (ISO 3309, as PNG uses), bitwise: it runs over one small chunk, speed does not matter. */
function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    c ^= data[i];
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

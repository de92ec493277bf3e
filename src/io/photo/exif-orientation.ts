/**
 * EXIF orientation (tag 0x0112): how the stored pixels must be turned to stand upright.
 *
 *   1 as stored            2 mirrored left-right      3 turned 180 degrees        4 mirrored top-bottom
 *   5 transposed (mirror   6 turned 90 degrees        7 transversed (mirror       8 turned 90 degrees
 *     about the main         clockwise                  about the anti-diagonal)    counter-clockwise
 *     diagonal)
 *
 * 5 to 8 swap width and height. Values outside 1..8 (and a missing tag) mean 1, as browsers and
 * libvips treat them.
 */

export type Orientation = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

const ORIENTATION_TAG = 0x0112;
const TYPE_SHORT = 3;

/** Whether the upright image has the stored image's width and height swapped. */
export const swapsAxes = (orientation: Orientation): boolean => orientation >= 5;

/** Size of the upright image. */
export function uprightSize(width: number, height: number, orientation: Orientation): { width: number; height: number } {
  return swapsAxes(orientation) ? { width: height, height: width } : { width, height };
}

/** Where the orientation value sits in a TIFF block, and how it is written. */
export interface OrientationTag {
  orientation: Orientation;
  /** byte offset of the 2-byte value inside the TIFF block */
  valueOffset: number;
  littleEndian: boolean;
}

/** Orientation from a TIFF structure (the body of an EXIF block); 1 when absent or unreadable. */
export const orientationFromTiff = (tiff: Uint8Array): Orientation => findOrientationTag(tiff)?.orientation ?? 1;

/**
 * The orientation tag of a TIFF structure (byte-order mark, 42, offset of IFD0, then IFD0's entries).
 * Only IFD0 is read: that is where the tag of the main image lives. Null when the tag is absent or
 * anything is inconsistent; a value outside 1..8 reads as 1.
 */
export function findOrientationTag(tiff: Uint8Array): OrientationTag | null {
  if (tiff.length < 8) return null;
  const little = tiff[0] === 0x49 && tiff[1] === 0x49;
  const big = tiff[0] === 0x4d && tiff[1] === 0x4d;
  if (!little && !big) return null;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  if (view.getUint16(2, little) !== 42) return null;
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return null;
  const entries = view.getUint16(ifd, little);
  for (let e = 0; e < entries; e++) {
    const at = ifd + 2 + 12 * e;
    if (at + 12 > tiff.length) return null;
    if (view.getUint16(at, little) !== ORIENTATION_TAG) continue;
    if (view.getUint16(at + 2, little) !== TYPE_SHORT) return null;
    // A SHORT of count 1 sits left-aligned in the 4-byte value field, in either byte order.
    const value = view.getUint16(at + 8, little);
    return { orientation: value >= 1 && value <= 8 ? (value as Orientation) : 1, valueOffset: at + 8, littleEndian: little };
  }
  return null;
}

/**
 * Turns stored RGB pixels (3 bytes each) upright. Upright pixel (x, y) comes from the stored pixel
 * the EXIF table names: e.g. for 6 (turn clockwise) the stored left column becomes the top row.
 */
export function orientPixels(rgb: Uint8Array, width: number, height: number, orientation: Orientation): { width: number; height: number; data: Uint8Array } {
  if (rgb.length !== 3 * width * height) {
    throw new Error(`orientPixels: expected ${3 * width * height} bytes of RGB for ${width}x${height}, found ${rgb.length}`);
  }
  if (orientation === 1) return { width, height, data: rgb };
  const out = uprightSize(width, height, orientation);
  const data = new Uint8Array(rgb.length);
  const w1 = width - 1, h1 = height - 1;
  // Stored (sx, sy) = (ax x + bx y + cx, ay x + by y + cy) for upright (x, y).
  const [ax, bx, cx, ay, by, cy] = (
    {
      2: [-1, 0, w1, 0, 1, 0], 3: [-1, 0, w1, 0, -1, h1], 4: [1, 0, 0, 0, -1, h1],
      5: [0, 1, 0, 1, 0, 0], 6: [0, 1, 0, -1, 0, h1], 7: [0, -1, w1, -1, 0, h1], 8: [0, -1, w1, 1, 0, 0],
    } as const
  )[orientation];
  let o = 0;
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++, o += 3) {
      const s = 3 * ((ay * x + by * y + cy) * width + (ax * x + bx * y + cx));
      data[o] = rgb[s];
      data[o + 1] = rgb[s + 1];
      data[o + 2] = rgb[s + 2];
    }
  }
  return { ...out, data };
}

/** Strips the "Exif\0\0" identifier that JPEG APP1 (and some WebP writers) put before the TIFF data. */
export function tiffFromExifBlock(block: Uint8Array): Uint8Array {
  const hasIdentifier = block.length >= 6 && block[0] === 0x45 && block[1] === 0x78 && block[2] === 0x69 && block[3] === 0x66 && block[4] === 0 && block[5] === 0;
  return hasIdentifier ? block.subarray(6) : block;
}

/**
 * PNG images for renders and depth maps. 8-bit RGB(A) for pictures, 16-bit grey for depth in
 * millimetres (the usual RGB-D dataset convention: 0 = no depth, 65535 mm = 65.5 m at most).
 */
import { decode, encode } from 'fast-png';

export function encodeRgbaPng(width: number, height: number, rgba: Uint8Array | Uint8ClampedArray): Uint8Array {
  if (rgba.length !== width * height * 4) {
    throw new Error(`PNG: expected ${width * height * 4} bytes of RGBA for ${width}x${height}, found ${rgba.length}`);
  }
  return encode({ width, height, data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.length), channels: 4, depth: 8 });
}

/** Depth in metres -> 16-bit PNG in millimetres; 0 where there is no depth, clamped at 65535. */
export function encodeDepthPng(width: number, height: number, depthMetres: Float32Array): Uint8Array {
  if (depthMetres.length !== width * height) {
    throw new Error(`PNG: expected ${width * height} depth values for ${width}x${height}, found ${depthMetres.length}`);
  }
  const mm = new Uint16Array(width * height);
  for (let i = 0; i < mm.length; i++) {
    const d = depthMetres[i];
    mm[i] = d > 0 && Number.isFinite(d) ? Math.min(65535, Math.round(d * 1000)) : 0;
  }
  return encode({ width, height, data: mm, channels: 1, depth: 16 });
}

export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  depth: number;
  data: Uint8Array | Uint16Array;
}

/** Decodes a PNG; a file that is not one gets a one-line error. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  try {
    const png = decode(bytes);
    return { width: png.width, height: png.height, channels: png.channels, depth: png.depth, data: png.data as Uint8Array | Uint16Array };
  } catch (error) {
    throw new Error(`PNG: expected a valid PNG image, found ${(error as Error).message}`);
  }
}

/**
 * Pictures and per-pixel maps as plain data, shared by decoding (io/photo), the models, lift and the
 * posed-frame memory.
 */

/**
 * An 8-bit RGB picture: 3 bytes per pixel, row-major from the top-left pixel, sRGB-encoded as photos
 * are (the models were trained on encoded pixels, and 3DGS blends encoded colours).
 */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Floats per pixel (one channel, or several interleaved), row-major from the top-left, covering the
 * field of view of the picture it goes with, at any resolution.
 */
export interface FloatField {
  width: number;
  height: number;
  data: Float32Array;
}

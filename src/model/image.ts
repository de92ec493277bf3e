/**
 * The picture handed to a model: interleaved RGB, row-major from the top-left pixel, as decoded from a
 * photo (sRGB-encoded values, not linearised: the models were trained on encoded pixels).
 * Uint8Array holds 0..255, Float32Array holds 0..1.
 */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array | Float32Array;
}

export function checkRgbImage(image: RgbImage, what = 'image'): void {
  const { width, height, data } = image;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`${what}: expected a positive integer size, found ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array || data instanceof Float32Array)) {
    throw new Error(`${what}: expected RGB data in a Uint8Array or Float32Array, found ${Object.prototype.toString.call(data)}`);
  }
  if (data.length !== width * height * 3) {
    throw new Error(`${what}: expected ${width}x${height}x3 = ${width * height * 3} RGB values, found ${data.length}`);
  }
}

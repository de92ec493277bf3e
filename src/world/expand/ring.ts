/**
 * The ring around a hole: known pixels within `radius` pixels (Chebyshev distance) of a hole pixel.
 * Depth alignment and the inpainter's plane fit read the known world there, where the completed view
 * must meet it. And the other way round: how far each hole pixel lies from the known pixels.
 */
export function ringAround(mask: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  if (mask.length !== width * height) throw new Error(`ring: expected ${width * height} mask values for ${width}x${height}, found ${mask.length}`);
  // Dilation by a (2r+1)^2 box = a horizontal then a vertical running window, each O(pixels).
  const rows = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) dilateLine(mask, rows, y * width, 1, width, radius);
  const box = new Uint8Array(mask.length);
  for (let x = 0; x < width; x++) dilateLine(rows, box, x, width, height, radius);
  for (let i = 0; i < box.length; i++) if (mask[i]) box[i] = 0;
  return box;
}

/** out[j] = 1 where any of in[j - r .. j + r] along the line is set. */
function dilateLine(input: Uint8Array, out: Uint8Array, start: number, stride: number, length: number, r: number): void {
  let count = 0; // set pixels in the window [j - r, j + r]
  for (let j = 0; j < Math.min(r, length); j++) if (input[start + j * stride]) count++;
  for (let j = 0; j < length; j++) {
    if (j + r < length && input[start + (j + r) * stride]) count++;
    if (j - r - 1 >= 0 && input[start + (j - r - 1) * stride]) count--;
    out[start + j * stride] = count > 0 ? 1 : 0;
  }
}

/**
 * Per pixel, the distance to the nearest known pixel (mask 0; 0 there), by two raster passes over the
 * 8 neighbours: straight steps cost 1, diagonal ones `diagonal` (sqrt 2: the chamfer distance; 1: the
 * chessboard distance). Distances are counted up to `cap` (hole pixels start there).
 */
export function distanceToKnown(mask: Uint8Array, width: number, height: number, diagonal = Math.SQRT2, cap = Infinity): Float32Array {
  const d = new Float32Array(mask.length);
  for (let i = 0; i < d.length; i++) d[i] = mask[i] ? cap : 0;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (d[i] === 0) continue;
      let v = d[i];
      if (x > 0) v = Math.min(v, d[i - 1] + 1);
      if (y > 0) {
        v = Math.min(v, d[i - width] + 1);
        if (x > 0) v = Math.min(v, d[i - width - 1] + diagonal);
        if (x + 1 < width) v = Math.min(v, d[i - width + 1] + diagonal);
      }
      d[i] = v;
    }
  }
  for (let y = height - 1, i = d.length - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--, i--) {
      if (d[i] === 0) continue;
      let v = d[i];
      if (x + 1 < width) v = Math.min(v, d[i + 1] + 1);
      if (y + 1 < height) {
        v = Math.min(v, d[i + width] + 1);
        if (x + 1 < width) v = Math.min(v, d[i + width + 1] + diagonal);
        if (x > 0) v = Math.min(v, d[i + width - 1] + diagonal);
      }
      d[i] = v;
    }
  }
  return d;
}

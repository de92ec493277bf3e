/**
 * How far a lift's colour steps carry (input-view-colours.ts): the pixels whose splats and rows of W
 * the solved colours of some pixels' splats depend on, bit for bit.
 *
 * Pixel p's row of W holds splats within 2 px of p (the 13 offsets; a square of radius 2 holds them),
 * and is built from those splats' depth, sigma class and opacity. A step moves splat q by the residuals
 * of the pixels whose rows hold q (within 2 px), each of which reads the colours of the splats in its
 * own row (2 px further): one step's colour at q depends on the previous colours within 4 px and on the
 * rows within 2 px, so after k steps it depends on the photo's colours and the splats within 4k px, and
 * on rows within 4k - 2 px, whose splats all lie within 4k. Beyond that nothing reaches it: expansion's
 * lift (lift.ts keep) solves this neighbourhood of the hole instead of the hole's whole window, which
 * at 512x384 is most of the picture when a few poorly seen pixels lie far from the strip a turn opens.
 */

/** Pixels within 4 * iterations px (Chebyshev) of a non-zero pixel of `mask` (the mask's own included). */
export function colourReach(mask: Uint8Array, width: number, height: number, iterations: number): Uint8Array {
  if (mask.length !== width * height) throw new Error(`colour reach: expected ${width * height} mask values for ${width}x${height}, found ${mask.length}`);
  const r = 4 * Math.max(0, iterations);
  // A (2r + 1)^2 box: along the rows, then along the columns, each a running count.
  const rows = new Uint8Array(mask.length), out = new Uint8Array(mask.length);
  for (let y = 0; y < height; y++) dilateLine(mask, rows, y * width, 1, width, r);
  for (let x = 0; x < width; x++) dilateLine(rows, out, x, width, height, r);
  return out;
}

/** out[j] = 1 where any of input[j - r .. j + r] along the line is set. */
function dilateLine(input: Uint8Array, out: Uint8Array, start: number, stride: number, length: number, r: number): void {
  let count = 0; // set pixels in [j - r, j + r]
  for (let j = 0; j < Math.min(r, length); j++) if (input[start + j * stride]) count++;
  for (let j = 0; j < length; j++) {
    if (j + r < length && input[start + (j + r) * stride]) count++;
    if (j - r - 1 >= 0 && input[start + (j - r - 1) * stride]) count--;
    out[start + j * stride] = count > 0 ? 1 : 0;
  }
}

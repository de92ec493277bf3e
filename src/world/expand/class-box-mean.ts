/**
 * The low-pass both texture decorators (mirror-detail.ts, texture-synthesis.ts) split a completed
 * picture with: a box mean within one class, sky or surface, so the horizon (an edge between classes,
 * not texture) never turns into a band of 'detail' beside it.
 */
/**
 * Mean colour over the pixels of the same class (`classOf`: 0 or 1) in the (2r+1)^2 box around each
 * pixel, clipped to the picture. Separable running sums, both classes in one pass: each row's sums
 * over [x - r, x + r] (8 channels: r, g, b, count of class 0, then of class 1) go into a ring of 2r+1
 * rows, and running column sums of that ring give the box. O(pixels) whatever r, and the ring stays
 * in cache (a whole-picture table of row sums was most of this function's time).
 */
export function classBoxMean(rgb: Float32Array, classOf: Uint8Array, w: number, h: number, r: number): Float32Array {
  const m = 8 * w, slots = 2 * r + 1;
  const ring = new Float64Array(slots * m), cols = new Float64Array(m), out = new Float32Array(3 * w * h);
  const rowSums = (y: number, into: number, replace: boolean) => {
    let r0 = 0, g0 = 0, b0 = 0, n0 = 0, r1 = 0, g1 = 0, b1 = 0, n1 = 0;
    const row = y * w;
    for (let x = -r; x < w; x++) {
      const add = x + r, sub = x - r - 1;
      if (add < w) {
        const i = row + add;
        if (classOf[i]) { r1 += rgb[3 * i]; g1 += rgb[3 * i + 1]; b1 += rgb[3 * i + 2]; n1++; }
        else { r0 += rgb[3 * i]; g0 += rgb[3 * i + 1]; b0 += rgb[3 * i + 2]; n0++; }
      }
      if (sub >= 0) {
        const i = row + sub;
        if (classOf[i]) { r1 -= rgb[3 * i]; g1 -= rgb[3 * i + 1]; b1 -= rgb[3 * i + 2]; n1--; }
        else { r0 -= rgb[3 * i]; g0 -= rgb[3 * i + 1]; b0 -= rgb[3 * i + 2]; n0--; }
      }
      if (x < 0) continue;
      const p = into + 8 * x;
      if (replace) {
        // The row leaving the box is taken out of the column sums and this one added, element by
        // element in the order of two passes (cols - old, then + new): the same bits in one pass.
        const c = 8 * x;
        cols[c] = cols[c] - ring[p] + r0; cols[c + 1] = cols[c + 1] - ring[p + 1] + g0;
        cols[c + 2] = cols[c + 2] - ring[p + 2] + b0; cols[c + 3] = cols[c + 3] - ring[p + 3] + n0;
        cols[c + 4] = cols[c + 4] - ring[p + 4] + r1; cols[c + 5] = cols[c + 5] - ring[p + 5] + g1;
        cols[c + 6] = cols[c + 6] - ring[p + 6] + b1; cols[c + 7] = cols[c + 7] - ring[p + 7] + n1;
      }
      ring[p] = r0; ring[p + 1] = g0; ring[p + 2] = b0; ring[p + 3] = n0;
      ring[p + 4] = r1; ring[p + 5] = g1; ring[p + 6] = b1; ring[p + 7] = n1;
    }
  };
  for (let y = -r; y < h; y++) {
    // Row y + r enters the window and row y - r - 1 leaves it: they share a ring slot.
    const slot = (((y + r) % slots) + slots) % slots * m;
    if (y - r - 1 >= 0 && y + r < h) rowSums(y + r, slot, true);
    else if (y - r - 1 >= 0) for (let k = 0; k < m; k++) cols[k] -= ring[slot + k];
    else if (y + r < h) {
      rowSums(y + r, slot, false);
      for (let k = 0; k < m; k++) cols[k] += ring[slot + k];
    }
    if (y < 0) continue;
    for (let x = 0; x < w; x++) {
      const i = y * w + x, o = 8 * x + 4 * classOf[i], count = cols[o + 3];
      if (count > 0.5) { out[3 * i] = cols[o] / count; out[3 * i + 1] = cols[o + 1] / count; out[3 * i + 2] = cols[o + 2] / count; }
    }
  }
  return out;
}

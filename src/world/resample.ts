/**
 * Resampling of per-pixel fields (colour, confidence, normals) between resolutions that cover the
 * same field of view: continuous pixel coordinates scale by the size ratio, pixel centres at
 * (i + 0.5) as in camera.ts. Depth has its own, edge-aware upsampler (joint-bilateral-upsample.ts).
 */

/**
 * Area-average downsampling: each output pixel is the mean of the input area it covers (partial
 * pixels weighted by overlap), the anti-aliased way to shrink a photo. Output size <= input size.
 */
export function areaDownsample(
  data: ArrayLike<number>, width: number, height: number, channels: number, outWidth: number, outHeight: number,
): Float32Array {
  if (outWidth > width || outHeight > height || outWidth < 1 || outHeight < 1) {
    throw new Error(`areaDownsample: expected an output size within 1x1..${width}x${height}, found ${outWidth}x${outHeight}`);
  }
  // The same size: every weight is 1 and each value comes back as float32 (0 + value, as the sums
  // below start from 0: -0 becomes 0 there too); a lift at its photo's size (an expansion's hole) asks for this.
  if (outWidth === width && outHeight === height) {
    const out = new Float32Array(width * height * channels);
    for (let i = 0; i < out.length; i++) out[i] = 0 + data[i];
    return out;
  }
  const cols = overlapWeights(width, outWidth);
  const rows = overlapWeights(height, outHeight);
  // Horizontal pass into a float buffer of outWidth x height, then vertical.
  const mid = new Float32Array(outWidth * height * channels);
  for (let y = 0; y < height; y++) {
    for (let ox = 0; ox < outWidth; ox++) {
      const { start, weights } = cols[ox];
      const o = (y * outWidth + ox) * channels;
      for (let k = 0; k < weights.length; k++) {
        const w = weights[k];
        const s = (y * width + start + k) * channels;
        for (let c = 0; c < channels; c++) mid[o + c] += w * data[s + c];
      }
    }
  }
  const out = new Float32Array(outWidth * outHeight * channels);
  for (let oy = 0; oy < outHeight; oy++) {
    const { start, weights } = rows[oy];
    const o = oy * outWidth * channels;
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k];
      const s = (start + k) * outWidth * channels;
      for (let i = 0; i < outWidth * channels; i++) out[o + i] += w * mid[s + i];
    }
  }
  return out;
}

/** For each output cell, the input cells it overlaps and the share of each (summing to 1). */
function overlapWeights(inSize: number, outSize: number): Array<{ start: number; weights: Float64Array }> {
  const step = inSize / outSize;
  const result = [];
  for (let o = 0; o < outSize; o++) {
    const a = o * step, b = (o + 1) * step;
    const start = Math.floor(a), end = Math.min(inSize, Math.ceil(b));
    const weights = new Float64Array(end - start);
    for (let i = start; i < end; i++) weights[i - start] = (Math.min(b, i + 1) - Math.max(a, i)) / step;
    result.push({ start, weights });
  }
  return result;
}

/** Bilinear resampling (any sizes), clamped at the borders. */
export function bilinearResample(
  data: ArrayLike<number>, width: number, height: number, channels: number, outWidth: number, outHeight: number,
): Float32Array {
  const out = new Float32Array(outWidth * outHeight * channels);
  const sx = width / outWidth, sy = height / outHeight;
  for (let oy = 0; oy < outHeight; oy++) {
    const fy = Math.min(height - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(height - 1, y0 + 1), ty = fy - y0;
    for (let ox = 0; ox < outWidth; ox++) {
      const fx = Math.min(width - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(width - 1, x0 + 1), tx = fx - x0;
      const o = (oy * outWidth + ox) * channels;
      const a = (y0 * width + x0) * channels, b = (y0 * width + x1) * channels;
      const c = (y1 * width + x0) * channels, d = (y1 * width + x1) * channels;
      for (let ch = 0; ch < channels; ch++) {
        const top = data[a + ch] + tx * (data[b + ch] - data[a + ch]);
        const bottom = data[c + ch] + tx * (data[d + ch] - data[c + ch]);
        out[o + ch] = top + ty * (bottom - top);
      }
    }
  }
  return out;
}

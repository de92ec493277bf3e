/**
 * Depth at the model's resolution -> depth at the photo's, with depth edges on the photo's colour
 * edges: joint bilateral upsampling (Kopf et al. 2007). Each photo pixel averages the nearby
 * low-resolution depth samples, weighted by distance (a tent of `radius` low-res pixels) and by how
 * much the photo's colour at that sample resembles the pixel's own colour (Gaussian, `rangeSigma`).
 *
 * Two choices that keep lifted surfaces clean:
 *  - averaging is done on INVERSE depth: on a plane 1/depth is affine in the pixel coordinates, and
 *    a tent of integer radius reproduces affine functions exactly, so planes stay planes;
 *  - no "flying pixels": where the samples straddle a depth discontinuity (two adjacent samples
 *    differ by more than `edgeRatio`), averaging would invent a depth in the gap, so the samples are
 *    split at the largest gap into a near and a far group and the pixel takes the heavier group;
 *  - speed: away from discontinuities the colour weights change nothing worth paying for, so such
 *    pixels get plain bilinear interpolation (of inverse depth, exact on planes).
 *
 * Depth <= 0 or not finite (no depth, sky) counts as infinitely far (inverse depth 0) and comes out
 * as Infinity where it wins. Both maps must cover the same field of view (any sizes).
 */
import { areaDownsample } from './resample.ts';

export interface JointBilateralOptions {
  /** half-width of the spatial tent, in low-resolution pixels; default 2 (a 4x4 neighbourhood) */
  radius?: number;
  /** std of the colour difference weight, in 0..1 colour units; default 0.1 */
  rangeSigma?: number;
  /** relative depth jump between adjacent low-res samples that counts as a discontinuity; default 0.05 */
  edgeRatio?: number;
  /**
   * the guide already averaged over each depth sample's area (areaDownsample(guide, width, height,
   * 3, depthWidth, depthHeight)): it depends on the photo alone, so generate computes it while the
   * model runs (lift-prepared.ts prepareLift); computed here when absent
   */
  lowGuide?: Float32Array;
}

export function jointBilateralUpsample(
  depth: Float32Array, depthWidth: number, depthHeight: number,
  guide: Uint8Array, width: number, height: number,
  options: JointBilateralOptions = {},
): Float32Array {
  const radius = options.radius ?? 2;
  const rangeSigma = options.rangeSigma ?? 0.1;
  const edgeRatio = options.edgeRatio ?? 0.05;
  if (depth.length !== depthWidth * depthHeight) {
    throw new Error(`upsample: expected ${depthWidth * depthHeight} depth values for ${depthWidth}x${depthHeight}, found ${depth.length}`);
  }
  if (guide.length !== 3 * width * height) {
    throw new Error(`upsample: expected ${3 * width * height} bytes of RGB for ${width}x${height}, found ${guide.length}`);
  }
  if (!(Number.isInteger(radius) && radius >= 1 && radius <= 4 && edgeRatio > 0 && rangeSigma > 0)) throw new Error(`upsample: expected an integer radius in 1..4 and positive edgeRatio and rangeSigma, found ${radius}, ${edgeRatio}, ${rangeSigma}`);

  const inverse = new Float32Array(depth.length);
  for (let i = 0; i < depth.length; i++) {
    const d = depth[i];
    inverse[i] = d > 0 && d < Infinity ? 1 / d : 0;
  }
  const out = new Float32Array(width * height);
  if (depthWidth > width || depthHeight > height) {
    // A model finer than the photo: point-sample (averaging would blend across edges).
    for (let y = 0; y < height; y++) {
      const sy = Math.min(depthHeight - 1, Math.floor(((y + 0.5) * depthHeight) / height));
      for (let x = 0; x < width; x++) {
        const sx = Math.min(depthWidth - 1, Math.floor(((x + 0.5) * depthWidth) / width));
        const inv = inverse[sy * depthWidth + sx];
        out[y * width + x] = inv > 0 ? 1 / inv : Infinity;
      }
    }
    return out;
  }

  // The photo's colour at each depth sample: the photo averaged over the sample's area.
  if (options.lowGuide && options.lowGuide.length !== 3 * depthWidth * depthHeight) {
    throw new Error(`upsample: expected a low-resolution guide of ${3 * depthWidth * depthHeight} values for ${depthWidth}x${depthHeight}, found ${options.lowGuide.length}`);
  }
  const lowGuide = options.lowGuide ?? areaDownsample(guide, width, height, 3, depthWidth, depthHeight);
  // Range weight by squared colour distance in 8-bit units (0..3 * 255^2), rounded, as float32:
  // tabulated for the near colours (most taps), computed for the rest. (A table of all 3 * 255^2 + 1
  // distances cost ~20 ms to fill per upsample, and its 780 KB missed the cache at colour edges,
  // where the far entries are read; the weights are the same numbers either way.)
  const k = -1 / (2 * (rangeSigma * 255) ** 2);
  const rangeTable = new Float32Array(RANGE_TABLE_SIZE);
  for (let i = 0; i < rangeTable.length; i++) rangeTable[i] = Math.exp(k * i);
  const spread = 1 + edgeRatio;
  const smooth = smoothWindows(inverse, depthWidth, depthHeight, radius, spread);

  // Per output column (and row): first low-res tap and the tent weights of the taps.
  const taps = 2 * radius;
  const columns = tapTable(width, depthWidth, radius);
  const rows = tapTable(height, depthHeight, radius);
  (depthWidth === width && depthHeight === height ? sameSizeRows : upsampleRows)({
    inverse, depthWidth, depthHeight, guide, width, height, lowGuide, rangeTable, k, spread, smooth, radius, taps,
    columnFirst: columns.first, columnPosition: columns.position, columnWeight: columns.weight,
    rowFirst: rows.first, rowPosition: rows.position, rowWeight: rows.weight, out,
    sampleInv: new Float64Array(taps * taps), sampleW: new Float64Array(taps * taps),
    sampleDx: new Float64Array(taps * taps), sampleDy: new Float64Array(taps * taps),
  });
  return out;
}

/** Everything the per-pixel loops read and write (one object: the calls pass no unboxed doubles). */
interface Upsampling {
  inverse: Float32Array; depthWidth: number; depthHeight: number;
  guide: Uint8Array; width: number; height: number; lowGuide: Float32Array;
  rangeTable: Float32Array; k: number; spread: number; smooth: Uint8Array; radius: number; taps: number;
  columnFirst: Int32Array; columnPosition: Float64Array; columnWeight: Float64Array;
  rowFirst: Int32Array; rowPosition: Float64Array; rowWeight: Float64Array;
  out: Float32Array;
  sampleInv: Float64Array; sampleW: Float64Array; sampleDx: Float64Array; sampleDy: Float64Array;
}

/**
 * The output pixels, each from its low-res samples. Its own small function, the pixels beside a
 * discontinuity in another (bilateralPixel): as one function with the setup above, V8 compiled the
 * whole for 25-170 ms on its background thread, and more than once (the first compile, made before
 * any edge pixel had run, was thrown away at the first one), while the loop ran unoptimised and
 * allocated a number object for every floating-point value (~20 young-generation collections per
 * 1024x768 upsample).
 */
function upsampleRows(c: Upsampling): void {
  const { inverse, depthWidth, depthHeight, width, height, smooth, radius, columnFirst, columnPosition, rowFirst, rowPosition, out } = c;
  for (let y = 0; y < height; y++) {
    const y0 = rowFirst[y];
    const fy = rowPosition[y];
    for (let x = 0; x < width; x++) {
      const x0 = columnFirst[x];
      const fx = columnPosition[x];
      const cellX = x0 + radius - 1, cellY = y0 + radius - 1; // floor of the low-res position
      if (!smooth[(cellY + 1) * (depthWidth + 1) + cellX + 1]) {
        bilateralPixel(c, x, y);
        continue;
      }
      // No discontinuity near: bilinear in inverse depth (exact on planes), no colour needed.
      // Within half a sample of the border it extrapolates from the two outermost samples, so
      // planes stay planes up to the image's edge.
      const ax = Math.max(0, Math.min(depthWidth - 2, cellX)), bx = Math.min(depthWidth - 1, ax + 1);
      const ay = Math.max(0, Math.min(depthHeight - 2, cellY)), by = Math.min(depthHeight - 1, ay + 1);
      const tx = bx > ax ? fx - ax : 0, ty = by > ay ? fy - ay : 0;
      const top = inverse[ay * depthWidth + ax] * (1 - tx) + inverse[ay * depthWidth + bx] * tx;
      const bottom = inverse[by * depthWidth + ax] * (1 - tx) + inverse[by * depthWidth + bx] * tx;
      let inv = top * (1 - ty) + bottom * ty;
      if (!(inv > 0) && inverse[ay * depthWidth + ax] > 0) inv = inverse[clamp(cellY, depthHeight) * depthWidth + clamp(cellX, depthWidth)];
      out[y * width + x] = inv > 0 ? 1 / inv : Infinity;
    }
  }
}

/**
 * upsampleRows where the depth has the photo's size (a lift at 1:1, as an expansion's hole): every
 * pixel sits on its own sample (position x, tent weights 1/2, 1, 1/2), so the bilinear value of a
 * smooth pixel is its own inverse depth, exactly (the other taps' weights are 0 or the weights 0 and
 * 1 at the last column and row; the fallback to the nearest sample gives the same); only the pixels
 * beside a discontinuity need their taps.
 */
function sameSizeRows(c: Upsampling): void {
  const { inverse, width, height, smooth, out } = c;
  for (let y = 0; y < height; y++) {
    for (let x = 0, i = y * width; x < width; x++, i++) {
      if (!smooth[(y + 1) * (width + 1) + x + 1]) {
        bilateralPixel(c, x, y);
        continue;
      }
      const inv = inverse[i];
      out[i] = inv > 0 ? 1 / inv : Infinity;
    }
  }
}

/** Output pixel (x, y) beside a discontinuity: the joint bilateral average of its taps, or their heavier side. */
function bilateralPixel(c: Upsampling, x: number, y: number): void {
  const { inverse, depthWidth, depthHeight, guide, width, lowGuide, rangeTable, k, spread, taps, columnFirst, columnPosition, columnWeight, rowFirst, rowPosition, rowWeight } = c;
  const { sampleInv, sampleW, sampleDx, sampleDy } = c;
  const x0 = columnFirst[x], fx = columnPosition[x], y0 = rowFirst[y], fy = rowPosition[y];
  const p = 3 * (y * width + x);
  const r = guide[p], g = guide[p + 1], b = guide[p + 2];
  let n = 0, sumW = 0, sumInv = 0, lo = Infinity, hi = -Infinity;
  for (let ty = 0; ty < taps; ty++) {
    const wyt = rowWeight[y * taps + ty];
    if (wyt === 0) continue;
    const sy = clamp(y0 + ty, depthHeight); // edge samples repeat
    for (let tx = 0; tx < taps; tx++) {
      const ws = wyt * columnWeight[x * taps + tx];
      if (ws === 0) continue;
      const sx = clamp(x0 + tx, depthWidth);
      const s = sy * depthWidth + sx;
      const dr = lowGuide[3 * s] - r, dg = lowGuide[3 * s + 1] - g, db = lowGuide[3 * s + 2] - b;
      // The small floor keeps plain interpolation where the colour matches no sample at all.
      const d2 = Math.min(3 * 255 * 255, Math.round(dr * dr + dg * dg + db * db));
      const w = ws * ((d2 < RANGE_TABLE_SIZE ? rangeTable[d2] : Math.fround(Math.exp(k * d2))) + 1e-6);
      const si = inverse[s];
      sampleInv[n] = si;
      sampleDx[n] = sx - fx; // where the sample really is (clamped at the border)
      sampleDy[n] = sy - fy;
      sampleW[n++] = w;
      sumW += w;
      sumInv += w * si;
      if (si < lo) lo = si;
      if (si > hi) hi = si;
    }
  }
  const inv = hi > lo * spread ? heavierSide(sampleInv, sampleW, sampleDx, sampleDy, n, spread) : sumInv / sumW;
  c.out[y * width + x] = inv > 0 ? 1 / inv : Infinity;
}

const SORT_SCRATCH = new Float64Array(64);
/** Squared colour distances below this have their range weight tabulated (64 KB, stays in the cache). */
const RANGE_TABLE_SIZE = 16384;

const clamp = (i: number, size: number): number => (i < 0 ? 0 : i >= size ? size - 1 : i);

/** For each output index: low-res position, first tap (floor - radius + 1) and the taps' tent weights. */
function tapTable(outSize: number, inSize: number, radius: number) {
  const taps = 2 * radius;
  const first = new Int32Array(outSize), position = new Float64Array(outSize), weight = new Float64Array(outSize * taps);
  for (let o = 0; o < outSize; o++) {
    const f = ((o + 0.5) * inSize) / outSize - 0.5;
    position[o] = f;
    first[o] = Math.floor(f) - radius + 1;
    for (let t = 0; t < taps; t++) weight[o * taps + t] = Math.max(0, 1 - Math.abs(first[o] + t - f) / radius);
  }
  return { first, position, weight };
}

/**
 * smooth[(cy + 1) * (w + 1) + cx + 1] = 1 when the taps of a pixel whose low-res position has floor
 * (cx, cy), cx and cy in -1..size-1, hold no depth discontinuity: no two adjacent samples differ by
 * more than `spread` (a steep but continuous surface, like a ground plane towards the horizon, is
 * smooth), so plain bilinear interpolation cannot blend two surfaces.
 * The jumps inside each window are counted from summed-area tables (four reads per window and kind)
 * rather than by visiting the window's 2r x 2r samples: at a lift's 1:1 size (an expansion's hole)
 * the visits were 10 ms of a 25 ms upsample.
 */
export function smoothWindows(inverse: Float32Array, w: number, h: number, radius: number, spread: number): Uint8Array {
  // Jumps to the right neighbour and to the one below, summed over the samples above and left of
  // each corner: right[(y + 1) * (w + 1) + x + 1] counts those at samples (0..x, 0..y).
  const stride = w + 1;
  const right = new Int32Array(stride * (h + 1)), down = new Int32Array(stride * (h + 1));
  for (let y = 0; y < h; y++) {
    let rowRight = 0, rowDown = 0;
    for (let x = 0, i = y * w, o = (y + 1) * stride + 1; x < w; x++, i++, o++) {
      const a = inverse[i];
      if (x + 1 < w) { const b = inverse[i + 1]; if (a > b ? a > b * spread : b > a * spread) rowRight++; }
      if (y + 1 < h) { const b = inverse[i + w]; if (a > b ? a > b * spread : b > a * spread) rowDown++; }
      right[o] = right[o - stride] + rowRight;
      down[o] = down[o - stride] + rowDown;
    }
  }
  const smooth = new Uint8Array(stride * (h + 1));
  for (let cy = -1; cy < h; cy++) {
    const y0 = Math.max(0, cy - radius + 1), y1 = Math.min(h - 1, cy + radius);
    const top = y0 * stride, bottom = (y1 + 1) * stride, aboveLast = y1 * stride;
    for (let cx = -1; cx < w; cx++) {
      const x0 = Math.max(0, cx - radius + 1), x1 = Math.min(w - 1, cx + radius);
      // A jump counts where both its samples are in the window: rightward from x0..x1 - 1 (rows
      // y0..y1), downward from rows y0..y1 - 1 (x0..x1). An empty range counts 0 as it is: its two
      // columns (or rows) of the table are the same.
      const rightward = right[bottom + x1] - right[top + x1] - right[bottom + x0] + right[top + x0];
      const downward = down[aboveLast + x1 + 1] - down[top + x1 + 1] - down[aboveLast + x0] + down[top + x0];
      smooth[(cy + 1) * stride + cx + 1] = rightward + downward === 0 ? 1 : 0;
    }
  }
  return smooth;
}

/**
 * Inverse depth of samples that straddle a discontinuity: split at the largest relative gap between
 * their values (if it exceeds `spread`; a continuous slope has none), the side with more weight wins,
 * and its samples are fitted with a weighted plane in the pixel offsets (dx, dy), evaluated at the
 * pixel (0, 0). A plain weighted mean of one side would be biased on a slope, since that side's
 * samples lie off-centre; the plane is exact on planar surfaces. Falls back to the weighted mean
 * where the side's samples are (nearly) collinear.
 */
function heavierSide(
  inv: Float64Array, weight: Float64Array, dx: Float64Array, dy: Float64Array, n: number, spread: number,
): number {
  // Largest gap between the values in sorted order (n <= 16: insertion sort into scratch space).
  const sorted = SORT_SCRATCH;
  for (let i = 0; i < n; i++) {
    const v = inv[i];
    let j = i - 1;
    for (; j >= 0 && sorted[j] > v; j--) sorted[j + 1] = sorted[j];
    sorted[j + 1] = v;
  }
  let threshold = -Infinity, worst = spread;
  for (let i = 0; i + 1 < n; i++) {
    // 0 (infinitely far) against anything finite is the largest gap there can be.
    const ratio = sorted[i] > 0 ? sorted[i + 1] / sorted[i] : sorted[i + 1] > 0 ? Infinity : 1;
    if (ratio > worst) { worst = ratio; threshold = 0.5 * (sorted[i] + sorted[i + 1]); }
  }
  let nearW = 0, farW = 0;
  for (let i = 0; i < n; i++) {
    if (inv[i] > threshold) nearW += weight[i];
    else farW += weight[i];
  }
  const near = nearW >= farW;
  // Weighted least squares for inv = a + b dx + c dy over the winning side; the answer is a.
  let s0 = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, syy = 0, t0 = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    if (inv[i] > threshold !== near) continue;
    const w = weight[i], x = dx[i], y = dy[i], v = inv[i];
    s0 += w; sx += w * x; sy += w * y; sxx += w * x * x; sxy += w * x * y; syy += w * y * y;
    t0 += w * v; tx += w * x * v; ty += w * y * v;
  }
  // Cramer's rule on [[s0 sx sy] [sx sxx sxy] [sy sxy syy]] (a b c) = (t0 tx ty).
  const det = s0 * (sxx * syy - sxy * sxy) - sx * (sx * syy - sxy * sy) + sy * (sx * sxy - sxx * sy);
  if (!(Math.abs(det) > 1e-9 * s0 * s0 * s0)) return t0 / s0;
  const a = (t0 * (sxx * syy - sxy * sxy) - sx * (tx * syy - sxy * ty) + sy * (tx * sxy - sxx * ty)) / det;
  // The pixel may lie up to a sample beyond the side's last sample (it is at the edge): the plane
  // extrapolates there, as it should; only a fit that leaves the valid range falls back to the mean.
  return a > 0 || t0 === 0 ? a : t0 / s0;
}

/**
 * Splat colours that give the photo back in the photo's own view.
 *
 * WHY. Lifted splats are 0.65 px wide (splat-footprint.ts) and the rasterizer widens every splat by a
 * 0.3 px^2 low-pass, so a splat's Gaussian reaches half its peak at the neighbouring pixel's centre.
 * Splats are composited front to back, so pixel p shows first the tails of every neighbour in front
 * of its own splat (nearer, or equally near and earlier in the cloud: the rasterizer's sort is stable)
 * and only then its own splat. On a fronto-parallel plane the pixel's own splat keeps about 11% of
 * the pixel: colours equal to the photo come back blurred and shifted half a pixel up-left.
 *
 * WHAT. Given the splats' geometry, the colour of every pixel in that view is linear in the splat
 * colours: render = W c, W sparse (each pixel sees the splats around it, in practice only those in
 * front and its own; the 13 within 2 px are modelled, see OFFSETS). We build W as the rasterizer
 * composites (same alpha formula, order, 0.99 cap, 1/255 skip and 1e-4 stop) from each splat's screen footprint, which in
 * this view is by construction an isotropic Gaussian of the lift's sigma (plus the low-pass) centred
 * on its pixel. Then a few steps of projected gradient descent on |W c - photo|^2, starting from the
 * photo, with c kept in [0, maxColour] (the rasterizer clamps colours below at 0; the upper bound
 * limits the overshoot other views see). Few steps on purpose: they fix the low and middle
 * frequencies; the highest, which W nearly removes, would need large colours and ring elsewhere.
 *
 * THE STEP, per splat: STEP / (column sum of W for that splat), a diagonal (Jacobi) scaling. A splat
 * in front of its neighbours is seen by several pixels (column sums up to ~4.5 on real photos), one
 * behind them by little more than its own; one global step 1.8 / (max row sum x max column sum)
 * had to suit the worst column and moved every other splat 2-4x too slowly. Stability: with D =
 * diag(1 / column sum), the Schur test with the vectors (1 per pixel, sqrt(column sum) per splat)
 * gives |W D^1/2|^2 <= max row sum <= 1 (a row holds compositing weights, summing to 1 - T), so
 * the scaled step is stable below 2 and STEP = 1.4 keeps a margin. On the six docs/real photos at
 * their working size, 4 steps give 30.3-45 dB where the global step gave 28-33 dB.
 *
 * COST (1024x768, bench/lift scene; 98% of W's rows hold 7 entries): building W ~200-230 ms and
 * each step ~65-90 ms on this shared machine; with 4 steps, about the time of the rest of the lift.
 * The fused pass (inputViewColours) and the unrolled 7-entry rows took a step from ~130 to ~90 ms
 * (same run); the build is each pixel's 12 depth comparisons and its short sort, and reusing the
 * left neighbour's order (checked) cost as much as it saved. generate takes 3 steps (THREE_STEPS),
 * which fit the photo as well as 4 (generate.ts GENERATE_COLOUR_ITERATIONS). The steps' per-pixel
 * work runs as WebAssembly SIMD where there is one (colour-steps-simd.ts): 3 steps of the bench/lift
 * scene ~100 ms instead of ~390 (profiled, same process, loaded machine), colours within 2.4e-7 of
 * the JavaScript steps'; what is left is building W.
 */

import { colourStepsKernel } from './colour-steps-simd.ts';

/** Low-pass (px^2) the 3DGS rasterizers add to every projected covariance (render/rasterizer.ts default). */
export const RENDER_LOW_PASS = 0.3;
const ALPHA_MAX = 0.99;
const ALPHA_MIN = 1 / 255;
const T_MIN = 1e-4;
/** Scaled gradient step (see the header): stable below 2. */
const STEP = 1.4;
/**
 * Three steps of varying size (a Chebyshev-like schedule, largest in the middle) in place of STEP
 * three times. Steps 1.1, 2.9, 1.6 add up to four steps of 1.4 (the same progress on the low
 * frequencies) and, as a product, damp the middle ones at least as well; each alone need not be
 * stable, the three together are. On the 1024x768 bench/lift scene they fit W as well as 4 steps of
 * 1.4 (49.55 dB, W c against the photo), on input-view-shift.test.ts's plane they render 40.28 dB
 * (4 steps: 40.05), 3/4 of the cost. Views away from the photo see them slightly more: orbited 5
 * and 20 degrees 0.1 dB lower, 0.4 m closer 0.5 dB lower than 4 steps (all above plain colours).
 */
const THREE_STEPS = [1.1, 2.9, 1.6];

/** The size of each of `iterations` steps: THREE_STEPS for 3, STEP each for any other count. */
function stepSizes(iterations: number): readonly number[] {
  return iterations === 3 ? THREE_STEPS : new Array<number>(iterations).fill(STEP);
}

/**
 * Neighbour offsets seen from a pixel: the 13 within distance 2 (own pixel included). The 8 at
 * distance sqrt(5) reach a pixel with alpha 3.1% at most (sigma 0.65 plus the low-pass) and are left
 * out: sorting them in with the others per pixel doubled the time of building W, and on a plane
 * leaning back 45 degrees they leave 0.09 px of the 0.77 px shift (input-view-shift.test.ts; 0.03 px
 * with them), at the same PSNR (40 dB). The corners (distance sqrt(8), alpha 0.4%) never counted.
 */
const OFFSETS: ReadonlyArray<readonly [number, number]> = (() => {
  const list: Array<[number, number]> = [];
  for (let j = -2; j <= 2; j++) for (let i = -2; i <= 2; i++) if (i * i + j * j <= 4) list.push([i, j]);
  return list;
})();
const K = OFFSETS.length;
const OWN = OFFSETS.findIndex(([i, j]) => i === 0 && j === 0);
const DX = Int32Array.from(OFFSETS, ([i]) => i);
const DY = Int32Array.from(OFFSETS, ([, j]) => j);

export interface InputViewSplats {
  width: number;
  height: number;
  /** depth of each pixel's splat in this view, as the rasterizer sorts it (float32, metres) */
  sortKey: Float32Array;
  /** per splat, which entry of `sigmas` is its screen std */
  sigmaClass: Uint8Array;
  /** screen std (px) of each class, before the low-pass */
  sigmas: readonly number[];
  opacity: Float32Array;
  /**
   * per pixel, non-zero = its row of W is built and its splat stepped (default every pixel); a pixel
   * outside adds nothing to any gradient, and its splat keeps its colour (the target's), though the
   * rows of its neighbours see it as its opacity says. Expansion's lift (lift.ts) solves only the
   * pixels the kept splats' colours depend on, and gives the splats beyond them opacity 0.
   */
  solve?: Uint8Array;
}

export interface CompensationOptions {
  /** gradient steps; default 4 (their sizes: stepSizes) */
  iterations?: number;
  /** upper bound of a colour channel; default 1.25 */
  maxColour?: number;
  /**
   * step with the WebAssembly SIMD kernel (colour-steps-simd.ts) where there is one; default true.
   * false: the JavaScript steps (the same steps; float64 sums, so rounding differs).
   */
  simd?: boolean;
  /**
   * where to write the colours (3 per splat); default a new array. May be `target` itself (lift.ts
   * passes the splats' colours, which are the photo's until then): target is read before out is written.
   */
  out?: Float32Array;
}

/**
 * Colours (rgb per splat, 0..maxColour) whose render in the input view is closest to `target` (rgb
 * 0..1 per pixel). Splat i sits on pixel i.
 */
export function inputViewColours(splats: InputViewSplats, target: Float32Array, options: CompensationOptions = {}): Float32Array {
  const iterations = options.iterations ?? 4;
  const maxColour = options.maxColour ?? 1.25;
  // `| 0`: the index arithmetic below stays in int32 whatever number representation the caller's fields have.
  const width = splats.width | 0, height = splats.height | 0;
  if (target.length !== 3 * width * height) {
    throw new Error(`colours: expected ${3 * width * height} target values for ${width}x${height}, found ${target.length}`);
  }
  if (splats.solve && splats.solve.length !== width * height) {
    throw new Error(`colours: expected solve as one value per pixel of ${width}x${height}, found ${splats.solve.length}`);
  }
  const out = options.out;
  if (out && out.length !== target.length) throw new Error(`colours: expected room for ${target.length} values in out, found ${out.length}`);
  if (iterations <= 0) return out ? (out !== target && out.set(target), out) : Float32Array.from(target);
  if (options.simd !== false) {
    const colours = fusedSimd(splats, target, iterations, maxColour, out);
    if (colours) return colours;
  }
  const colours = Float32Array.from(target);
  // One pass down the picture does everything (fusedPass). Each step is the plain Jacobi step of the
  // header, in the same arithmetic order, so the colours are bit for bit those of building W and then
  // stepping over all of it; but the rows in flight stay in the cache, and W itself is never whole:
  // its rows live in a ring of the 4 (iterations - 1) + 1 rows still to be used.
  const rows = weightScratch(splats, 4 * (iterations - 1) + 1);
  const sizes = stepSizes(iterations);
  const state: StepState = {
    width, target, colours, gradient: new Float32Array(colours.length), maxColour, step: STEP,
    rowBegin: rows.rowBegin, start: rows.start, splat: rows.splat, weight: rows.weight, columnSum: rows.columnSum,
  };
  const solve = splats.solve ?? null;
  fusedPass(rows, iterations, (_, y) => residualRow(state, y), (k, from, to) => {
    state.step = sizes[k];
    eachRun(solve, from * width, to * width, (q, qEnd) => takeSteps(state, q, qEnd));
  });
  if (!out) return colours;
  out.set(colours);
  return out;
}

/**
 * The fused pass of inputViewColours with each step's rows done by the WebAssembly SIMD kernel
 * (colour-steps-simd.ts): W's rows are built here, as for the JavaScript steps, straight into the
 * kernel's memory. Null where the kernel cannot run (no WebAssembly SIMD, no room for its memory).
 */
function fusedSimd(splats: InputViewSplats, target: Float32Array, iterations: number, maxColour: number, out?: Float32Array): Float32Array | null {
  const width = splats.width | 0, height = splats.height | 0, pixels = width * height;
  const ringRows = 4 * (iterations - 1) + 1, ringEntries = ringRows * K * width;
  // Byte offsets in the kernel's memory, 16-aligned.
  const align = (n: number) => Math.ceil(n / 16) * 16;
  const colourAt = 0, gradientAt = 16 * pixels, targetAt = 32 * pixels, columnSumAt = 48 * pixels;
  const startAt = align(columnSumAt + 4 * pixels), splatAt = align(startAt + 4 * (pixels + 1)), weightAt = splatAt + 4 * ringEntries;
  const made = colourStepsKernel(weightAt + 4 * ringEntries);
  if (!made) return null;
  const { kernel } = made;
  const buffer = made.memory.buffer;
  const c4 = new Float32Array(buffer, colourAt, 4 * pixels), t4 = new Float32Array(buffer, targetAt, 4 * pixels);
  // Pixels outside `solve` are never read by the kernel (eachRun), so their part of the memory is
  // never touched: a fresh memory's pages cost their first touch.
  const solve = splats.solve ?? null;
  for (let p = 0; p < pixels; p++) {
    if (solve !== null && solve[p] === 0) continue;
    c4[4 * p] = t4[4 * p] = target[3 * p];
    c4[4 * p + 1] = t4[4 * p + 1] = target[3 * p + 1];
    c4[4 * p + 2] = t4[4 * p + 2] = target[3 * p + 2];
  }
  const rows = weightScratch(splats, ringRows, {
    start: new Int32Array(buffer, startAt, pixels + 1),
    splat: new Int32Array(buffer, splatAt, ringEntries),
    weight: new Float32Array(buffer, weightAt, ringEntries),
    columnSum: new Float32Array(buffer, columnSumAt, pixels),
  });
  const sizes = stepSizes(iterations);
  fusedPass(
    rows, iterations,
    // A run's entries begin where its row's do, or where the pixel before it (same row) ends.
    (_, y) => eachRun(solve, y * width, (y + 1) * width, (p, pEnd) => kernel.residuals(
      p, pEnd, p === y * width ? rows.rowBegin[y] : rows.start[p], startAt, splatAt, weightAt, targetAt, colourAt, gradientAt,
    )),
    (k, from, to) => eachRun(solve, from * width, to * width, (q, qEnd) => kernel.takeSteps(q, qEnd, columnSumAt, colourAt, gradientAt, sizes[k], maxColour)),
  );
  const colours = out ?? new Float32Array(3 * pixels);
  for (let p = 0; p < pixels; p++) {
    if (solve !== null && solve[p] === 0) {
      if (colours !== target) { colours[3 * p] = target[3 * p]; colours[3 * p + 1] = target[3 * p + 1]; colours[3 * p + 2] = target[3 * p + 2]; }
      continue;
    }
    colours[3 * p] = c4[4 * p];
    colours[3 * p + 1] = c4[4 * p + 1];
    colours[3 * p + 2] = c4[4 * p + 2];
  }
  return colours;
}

/** fn(a, b) for each run a .. b - 1 of consecutive pixels from .. to - 1 inside `solve` (all of them without it). */
function eachRun(solve: Uint8Array | null, from: number, to: number, fn: (a: number, b: number) => void): void {
  if (solve === null) { fn(from, to); return; }
  for (let a = from; a < to;) {
    while (a < to && solve[a] === 0) a++;
    let b = a;
    while (b < to && solve[b] !== 0) b++;
    if (b > a) fn(a, b);
    a = b;
  }
}

/**
 * The fused pass of inputViewColours, whichever way the steps are done: at pass row Y, W's row Y is
 * built, then step k works on pixel row y = Y - 4k: residuals(k, y) forms each pixel's residual
 * (W c - target) and scatters it back through its row of W into the gradient W^T (W c - target);
 * then steps(k, from, to) moves splat rows from .. to - 1, whose gradient is now complete: row y - 2
 * (no later pixel row reaches it, and no later pixel of this step reads its colour), and at the last
 * pixel row the last two. Step k's pixel row y is valid when pixel rows up to y are in W and step
 * k - 1 has finished splat row y + 2, i.e. pixel row y + 4.
 */
function fusedPass(
  rows: RowScratch, iterations: number,
  residuals: (k: number, y: number) => void, steps: (k: number, from: number, to: number) => void,
): void {
  const height = rows.height;
  for (let Y = 0; Y < height + 4 * (iterations - 1); Y++) {
    if (Y < height) buildRow(rows, Y);
    for (let k = 0; k < iterations; k++) {
      const y = Y - 4 * k;
      if (y < 0 || y >= height) continue;
      residuals(k, y);
      if (y >= 2) steps(k, y - 2, y - 1);
      if (y === height - 1) steps(k, Math.max(0, height - 2), height);
    }
  }
}

/**
 * What the JavaScript steps read and write. `gradient` is one array shared by all the steps in
 * flight: step k accumulates into splat rows y - 2 .. y + 2 and step k + 1 (4 rows behind) into
 * y - 6 .. y - 2; the shared row y - 2 is finished, used and cleared by step k before step k + 1 adds to it.
 */
interface StepState {
  width: number; target: Float32Array; colours: Float32Array; gradient: Float32Array; maxColour: number;
  /** the size of the step being taken (stepSizes) */
  step: number;
  rowBegin: Int32Array; start: Int32Array; splat: Int32Array; weight: Float32Array; columnSum: Float32Array;
}

/** Pixel row y's residuals, scattered into the gradient (fusedPass). */
function residualRow(s: StepState, y: number): void {
  const { width, target, colours: c, gradient: out, start, splat, weight } = s;
  for (let p = y * width, end = p + width, e0 = s.rowBegin[y]; p < end; p++) {
    const e1 = start[p + 1];
    let r = -target[3 * p], g = -target[3 * p + 1], b = -target[3 * p + 2];
    if (e1 - e0 === 7) {
      // The common row (98% on photos: six neighbours in front, then the own splat), unrolled: the
      // entries are read once and the loop overhead goes. Same sums in the same order.
      const q0 = 3 * splat[e0 + 0], x0 = weight[e0 + 0];
      const q1 = 3 * splat[e0 + 1], x1 = weight[e0 + 1];
      const q2 = 3 * splat[e0 + 2], x2 = weight[e0 + 2];
      const q3 = 3 * splat[e0 + 3], x3 = weight[e0 + 3];
      const q4 = 3 * splat[e0 + 4], x4 = weight[e0 + 4];
      const q5 = 3 * splat[e0 + 5], x5 = weight[e0 + 5];
      const q6 = 3 * splat[e0 + 6], x6 = weight[e0 + 6];
      r += x0 * c[q0]; g += x0 * c[q0 + 1]; b += x0 * c[q0 + 2];
      r += x1 * c[q1]; g += x1 * c[q1 + 1]; b += x1 * c[q1 + 2];
      r += x2 * c[q2]; g += x2 * c[q2 + 1]; b += x2 * c[q2 + 2];
      r += x3 * c[q3]; g += x3 * c[q3 + 1]; b += x3 * c[q3 + 2];
      r += x4 * c[q4]; g += x4 * c[q4 + 1]; b += x4 * c[q4 + 2];
      r += x5 * c[q5]; g += x5 * c[q5 + 1]; b += x5 * c[q5 + 2];
      r += x6 * c[q6]; g += x6 * c[q6 + 1]; b += x6 * c[q6 + 2];
      out[q0] += x0 * r; out[q0 + 1] += x0 * g; out[q0 + 2] += x0 * b;
      out[q1] += x1 * r; out[q1 + 1] += x1 * g; out[q1 + 2] += x1 * b;
      out[q2] += x2 * r; out[q2 + 1] += x2 * g; out[q2 + 2] += x2 * b;
      out[q3] += x3 * r; out[q3 + 1] += x3 * g; out[q3 + 2] += x3 * b;
      out[q4] += x4 * r; out[q4 + 1] += x4 * g; out[q4 + 2] += x4 * b;
      out[q5] += x5 * r; out[q5 + 1] += x5 * g; out[q5 + 2] += x5 * b;
      out[q6] += x6 * r; out[q6 + 1] += x6 * g; out[q6 + 2] += x6 * b;
      e0 = e1;
      continue;
    }
    for (let e = e0; e < e1; e++) {
      const q = 3 * splat[e], x = weight[e];
      r += x * c[q]; g += x * c[q + 1]; b += x * c[q + 2];
    }
    for (let e = e0; e < e1; e++) {
      const q = 3 * splat[e], x = weight[e];
      out[q] += x * r; out[q + 1] += x * g; out[q + 2] += x * b;
    }
    e0 = e1;
  }
}

/** Splats q .. qEnd - 1 move by the step size (s.step) / column sum times their gradient (header), clamped; their gradient is cleared. */
function takeSteps(s: StepState, q: number, qEnd: number): void {
  const { colours, gradient, columnSum, maxColour } = s;
  for (; q < qEnd; q++) {
    // A splat no pixel sees keeps its colour. fround: the step as a Float32Array held it.
    const step = columnSum[q] > 1e-6 ? Math.fround(s.step / columnSum[q]) : 0;
    for (let i = 3 * q; i < 3 * q + 3; i++) {
      const v = colours[i] - step * gradient[i];
      colours[i] = v < 0 ? 0 : v > maxColour ? maxColour : v;
      gradient[i] = 0;
    }
  }
}

/**
 * W as a sparse matrix, one row per pixel: row p holds the splats seen at pixel p (start[p] to
 * start[p + 1] in `splat` and `weight`), composited as the rasterizer does. `columnSum` is each
 * splat's total weight over the pixels; `lipschitz` bounds the largest singular value of W squared
 * (max row sum x max column sum).
 */
export interface InputViewWeights {
  start: Int32Array;
  splat: Int32Array;
  weight: Float32Array;
  columnSum: Float32Array;
  lipschitz: number;
}

export function inputViewWeights(splats: InputViewSplats): InputViewWeights {
  const rows = weightScratch(splats);
  for (let y = 0; y < splats.height; y++) buildRow(rows, y);
  const { start, splat, weight, columnSum, used, maxRow } = rows;
  let maxColumn = 0;
  for (let i = 0; i < columnSum.length; i++) if (columnSum[i] > maxColumn) maxColumn = columnSum[i];
  return { start, splat: splat.subarray(0, used), weight: weight.subarray(0, used), columnSum, lipschitz: Math.max(1e-6, maxRow * maxColumn) };
}

/**
 * Scratch for W's rows: all of them, or (ringRows) the last ringRows rows built, row y in slot y %
 * ringRows; `arrays`: where start, the ring and the column sums live (fusedSimd: the kernel's memory).
 */
function weightScratch(
  splats: InputViewSplats, ringRows = 0,
  arrays?: { start: Int32Array; splat: Int32Array; weight: Float32Array; columnSum: Float32Array },
): RowScratch {
  const { sortKey, sigmaClass, sigmas, opacity } = splats;
  const width = splats.width | 0, height = splats.height | 0; // integers for V8 (inputViewColours)
  const pixels = width * height;
  // Gaussian falloff per class and offset.
  const falloff = new Float64Array(sigmas.length * K); // [class * K + offset]
  sigmas.forEach((s, c) => OFFSETS.forEach(([i, j], o) => { falloff[c * K + o] = Math.exp(-(i * i + j * j) / (2 * (s * s + RENDER_LOW_PASS))); }));
  return {
    width, height, sortKey, sigmaClass, opacity, falloff, solve: splats.solve ?? null,
    delta: Int32Array.from(OFFSETS, ([i, j]) => j * width + i), // offset -> pixel index step
    rowBegin: new Int32Array(height), start: arrays?.start ?? new Int32Array(pixels + 1), ringRows,
    // Whole: about 7 entries per pixel on photos (front neighbours + own), grown if needed.
    // Ring: room for all K entries of every pixel.
    splat: arrays?.splat ?? new Int32Array(ringRows > 0 ? ringRows * K * width : pixels * 8),
    weight: arrays?.weight ?? new Float32Array(ringRows > 0 ? ringRows * K * width : pixels * 8),
    columnSum: arrays?.columnSum ?? new Float32Array(pixels),
    alphas: new Float64Array(K), keys: new Float64Array(K), index: new Int32Array(K),
    used: 0, maxRow: 0,
  };
}

/** W's rows of image row y, room made first (whole) or its slot reused (ring). */
function buildRow(rows: RowScratch, y: number): void {
  if (rows.ringRows > 0) rows.used = (y % rows.ringRows) * K * rows.width;
  else if (rows.used + K * rows.width > rows.splat.length) {
    const grown = Math.max(rows.used + K * rows.width, Math.ceil(rows.splat.length * 1.5));
    const s2 = new Int32Array(grown); s2.set(rows.splat); rows.splat = s2;
    const w2 = new Float32Array(grown); w2.set(rows.weight); rows.weight = w2;
  }
  rows.rowBegin[y] = rows.used;
  rowWeights(rows, y);
}

/** What rowWeights reads and writes; `splat` and `weight` have room for K entries per pixel of a row. */
interface RowScratch {
  width: number; height: number;
  sortKey: Float32Array; sigmaClass: Uint8Array; opacity: Float32Array; solve: Uint8Array | null;
  falloff: Float64Array; delta: Int32Array;
  rowBegin: Int32Array; start: Int32Array; ringRows: number; splat: Int32Array; weight: Float32Array; columnSum: Float32Array;
  alphas: Float64Array; keys: Float64Array; index: Int32Array;
  used: number; maxRow: number;
}

/**
 * W's rows of image row y (a function of its own, its arrays in locals, so it is optimised once).
 * Walking the splats in global depth order instead (as the rasterizer does, no per-pixel sort) was
 * measured 1.3x slower: that order jumps across the picture and misses the cache.
 * Two things keep the per-pixel sort short: a neighbour's alpha is formed when it is found, and one
 * below ALPHA_MIN (which the rasterizer skips without touching T) never enters the sort; and the
 * offsets are visited in increasing pixel index, so among equal depths the one found earlier has the
 * smaller index and a strict comparison gives the stable sort's order.
 */
function rowWeights(rows: RowScratch, y: number): void {
  const { width, height, sortKey, sigmaClass, opacity, solve, falloff, delta, start, splat, weight, columnSum, alphas, keys, index } = rows;
  let used = rows.used, maxRow = rows.maxRow;
  for (let x = 0; x < width; x++) {
    const p = y * width + x;
    if (solve !== null && solve[p] === 0) { start[p + 1] = used; continue; }
    const dp = sortKey[p];
    // Neighbours in front of p's own splat, insertion-sorted by (depth, index) as the stable sort.
    let n = 0, behind = 0;
    const inside = x >= 2 && y >= 2 && x < width - 2 && y < height - 2; // no bounds to check
    for (let o = 0; o < K; o++) {
      if (o === OWN) continue;
      let q: number;
      if (inside) q = p + delta[o];
      else {
        const qx = x + DX[o], qy = y + DY[o];
        if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
        q = qy * width + qx;
      }
      const dq = sortKey[q];
      if (!(dq < dp || (dq === dp && q < p))) { behind++; continue; }
      let a = opacity[q] * falloff[sigmaClass[q] * K + o];
      if (a < ALPHA_MIN) continue;
      if (a > ALPHA_MAX) a = ALPHA_MAX;
      let j = n - 1;
      while (j >= 0 && keys[j] > dq) {
        keys[j + 1] = keys[j]; index[j + 1] = index[j]; alphas[j + 1] = alphas[j]; j--;
      }
      keys[j + 1] = dq; index[j + 1] = q; alphas[j + 1] = a; n++;
    }
    // Then the own splat; and, where it leaves much light through (translucent splats), the ones
    // behind it in depth order too.
    let own = opacity[p] * falloff[sigmaClass[p] * K + OWN];
    if (own > ALPHA_MAX) own = ALPHA_MAX;
    if (own >= ALPHA_MIN) { alphas[n] = own; index[n] = p; keys[n++] = dp; }
    if (behind > 0 && opacity[p] < 0.98) n = appendBehind(x, y, rows, dp, p, n);
    let t = 1, row = 0;
    for (let r = 0; r < n; r++) {
      const a = alphas[r], q = index[r];
      const next = t * (1 - a);
      if (next < T_MIN) break; // the rasterizer stops here, without this splat
      const w = a * t;
      splat[used] = q;
      weight[used++] = w;
      columnSum[q] += w;
      row += w;
      t = next;
    }
    start[p + 1] = used;
    if (row > maxRow) maxRow = row;
  }
  rows.used = used;
  rows.maxRow = maxRow;
}

/** Appends the neighbours behind pixel p's splat, sorted by (depth, index), after entry n; returns the new count. */
function appendBehind(x: number, y: number, rows: RowScratch, dp: number, p: number, n: number): number {
  const { width, height, sortKey, sigmaClass, opacity, falloff, alphas, keys, index } = rows;
  const first = n;
  for (let o = 0; o < K; o++) {
    if (o === OWN) continue;
    const qx = x + DX[o], qy = y + DY[o];
    if (qx < 0 || qy < 0 || qx >= width || qy >= height) continue;
    const q = qy * width + qx, dq = sortKey[q];
    if (dq < dp || (dq === dp && q < p)) continue;
    let a = opacity[q] * falloff[sigmaClass[q] * K + o];
    if (a < ALPHA_MIN) continue;
    if (a > ALPHA_MAX) a = ALPHA_MAX;
    let j = n - 1;
    while (j >= first && keys[j] > dq) {
      keys[j + 1] = keys[j]; index[j + 1] = index[j]; alphas[j + 1] = alphas[j]; j--;
    }
    keys[j + 1] = dq; index[j + 1] = q; alphas[j + 1] = a; n++;
  }
  return n;
}

/** out = W c (rgb per pixel from rgb per splat). */
export function applyWeights(w: InputViewWeights, c: Float32Array, out: Float32Array): void {
  const { start, splat, weight } = w;
  for (let p = 0; p + 1 < start.length; p++) {
    let r = 0, g = 0, b = 0;
    for (let e = start[p]; e < start[p + 1]; e++) {
      const q = 3 * splat[e], x = weight[e];
      r += x * c[q]; g += x * c[q + 1]; b += x * c[q + 2];
    }
    out[3 * p] = r; out[3 * p + 1] = g; out[3 * p + 2] = b;
  }
}

/**
 * Membrane interpolation on a pixel grid: the free pixels take the values that minimise
 *
 *     sum over 4-neighbour pairs (x_p - x_q)^2  +  screening * sum over free pixels x_p^2
 *
 * with the fixed pixels held at their values. With screening 0 this is Laplace's equation: the
 * smoothest fill of a hole from its border (a membrane stretched over it; planes in inverse depth stay
 * planes, since affine functions are harmonic). With screening > 0 the fill decays to 0 away from the
 * border over about 1 / sqrt(screening) pixels: a border residual spread into the hole and fading out,
 * which is how expansion removes a depth or colour step without bending the whole completed view.
 *
 * Pixels marked OUTSIDE are not part of the domain (e.g. sky, where depth means nothing): the membrane
 * has a free edge there, as at the picture's border (zero normal derivative).
 *
 * Solved coarse to fine (cascadic multigrid): the problem is reduced 2x per level until it is small,
 * solved there with many Gauss-Seidel sweeps, and each finer level starts from the coarser solution
 * (bilinear) and needs only a few sweeps. A plain Gauss-Seidel solve needs ~(hole width)^2 sweeps.
 */

export const FREE = 0;
export const FIXED = 1;
export const OUTSIDE = 2;

export interface MembraneOptions {
  /** pull toward 0 per free pixel; 0 = pure Laplace; decay length ~ 1 / sqrt(screening) pixels */
  screening?: number;
  /** Gauss-Seidel sweeps per level finer than the coarsest; default 16 */
  sweeps?: number;
  /** sweeps at full resolution; default `sweeps`. Fewer is enough for smooth fills (the coarser levels carry the solution) */
  fineSweeps?: number;
  /** sweeps at the coarsest level; default 200 */
  coarseSweeps?: number;
  /** over-relaxation factor 1..2; default 1.6 */
  omega?: number;
  signal?: AbortSignal;
}

/** One level of the pyramid (exported for reduce's and prolong's tests). */
export interface Level {
  width: number;
  height: number;
  state: Uint8Array;
  values: Float32Array;
  /** indices of the free pixels, in row-major order */
  free: Int32Array;
}

/**
 * `values` holds `channels` interleaved floats per pixel (read at FIXED pixels only), `state` one of
 * FREE, FIXED, OUTSIDE per pixel. Returns a new array of the same layout: fixed pixels keep their
 * values, free pixels get the membrane, OUTSIDE pixels 0.
 */
export function solveMembrane(
  values: Float32Array, channels: number, state: Uint8Array, width: number, height: number,
  options: MembraneOptions = {},
): Float32Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new Error(`membrane: expected a positive integer size, found ${width}x${height}`);
  }
  if (values.length !== width * height * channels || state.length !== width * height) {
    throw new Error(`membrane: expected ${width * height * channels} values and ${width * height} states, found ${values.length} and ${state.length}`);
  }
  const screening = options.screening ?? 0;
  const omega = options.omega ?? 1.6;
  if (!(screening >= 0 && Number.isFinite(screening) && omega >= 1 && omega < 2)) {
    throw new Error(`membrane: expected screening >= 0 and omega in [1, 2), found ${screening} and ${omega}`);
  }
  const sweeps = options.sweeps ?? 16, coarseSweeps = options.coarseSweeps ?? 200;

  const fineSweeps = options.fineSweeps ?? sweeps;

  // All channels go through the pyramid together (interleaved), so neighbours are looked up once.
  const base = new Float32Array(values.length);
  copyWhere(values, base, channels, state, FIXED);
  const levels = [makeLevel(width, height, state, base)];
  while (levels[levels.length - 1].free.length > 0 && Math.max(levels[levels.length - 1].width, levels[levels.length - 1].height) > 8) {
    levels.push(reduce(levels[levels.length - 1], channels));
  }
  for (let l = levels.length - 1; l >= 0; l--) {
    options.signal?.throwIfAborted();
    const level = levels[l];
    if (l < levels.length - 1) prolong(levels[l + 1], level, channels);
    // The same decay length in level-0 pixels is 2^-l as many pixels at level l.
    relax(level, channels, screening * 4 ** l, l === levels.length - 1 ? coarseSweeps : l === 0 ? fineSweeps : sweeps, omega);
  }
  const out = levels[0].values;
  copyWhere(null, out, channels, state, OUTSIDE);
  return out;
}

/**
 * to = from (or 0 with from null) at the pixels in state `which`. A loop, not a TypedArray.fill call
 * per pixel (which cost more than the whole fine level's sweeps), and a function of its own, so the
 * engine optimises it once rather than on the stack of a long function.
 */
function copyWhere(from: Float32Array | null, to: Float32Array, channels: number, state: Uint8Array, which: number): void {
  for (let i = 0; i < state.length; i++) {
    if (state[i] !== which) continue;
    const o = i * channels;
    for (let c = 0; c < channels; c++) to[o + c] = from === null ? 0 : from[o + c];
  }
}

function makeLevel(width: number, height: number, state: Uint8Array, values: Float32Array): Level {
  let n = 0;
  for (let i = 0; i < state.length; i++) if (state[i] === FREE) n++;
  const free = new Int32Array(n);
  for (let i = 0, j = 0; i < state.length; i++) if (state[i] === FREE) free[j++] = i;
  return { width, height, state, values, free };
}

/**
 * 2x2 -> 1: fixed if any child is fixed (at their mean), else free if any child is free, else outside.
 * (The fixed children are listed first, then each channel summed over them in the same order as a sum
 * per child over all channels would: the same additions, the same bits, without an array of sums.)
 */
export function reduce(fine: Level, channels: number): Level {
  const fw = fine.width, fh = fine.height, fineState = fine.state, fineValues = fine.values;
  const width = Math.ceil(fw / 2), height = Math.ceil(fh / 2);
  const state = new Uint8Array(width * height), values = new Float32Array(width * height * channels);
  const fixed = new Int32Array(4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let fixedCount = 0, freeCount = 0;
      if (2 * x + 1 < fw && 2 * y + 1 < fh) {
        // All four children inside the fine grid (all but the last column and row): the loop below
        // written out, children in its order.
        const i = 2 * y * fw + 2 * x;
        const s0 = fineState[i], s1 = fineState[i + 1], s2 = fineState[i + fw], s3 = fineState[i + fw + 1];
        if (s0 === FIXED) fixed[fixedCount++] = i * channels; else if (s0 === FREE) freeCount++;
        if (s1 === FIXED) fixed[fixedCount++] = (i + 1) * channels; else if (s1 === FREE) freeCount++;
        if (s2 === FIXED) fixed[fixedCount++] = (i + fw) * channels; else if (s2 === FREE) freeCount++;
        if (s3 === FIXED) fixed[fixedCount++] = (i + fw + 1) * channels; else if (s3 === FREE) freeCount++;
      } else for (let dy = 0; dy < 2; dy++) {
        const fy = 2 * y + dy;
        if (fy >= fh) continue;
        for (let dx = 0; dx < 2; dx++) {
          const fx = 2 * x + dx;
          if (fx >= fw) continue;
          const i = fy * fw + fx;
          if (fineState[i] === FIXED) fixed[fixedCount++] = i * channels;
          else if (fineState[i] === FREE) freeCount++;
        }
      }
      const o = y * width + x;
      if (fixedCount > 0) {
        state[o] = FIXED;
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          for (let f = 0; f < fixedCount; f++) sum += fineValues[fixed[f] + c];
          values[o * channels + c] = sum / fixedCount;
        }
      }
      else state[o] = freeCount > 0 ? FREE : OUTSIDE;
    }
  }
  return makeLevel(width, height, state, values);
}

/**
 * Free pixels of `fine` start from the bilinear interpolation of the coarse solution (outside pixels carry
 * no weight). The in-domain corners and their weights are listed first, then each channel summed over them
 * in the same order as before (same bits).
 */
export function prolong(coarse: Level, fine: Level, channels: number): void {
  const cw = coarse.width, ch = coarse.height, coarseState = coarse.state, coarseValues = coarse.values;
  const fw = fine.width, fineValues = fine.values, free = fine.free;
  const at = new Int32Array(4), weights = new Float64Array(4);
  // (free is in row-major order: the row start is carried along instead of a division per pixel.)
  for (let k = 0, rowStart = 0, y = 0; k < free.length; k++) {
    const i = free[k];
    while (i >= rowStart + fw) { rowStart += fw; y++; }
    const x = i - rowStart;
    // Fine pixel centre in coarse pixel coordinates (centres at integer + 0.5): (x + 0.5) / 2 - 0.5, whose
    // floor is x / 2 - 1 (x even) or (x - 1) / 2 (odd), the fraction 0.75 or 0.25 (all exact in binary).
    const x0 = (x >> 1) - 1 + (x & 1), y0 = (y >> 1) - 1 + (y & 1), tx = x & 1 ? 0.25 : 0.75, ty = y & 1 ? 0.25 : 0.75;
    if (x0 >= 0 && y0 >= 0 && x0 + 1 < cw && y0 + 1 < ch) {
      // Inside the coarse grid (no clamping; most pixels): with all four corners in the domain, the
      // general path's weights and sums below, written out in its order (corners 00, 01, 10, 11).
      const j = y0 * cw + x0;
      if (coarseState[j] !== OUTSIDE && coarseState[j + 1] !== OUTSIDE && coarseState[j + cw] !== OUTSIDE && coarseState[j + cw + 1] !== OUTSIDE) {
        const w0 = (1 - ty) * (1 - tx), w1 = (1 - ty) * tx, w2 = ty * (1 - tx), w3 = ty * tx;
        const weight = 0 + w0 + w1 + w2 + w3;
        const a0 = j * channels, a1 = a0 + channels, a2 = (j + cw) * channels, a3 = a2 + channels, o = i * channels;
        for (let c = 0; c < channels; c++) {
          const sum = 0 + w0 * coarseValues[a0 + c] + w1 * coarseValues[a1 + c] + w2 * coarseValues[a2 + c] + w3 * coarseValues[a3 + c];
          fineValues[o + c] = weight > 0 ? sum / weight : 0;
        }
        continue;
      }
    }
    let weight = 0, m = 0;
    for (let dy = 0; dy < 2; dy++) {
      const cy = y0 + dy < 0 ? 0 : y0 + dy > ch - 1 ? ch - 1 : y0 + dy;
      const wy = dy ? ty : 1 - ty;
      for (let dx = 0; dx < 2; dx++) {
        const cx = x0 + dx < 0 ? 0 : x0 + dx > cw - 1 ? cw - 1 : x0 + dx;
        const j = cy * cw + cx;
        if (coarseState[j] === OUTSIDE) continue;
        const w = wy * (dx ? tx : 1 - tx);
        at[m] = j * channels; weights[m++] = w;
        weight += w;
      }
    }
    const o = i * channels;
    if (m === 4) {
      // All four corners in the domain (most pixels): the same sum, written out.
      const w0 = weights[0], w1 = weights[1], w2 = weights[2], w3 = weights[3], a0 = at[0], a1 = at[1], a2 = at[2], a3 = at[3];
      for (let c = 0; c < channels; c++) {
        const sum = 0 + w0 * coarseValues[a0 + c] + w1 * coarseValues[a1 + c] + w2 * coarseValues[a2 + c] + w3 * coarseValues[a3 + c];
        fineValues[o + c] = weight > 0 ? sum / weight : 0;
      }
      continue;
    }
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let q = 0; q < m; q++) sum += weights[q] * coarseValues[at[q] + c];
      fineValues[o + c] = weight > 0 ? sum / weight : 0;
    }
  }
}

/** Successive over-relaxation over the free pixels: x = (sum of in-domain neighbours) / (count + screening). */
function relax(level: Level, channels: number, screening: number, sweeps: number, omega: number): void {
  const { width, height, state, values, free } = level;
  const last = width * height;
  // Which neighbours are in the domain and the denominator, once per level rather than once per sweep
  // (bits: 1 left, 2 right, 4 up, 8 down).
  const sides = new Uint8Array(free.length), denominators = new Float64Array(free.length);
  // (free is in row-major order: the row start is carried along instead of a division per pixel.)
  for (let k = 0, rowStart = 0; k < free.length; k++) {
    const i = free[k];
    while (i >= rowStart + width) rowStart += width;
    const x = i - rowStart;
    const left = x > 0 && state[i - 1] !== OUTSIDE, right = x + 1 < width && state[i + 1] !== OUTSIDE;
    const up = i >= width && state[i - width] !== OUTSIDE, down = i + width < last && state[i + width] !== OUTSIDE;
    sides[k] = (left ? 1 : 0) | (right ? 2 : 0) | (up ? 4 : 0) | (down ? 8 : 0);
    denominators[k] = (left ? 1 : 0) + (right ? 1 : 0) + (up ? 1 : 0) + (down ? 1 : 0) + screening;
  }
  for (let s = 0; s < sweeps; s++) {
    if (channels === 4) sweep4(values, free, sides, denominators, width * 4, omega);
    else if (channels === 3) sweep3(values, free, sides, denominators, width * 3, omega);
    else if (channels === 1) sweep1(values, free, sides, denominators, width, omega);
    else sweep(values, free, sides, denominators, width * channels, channels, omega);
  }
}

/**
 * One Gauss-Seidel / SOR sweep over the free pixels (k order): x += omega (sum of in-domain neighbours /
 * denominator - x), the neighbours added left, right, up, down, starting from 0. sweep4, sweep3 and
 * sweep1 are the same sweep for the inpainter's 4 (colour + sky), alignment's 3 (colour) and 1 (inverse
 * depth) channels, with the pixels
 * whose four neighbours are all in the domain (most) unrolled, on a path without the per-side tests; the
 * others take relaxPixel, as here. The same additions in the same order (0 + left + right + up + down),
 * so the same bits (a 240 x 384 colour solve: 53-57 -> 43-45 ms).
 */
function sweep(values: Float32Array, free: Int32Array, sides: Uint8Array, denominators: Float64Array, row: number, channels: number, omega: number): void {
  for (let k = 0; k < free.length; k++) {
    const d = denominators[k];
    if (d === 0) continue; // an isolated pixel with no pull: keeps its start value
    relaxPixel(values, free[k] * channels, sides[k], d, row, channels, omega);
  }
}

/** One free pixel's step (values from index o, `channels` of them): its in-domain neighbours (sides: 1 left, 2 right, 4 up, 8 down) over d. */
function relaxPixel(values: Float32Array, o: number, f: number, d: number, row: number, channels: number, omega: number): void {
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    if (f & 1) sum += values[o - channels + c];
    if (f & 2) sum += values[o + channels + c];
    if (f & 4) sum += values[o - row + c];
    if (f & 8) sum += values[o + row + c];
    values[o + c] += omega * (sum / d - values[o + c]);
  }
}

function sweep4(values: Float32Array, free: Int32Array, sides: Uint8Array, denominators: Float64Array, row: number, omega: number): void {
  for (let k = 0; k < free.length; k++) {
    const d = denominators[k];
    if (d === 0) continue;
    const f = sides[k], o = free[k] * 4;
    if (f !== 15) {
      relaxPixel(values, o, f, d, row, 4, omega);
      continue;
    }
    const l = o - 4, r = o + 4, u = o - row, b = o + row;
    let v = values[o];
    values[o] = v + omega * ((0 + values[l] + values[r] + values[u] + values[b]) / d - v);
    v = values[o + 1];
    values[o + 1] = v + omega * ((0 + values[l + 1] + values[r + 1] + values[u + 1] + values[b + 1]) / d - v);
    v = values[o + 2];
    values[o + 2] = v + omega * ((0 + values[l + 2] + values[r + 2] + values[u + 2] + values[b + 2]) / d - v);
    v = values[o + 3];
    values[o + 3] = v + omega * ((0 + values[l + 3] + values[r + 3] + values[u + 3] + values[b + 3]) / d - v);
  }
}

function sweep3(values: Float32Array, free: Int32Array, sides: Uint8Array, denominators: Float64Array, row: number, omega: number): void {
  for (let k = 0; k < free.length; k++) {
    const d = denominators[k];
    if (d === 0) continue;
    const f = sides[k], o = free[k] * 3;
    if (f !== 15) {
      relaxPixel(values, o, f, d, row, 3, omega);
      continue;
    }
    const l = o - 3, r = o + 3, u = o - row, b = o + row;
    let v = values[o];
    values[o] = v + omega * ((0 + values[l] + values[r] + values[u] + values[b]) / d - v);
    v = values[o + 1];
    values[o + 1] = v + omega * ((0 + values[l + 1] + values[r + 1] + values[u + 1] + values[b + 1]) / d - v);
    v = values[o + 2];
    values[o + 2] = v + omega * ((0 + values[l + 2] + values[r + 2] + values[u + 2] + values[b + 2]) / d - v);
  }
}

function sweep1(values: Float32Array, free: Int32Array, sides: Uint8Array, denominators: Float64Array, row: number, omega: number): void {
  for (let k = 0; k < free.length; k++) {
    const d = denominators[k];
    if (d === 0) continue;
    const f = sides[k], o = free[k];
    if (f !== 15) {
      relaxPixel(values, o, f, d, row, 1, omega);
      continue;
    }
    const v = values[o];
    values[o] = v + omega * ((0 + values[o - 1] + values[o + 1] + values[o - row] + values[o + row]) / d - v);
  }
}

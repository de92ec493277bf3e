/**
 * The input-view colour stage (input-view-colours.ts) cut into horizontal bands that can be computed
 * apart (the CLI hands the top band to its second thread), giving bit for bit the colours of one
 * pass over the whole picture.
 *
 * WHY. The stage is a third of the lift's CPU (building W's rows and the steps), and in a fresh
 * `worldsplat generate` the second core has nothing to do while the lift runs.
 *
 * THE MARGIN. A band is the rows it keeps plus `bandMargin(iterations)` = 4 per step more on each side
 * that lies inside the picture, computed as a picture of its own (inputViewColours on the cropped
 * arrays) and cut back to the kept rows. Why 4 per step, counting rows from the band's cut edge
 * (rows 0, 1, ... inside it):
 *   - pixel row y's row of W reads the splats of rows y - 2 .. y + 2 (OFFSETS reach 2), so rows 0 and
 *     1 lose the neighbours beyond the cut; from row 2 on W's rows are those of the whole picture
 *     (same depths, same order: a crop keeps pixel indices' order, so ties fall the same way);
 *   - a splat's column sum and gradient gather pixel rows y - 2 .. y + 2: exact from row 4 on;
 *   - step 1 starts from the target (exact everywhere), so after it the colours are exact from row 4;
 *     step k's residuals read the colours of rows y - 2 .. y + 2, exact from row 4 (k - 1) + 2, and
 *     its gradient is exact from 4 (k - 1) + 4 = 4k.
 * The sums are formed in the same order (pixels in picture order, steps in the same schedule), so
 * exact means the same float32 bits, in the WebAssembly steps and the JavaScript steps alike. One row
 * less and the last step differs at the kept rows' edge (the test shows it).
 */
import { type CompensationOptions, type InputViewSplats, inputViewColours } from './input-view-colours.ts';
import { randomInputView } from './random-input-view.ts';
import { MAX_OPACITY } from './splat-footprint.ts';

/** Rows a band computes beyond the rows it keeps, on each side that lies inside the picture (header). */
export function bandMargin(iterations: number): number {
  return 4 * Math.max(0, iterations);
}

/** One band: the rows it keeps and the cropped picture it is computed on. Plain data (it is posted to a thread). */
export interface ColourBand {
  /** the cropped picture: rows rowFrom - (skip) .. , with the margins */
  splats: InputViewSplats;
  /** rgb per pixel of the cropped picture */
  target: Float32Array;
  /** rows of the cropped picture above the first kept row (the top margin) */
  skip: number;
  /** kept rows */
  rows: number;
  iterations: number;
  maxColour?: number;
  simd?: boolean;
}

/**
 * The band that keeps rows rowFrom .. rowTo - 1 of the picture. Its arrays are views into the
 * caller's (no copy); `margin` other than bandMargin(iterations) only for the test that shows it is needed.
 */
export function colourBand(
  splats: InputViewSplats, target: Float32Array, rowFrom: number, rowTo: number,
  options: Pick<CompensationOptions, 'iterations' | 'maxColour' | 'simd'>, margin?: number,
): ColourBand {
  const { width, height } = splats;
  if (!(Number.isInteger(rowFrom) && Number.isInteger(rowTo) && rowFrom >= 0 && rowFrom < rowTo && rowTo <= height)) {
    throw new Error(`colour band: expected rows 0 <= from < to <= ${height}, found ${rowFrom} .. ${rowTo}`);
  }
  const iterations = options.iterations ?? 4;
  const reach = margin ?? bandMargin(iterations);
  const from = Math.max(0, rowFrom - reach), to = Math.min(height, rowTo + reach);
  const a = from * width, b = to * width;
  return {
    splats: {
      width, height: to - from, sigmas: splats.sigmas,
      sortKey: splats.sortKey.subarray(a, b), sigmaClass: splats.sigmaClass.subarray(a, b), opacity: splats.opacity.subarray(a, b),
    },
    target: target.subarray(3 * a, 3 * b),
    skip: rowFrom - from, rows: rowTo - rowFrom, iterations, maxColour: options.maxColour, simd: options.simd,
  };
}

/** The band's colours: rgb per splat of its kept rows (a view into the band's whole result). */
export function bandColours(band: ColourBand): Float32Array {
  const { splats, skip, rows } = band;
  const all = inputViewColours(splats, band.target, { iterations: band.iterations, maxColour: band.maxColour, simd: band.simd });
  return all.subarray(3 * skip * splats.width, 3 * (skip + rows) * splats.width);
}

/** The band with copies of exactly its rows (a view's whole buffer would otherwise go with it when posted). */
export function detachedBand(band: ColourBand): ColourBand {
  const s = band.splats;
  return {
    ...band,
    splats: { ...s, sigmas: [...s.sigmas], sortKey: s.sortKey.slice(), sigmaClass: s.sigmaClass.slice(), opacity: s.opacity.slice() },
    target: band.target.slice(),
  };
}

/**
 * Runs a tiny band once, so that a thread about to compute a real one has seen every branch of the
 * colour stage's loops when V8 optimises them (as lift-primer.ts does for the whole lift). Without
 * it, the thread's W rows were optimised before any translucent splat came along, thrown away at the
 * first one and compiled twice more (~0.3 s of compiler time on the 2 cores, traced). The picture:
 * 20x14, interior pixels, depth ties, translucent splats behind their neighbours, both sigma classes, the
 * rest at the lift's opacity.
 */
export function primeColourBands(iterations = 3): void {
  const { splats, target } = randomInputView(20, 14, 12345, MAX_OPACITY);
  bandColours(colourBand(splats, target, 0, splats.height, { iterations }));
}

/**
 * Computes a band somewhere else (another thread) and gives back bandColours(band) there. The band is
 * the runner's own (inputViewColoursSplit hands it detachedBand's copies, so it may be posted as it is
 * and outlives the caller's arrays, whose target the caller may then overwrite).
 */
export type ColourBandRunner = (band: ColourBand) => Promise<Float32Array>;

/** Pictures with fewer rows than this are not split: the margins would be most of the work. */
export const MIN_SPLIT_ROWS = 64;

/**
 * The share of the rows inputViewColoursSplit sends elsewhere by default. The main thread first
 * places the splats below the top band (lift.ts, ~0.27 ms of CPU per row of the 1024x768 bench photo)
 * and then computes its own rows (~0.55 ms per row); the CLI's colour thread, primed before the band
 * comes and with no detached buffer (colour-worker.mjs), computes a row in ~0.57 ms. Both threads
 * finish together near 0.587 of the rows to the other thread (traced with 0.5: main thread 100 + 228 ms,
 * colour thread 227 ms; with 0.58: 93 + 188 against 249 ms). (The model's thread, which computed the
 * band before, took 0.71 ms per row, so half suited it.)
 */
export const ELSEWHERE_SHARE = 0.58;

/** Where the picture is cut: the top band keeps rows 0 .. split - 1; 0 where it is not split. */
function splitRow(height: number, iterations: number, share: number): number {
  const split = Math.round(height * share);
  return iterations > 0 && height >= MIN_SPLIT_ROWS && split > 0 && split < height ? split : 0;
}

/**
 * How many rows from the top inputViewColoursSplit reads before it calls `meanwhile`: the top band's
 * rows and margin (the whole picture where it is not split).
 */
export function bandRowsReady(height: number, iterations: number, share = ELSEWHERE_SHARE): number {
  const split = splitRow(height, iterations, share);
  return split > 0 ? Math.min(height, split + bandMargin(iterations)) : height;
}

/**
 * inputViewColours with the picture's top rows (`share` of them) computed by `elsewhere` while this
 * thread computes the rest: the same colours, bit for bit (header). Where `elsewhere` fails, its band
 * is computed here (a second thread is only ever a way to be faster). Writes into options.out (may be
 * the target, as lift.ts passes it) or a new array. `meanwhile` runs once the top band is handed over
 * (or first thing, where the picture is not split), before this thread reads any row past
 * bandRowsReady: lift.ts places the rest of its splats there.
 */
export async function inputViewColoursSplit(
  splats: InputViewSplats, target: Float32Array, options: CompensationOptions, elsewhere: ColourBandRunner,
  { share = ELSEWHERE_SHARE, meanwhile }: { share?: number; meanwhile?: () => void } = {},
): Promise<Float32Array> {
  const { width, height } = splats;
  const iterations = options.iterations ?? 4;
  const split = splitRow(height, iterations, share);
  if (split === 0 || target.length !== 3 * width * height) {
    meanwhile?.();
    return inputViewColours(splats, target, options); // its own checks and errors
  }
  const out = options.out ?? new Float32Array(target.length);
  if (out.length !== target.length) throw new Error(`colours: expected room for ${target.length} values in out, found ${out.length}`);
  const top = colourBand(splats, target, 0, split, options);
  let there: Promise<Float32Array>;
  try {
    there = elsewhere(detachedBand(top));
  } catch (error) {
    there = Promise.reject(error);
  }
  there.catch(() => undefined); // awaited below
  meanwhile?.();
  // This band into a new array: out may be the target, whose top rows the other band may still need.
  const here = bandColours(colourBand(splats, target, split, height, options));
  let topColours: Float32Array;
  try {
    topColours = await there;
    if (topColours.length !== 3 * split * width) throw new Error(`colour band: expected ${3 * split * width} values, found ${topColours.length}`);
  } catch {
    topColours = bandColours(top);
  }
  out.set(topColours, 0);
  out.set(here, 3 * split * width);
  return out;
}

/**
 * MirrorDetailCompleter: texture for a smooth fill. It wraps another completer (the inpainter, whose
 * colour meets the known pixels without a step but carries no texture: a turn round a photo world
 * leaves flat sky, flat ground and a visible seam where the last fill meets the photo's other edge)
 * and keeps that completer's depth and low-frequency colour, adding high-frequency DETAIL borrowed from
 * the known pixels by reflection across the hole's border:
 *
 *   detail(source) = known colour - its low-pass (a box blur normalised over the known pixels)
 *   fill(hole)     = low-pass of the inner completion + weight * detail(mirrored source)
 *
 * The source of a hole pixel is its mirror image across the nearest border along its ROW (holes
 * revealed by turning lie left or right of the known part, and a row keeps its elevation: sky detail
 * stays in the sky rows, ground detail in the ground rows), reflected again inside the known run when
 * the hole is wider than the run; pixels whose row has no known border use their COLUMN (holes above
 * or below the known part). A hole bounded on both sides (the loop-closure case: the last fill of a turn
 * meets the first view's other edge) takes detail from both sides, cross-faded by the distance to each
 * border with a variance-preserving weight, so the texture is continuous at both borders and not
 * washed out in the middle. Detail is not copied between sky and surface (the inner completion's sky
 * decision against the source's), so ground texture never lands in the sky.
 *
 * The low-pass of the INNER completion (not the inner completion itself) carries the detail: a
 * membrane fill already takes on the border pixels' own detail next to the border, and adding the
 * mirrored detail to it would double it there. Both low-passes average within one class, sky or
 * surface, so the horizon (an edge between classes, not texture) stays as sharp as the inner fill has
 * it and does not come back as a band of 'detail' beside it. Known pixels are returned exactly as given; colours
 * stay in 0..1; bad input is rejected by the inner completer's own check (one line).
 */
import type { CompletedView, Completer, PartialView } from './completer.ts';

export interface MirrorDetailOptions {
  /** box radius of the low-pass in pixels; default width / 64 (8 at 512), at least 1 */
  radius?: number;
  /** distance from the border (pixels) over which the detail's weight halves; default Infinity (no fade) */
  halfDistance?: number;
  /** detail's weight at the border; default 1 */
  strength?: number;
  /** known runs shorter than this (pixels) are not mirrored from (a sliver repeats itself); default 2 * radius */
  minRun?: number;
}

export class MirrorDetailCompleter implements Completer {
  readonly name: string;

  constructor(private readonly inner: Completer, private readonly options: MirrorDetailOptions = {}) {
    this.name = `${inner.name}+detail`;
  }

  async complete(view: PartialView, signal?: AbortSignal): Promise<CompletedView> {
    signal?.throwIfAborted();
    const completed = await this.inner.complete(view, signal); // checks the view (one-line errors)
    signal?.throwIfAborted();
    const n = view.width * view.height;
    if (completed.rgb.length !== 3 * n || completed.depth.length !== n) {
      throw new Error(`mirror detail: expected ${n} pixels from '${this.inner.name}', found ${completed.rgb.length / 3} colours and ${completed.depth.length} depths`);
    }
    const rgb = addMirrorDetail(view, completed, this.options);
    return { ...completed, rgb };
  }
}

/** The inner completion's colour with mirrored detail in the hole; known pixels exactly `view.rgb`. */
export function addMirrorDetail(view: PartialView, completed: CompletedView, options: MirrorDetailOptions = {}): Float32Array {
  const { width: w, height: h, mask } = view;
  const n = w * h;
  const radius = Math.max(1, Math.round(options.radius ?? w / 64));
  const half = options.halfDistance ?? Infinity;
  const strength = options.strength ?? 1;
  const minRun = Math.max(1, Math.round(options.minRun ?? 2 * radius));

  // The completed picture: known pixels as given, hole pixels the inner completion's.
  const out = new Float32Array(3 * n);
  let holes = 0;
  for (let i = 0; i < n; i++) {
    const src = mask[i] ? completed.rgb : view.rgb;
    out[3 * i] = src[3 * i]; out[3 * i + 1] = src[3 * i + 1]; out[3 * i + 2] = src[3 * i + 2];
    if (mask[i]) holes++;
  }
  if (holes === 0 || holes === n) return out;

  // Low-passes within one class (sky or surface): the horizon is an edge between classes, not texture,
  // and would otherwise come back as a bright or dark band of 'detail' beside it.
  const sky = (d: number) => !(d > 0);
  const knownSky = new Uint8Array(n), knownSurface = new Uint8Array(n), allSky = new Uint8Array(n), allSurface = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = sky(mask[i] ? completed.depth[i] : view.depth[i]);
    (s ? allSky : allSurface)[i] = 1;
    if (!mask[i]) (s ? knownSky : knownSurface)[i] = 1;
  }
  const knownLow = pick(boxMean(view.rgb, knownSky, w, h, radius), boxMean(view.rgb, knownSurface, w, h, radius), knownSky);
  const fillLow = pick(boxMean(out, allSky, w, h, radius), boxMean(out, allSurface, w, h, radius), allSky);

  // Per hole pixel: accumulated detail and whether any side gave a source.
  const detail = new Float32Array(3 * n);
  const done = new Uint8Array(n);
  const addFrom = (dest: number, source: number, weight: number) => {
    if (sky(view.depth[source]) !== sky(completed.depth[dest])) return; // no ground texture in the sky, nor the reverse
    for (let c = 0; c < 3; c++) detail[3 * dest + c] += weight * (view.rgb[3 * source + c] - knownLow[3 * source + c]);
  };
  const fade = (d: number) => strength * (Number.isFinite(half) ? Math.pow(0.5, d / half) : 1);

  /**
   * One line of pixels (a row or a column): start index, stride, length. Every hole run with a usable
   * known run beside it gets mirrored detail; `onlyUndone` skips pixels a row already served.
   */
  const line = (start: number, stride: number, length: number, onlyUndone: boolean) => {
    let j = 0;
    while (j < length) {
      if (!mask[start + j * stride]) { j++; continue; }
      const a = j;
      while (j < length && mask[start + j * stride]) j++;
      const b = j - 1; // hole run a..b
      // Known runs beside it: left c..a-1, right b+1..e.
      let c = a;
      while (c > 0 && !mask[start + (c - 1) * stride]) c--;
      let e = b;
      while (e < length - 1 && !mask[start + (e + 1) * stride]) e++;
      const leftRun = a - c, rightRun = e - b;
      const useLeft = leftRun >= minRun, useRight = rightRun >= minRun;
      if (!useLeft && !useRight) continue;
      for (let k = a; k <= b; k++) {
        const dest = start + k * stride;
        if (onlyUndone && done[dest]) continue;
        const dl = k - a, dr = b - k;
        let wl = useLeft ? dr + 0.5 : 0, wr = useRight ? dl + 0.5 : 0;
        const sum = wl + wr;
        wl /= sum; wr /= sum;
        // Two uncorrelated textures cross-faded lose contrast in the middle (variance wl^2 + wr^2): restore it.
        const norm = 1 / Math.sqrt(wl * wl + wr * wr);
        const g = fade(useLeft && useRight ? Math.min(dl, dr) : useLeft ? dl : dr) * norm;
        if (useLeft) addFrom(dest, start + (a - 1 - reflect(dl, leftRun)) * stride, g * wl);
        if (useRight) addFrom(dest, start + (b + 1 + reflect(dr, rightRun)) * stride, g * wr);
        done[dest] = 1;
      }
    }
  };
  for (let y = 0; y < h; y++) line(y * w, 1, w, false);
  for (let x = 0; x < w; x++) line(x, w, h, true);

  for (let i = 0; i < n; i++) {
    if (!mask[i] || !done[i]) continue;
    for (let c = 0; c < 3; c++) {
      const v = fillLow[3 * i + c] + detail[3 * i + c];
      out[3 * i + c] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }
  return out;
}

/** Offset into a known run of `length` pixels for distance `d` from its border: mirrored, then mirrored again. */
function reflect(d: number, length: number): number {
  const t = d % (2 * length);
  return t < length ? t : 2 * length - 1 - t;
}

/** Per pixel, `a`'s colour where `useA`, else `b`'s (into `a`). */
function pick(a: Float32Array, b: Float32Array, useA: Uint8Array): Float32Array {
  for (let i = 0; i < useA.length; i++) if (!useA[i]) { a[3 * i] = b[3 * i]; a[3 * i + 1] = b[3 * i + 1]; a[3 * i + 2] = b[3 * i + 2]; }
  return a;
}

/**
 * Mean colour over the pixels selected by `include` in the (2r+1)^2 box around each pixel, clipped to
 * the picture (0 where there are none). Summed-area tables: O(pixels) whatever r.
 */
function boxMean(rgb: Float32Array, include: Uint8Array, w: number, h: number, r: number): Float32Array {
  const W = w + 1;
  const sums = new Float64Array(4 * W * (h + 1));
  for (let y = 0; y < h; y++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (include[i]) { s0 += rgb[3 * i]; s1 += rgb[3 * i + 1]; s2 += rgb[3 * i + 2]; s3 += 1; }
      const o = 4 * ((y + 1) * W + x + 1), p = 4 * (y * W + x + 1);
      sums[o] = sums[p] + s0; sums[o + 1] = sums[p + 1] + s1; sums[o + 2] = sums[p + 2] + s2; sums[o + 3] = sums[p + 3] + s3;
    }
  }
  const out = new Float32Array(3 * w * h);
  for (let y = 0; y < h; y++) {
    const y0 = Math.max(0, y - r), y1 = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const x0 = Math.max(0, x - r), x1 = Math.min(w, x + r + 1);
      const A = 4 * (y0 * W + x0), B = 4 * (y0 * W + x1), C = 4 * (y1 * W + x0), D = 4 * (y1 * W + x1);
      const count = sums[D + 3] - sums[B + 3] - sums[C + 3] + sums[A + 3];
      if (count <= 0) continue;
      const i = 3 * (y * w + x);
      for (let c = 0; c < 3; c++) out[i + c] = (sums[D + c] - sums[B + c] - sums[C + c] + sums[A + c]) / count;
    }
  }
  return out;
}

/**
 * Turning a relative inverse depth (Depth Anything V2, MiDaS: "disparity up to scale and shift") into
 * metres, using a metric depth map of the same picture as the reference (the built-in model's).
 *
 * Such models predict r = a' / depth + b' with a' > 0 and b' unknown per picture. So the fit is made in
 * inverse depth, where the relation is affine:  1 / referenceDepth ≈ scale * r + shift,  and the result
 * is depth = 1 / (scale * r + shift). Fitting in depth instead would not be affine, and fitting
 * log-depth would not allow the shift.
 *
 * Robustness: the reference is a small model and is wrong in places (thin structures, sky, reflections),
 * so the fit is a trimmed least squares. Fit on all samples; then repeatedly keep the `keepFraction` of
 * samples with the smallest residuals and fit again, until the inlier set stops changing. With at most
 * 1 - keepFraction outliers this converges to the inlier fit; plain least squares would be pulled
 * arbitrarily far by a few wild samples.
 */

export interface AlignOptions {
  /** Share of samples kept as inliers in each round, 0 < keepFraction <= 1. */
  keepFraction?: number;
  maxIterations?: number;
  /** Depth given where the fitted inverse depth is at or beyond infinity (<= 1 / maxDepth). */
  maxDepth?: number;
  /** Samples used for the fit at most (taken at a regular stride): two unknowns need no more. */
  maxSamples?: number;
}

export interface InverseDepthFit {
  scale: number;
  shift: number;
  /** Valid reference pixels, and how many of those (after subsampling) the final fit kept. */
  samples: number;
  inliers: number;
  /** Root-mean-square inverse-depth residual over the inliers, 1/metres. */
  rmsResidual: number;
}

export interface AlignedDepth extends InverseDepthFit {
  /** Metres, one per pixel of the input. */
  depth: Float32Array;
}

const MIN_SAMPLES = 16;

/**
 * Fits scale and shift with 1 / referenceDepth ≈ scale * relativeInverse + shift over the pixels where
 * the mask (if any) is non-zero and the reference depth is finite and positive.
 */
export function fitInverseDepth(
  relativeInverse: Float32Array,
  referenceDepth: Float32Array,
  mask?: ArrayLike<number>,
  options: AlignOptions = {},
): InverseDepthFit {
  const keepFraction = options.keepFraction ?? 0.8;
  const maxIterations = options.maxIterations ?? 20;
  const maxSamples = options.maxSamples ?? 65536;
  if (relativeInverse.length !== referenceDepth.length) {
    throw new Error(`align: expected the relative and reference maps to have the same size, found ${relativeInverse.length} and ${referenceDepth.length} values`);
  }
  if (mask && mask.length !== relativeInverse.length) {
    throw new Error(`align: expected a mask of ${relativeInverse.length} values, found ${mask.length}`);
  }
  if (!(keepFraction > 0 && keepFraction <= 1)) throw new Error(`align: expected 0 < keepFraction <= 1, found ${keepFraction}`);

  const valid: number[] = [];
  for (let i = 0; i < relativeInverse.length; i++) {
    const d = referenceDepth[i];
    if ((!mask || mask[i]) && d > 0 && Number.isFinite(d) && Number.isFinite(relativeInverse[i])) valid.push(i);
  }
  if (valid.length < MIN_SAMPLES) throw new Error(`align: expected at least ${MIN_SAMPLES} pixels with a valid reference depth, found ${valid.length}`);
  const stride = Math.max(1, Math.ceil(valid.length / maxSamples));
  const n = Math.ceil(valid.length / stride);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = valid[k * stride];
    x[k] = relativeInverse[i];
    y[k] = 1 / referenceDepth[i];
  }

  let keep = new Uint8Array(n).fill(1);
  let line = leastSquares(x, y, keep);
  const residual = new Float64Array(n);
  const keepCount = Math.max(MIN_SAMPLES, Math.min(n, Math.round(keepFraction * n)));
  for (let iteration = 0; iteration < maxIterations && keepCount < n; iteration++) {
    for (let k = 0; k < n; k++) residual[k] = Math.abs(y[k] - (line.scale * x[k] + line.shift));
    const threshold = Float64Array.from(residual).sort()[keepCount - 1];
    const next = new Uint8Array(n);
    for (let k = 0; k < n; k++) next[k] = residual[k] <= threshold ? 1 : 0;
    const changed = next.some((v, k) => v !== keep[k]);
    keep = next;
    line = leastSquares(x, y, keep);
    if (!changed) break;
  }
  if (!(line.scale > 0)) {
    throw new Error(`align: expected relative inverse depth to grow as the reference depth shrinks (a positive scale), found scale ${line.scale.toPrecision(3)}`);
  }
  let sum = 0;
  let inliers = 0;
  for (let k = 0; k < n; k++) {
    if (!keep[k]) continue;
    const r = y[k] - (line.scale * x[k] + line.shift);
    sum += r * r;
    inliers++;
  }
  return { ...line, samples: valid.length, inliers, rmsResidual: Math.sqrt(sum / inliers) };
}

/** Least squares line y = scale * x + shift over the kept samples, on centred sums for precision. */
function leastSquares(x: Float64Array, y: Float64Array, keep: Uint8Array): { scale: number; shift: number } {
  let n = 0;
  let mx = 0;
  let my = 0;
  for (let k = 0; k < x.length; k++) {
    if (!keep[k]) continue;
    n++;
    mx += x[k];
    my += y[k];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < x.length; k++) {
    if (!keep[k]) continue;
    sxx += (x[k] - mx) * (x[k] - mx);
    sxy += (x[k] - mx) * (y[k] - my);
  }
  if (!(sxx > 1e-12 * n * (mx * mx + 1))) {
    throw new Error('align: expected the relative inverse depth to vary over the reference pixels, found it constant');
  }
  const scale = sxy / sxx;
  return { scale, shift: my - scale * mx };
}

/**
 * Metric depth (metres) from a relative inverse depth map, aligned to `referenceDepth` (metres, same
 * size) over the pixels where `mask` is non-zero (all pixels without a mask). Returns the depth with
 * the fit that produced it, so callers can judge it (inliers, rmsResidual).
 */
export function relativeInverseToMetric(
  relativeInverse: Float32Array,
  referenceDepth: Float32Array,
  mask?: ArrayLike<number>,
  options: AlignOptions = {},
): AlignedDepth {
  const fit = fitInverseDepth(relativeInverse, referenceDepth, mask, options);
  const maxDepth = options.maxDepth ?? Infinity;
  const minInverse = 1 / maxDepth;
  const depth = new Float32Array(relativeInverse.length);
  for (let i = 0; i < depth.length; i++) {
    const inverse = fit.scale * relativeInverse[i] + fit.shift;
    depth[i] = inverse > minInverse ? 1 / inverse : maxDepth;
  }
  return { ...fit, depth };
}

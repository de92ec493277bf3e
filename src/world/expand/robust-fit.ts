/**
 * Robust linear least squares for a handful of parameters: target ~ sum_j beta_j feature_j, by
 * iteratively reweighted least squares with Cauchy weights w = 1 / (1 + (r / c)^2), c = 2.385 x the
 * scale of the residuals (median absolute deviation x 1.4826): 95% efficiency on Gaussian noise, and
 * a far outlier (a completed pixel across a depth edge, a reflection) weighs almost nothing.
 */
export interface RobustFitOptions {
  iterations?: number;
  /**
   * added to the normal equations' diagonal as a pull of beta toward `prior`, scaled by the mean
   * weight (so downweighting outliers does not make the pull relatively stronger); default none
   */
  ridge?: number[];
  prior?: number[];
  /**
   * a starting beta (e.g. from a least-median search): the first weights come from its residuals
   * instead of from a plain least-squares fit, which far outliers with leverage can drag anywhere
   */
  start?: number[];
}

export interface RobustFit {
  beta: number[];
  /** robust scale of the final residuals (MAD x 1.4826) */
  scale: number;
}

/** `features` holds p values per sample (row-major), `targets` one per sample. Null when the system is singular. */
export function robustFit(features: Float64Array, targets: Float64Array, p: number, options: RobustFitOptions = {}): RobustFit | null {
  const n = targets.length;
  if (features.length !== n * p) throw new Error(`robust fit: expected ${n * p} feature values for ${n} samples of ${p}, found ${features.length}`);
  if (n === 0) return null;
  const weights = new Float64Array(n).fill(1);
  const residuals = new Float64Array(n);
  let beta: number[] | null = options.start ? [...options.start] : null;
  let scale = 0;
  for (let it = options.start ? -1 : 0; it <= (options.iterations ?? 6); it++) {
    if (it >= 0) {
      const next = weightedSolve(features, targets, weights, p, options.ridge, options.prior);
      if (!next) return beta ? { beta, scale } : null;
      beta = next;
    }
    beta = beta!;
    for (let s = 0; s < n; s++) {
      let fit = 0;
      for (let j = 0; j < p; j++) fit += beta[j] * features[s * p + j];
      residuals[s] = targets[s] - fit;
    }
    scale = 1.4826 * medianAbs(residuals);
    const c = 2.385 * scale;
    if (!(c > 0)) break; // an exact fit: nothing to reweight
    for (let s = 0; s < n; s++) weights[s] = 1 / (1 + (residuals[s] / c) ** 2);
  }
  return beta ? { beta, scale } : null;
}

function weightedSolve(f: Float64Array, t: Float64Array, w: Float64Array, p: number, ridge?: number[], prior?: number[]): number[] | null {
  const a = new Float64Array(p * p), b = new Float64Array(p);
  for (let s = 0; s < t.length; s++) {
    const ws = w[s];
    for (let i = 0; i < p; i++) {
      const fi = ws * f[s * p + i];
      b[i] += fi * t[s];
      for (let j = 0; j < p; j++) a[i * p + j] += fi * f[s * p + j];
    }
  }
  if (ridge) {
    let total = 0;
    for (let s = 0; s < t.length; s++) total += w[s];
    const m = total / t.length;
    for (let i = 0; i < p; i++) { a[i * p + i] += m * ridge[i]; b[i] += m * ridge[i] * (prior?.[i] ?? 0); }
  }
  return solveSmall(a, b, p);
}

/** Gaussian elimination with partial pivoting; null when a pivot vanishes relative to the matrix. */
function solveSmall(a: Float64Array, b: Float64Array, p: number): number[] | null {
  let norm = 0;
  for (const v of a) norm = Math.max(norm, Math.abs(v));
  if (!(norm > 0)) return null;
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r * p + col]) > Math.abs(a[pivot * p + col])) pivot = r;
    if (!(Math.abs(a[pivot * p + col]) > 1e-12 * norm)) return null;
    if (pivot !== col) {
      for (let j = 0; j < p; j++) [a[col * p + j], a[pivot * p + j]] = [a[pivot * p + j], a[col * p + j]];
      [b[col], b[pivot]] = [b[pivot], b[col]];
    }
    for (let r = col + 1; r < p; r++) {
      const m = a[r * p + col] / a[col * p + col];
      for (let j = col; j < p; j++) a[r * p + j] -= m * a[col * p + j];
      b[r] -= m * b[col];
    }
  }
  const x = new Array<number>(p).fill(0);
  for (let r = p - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < p; j++) s -= a[r * p + j] * x[j];
    x[r] = s / a[r * p + r];
  }
  return x;
}

/**
 * Least median of squares over `trials` candidate fits through p random samples each (seeded): the
 * candidate under which half the samples fit best. Robust to up to half the samples being outliers,
 * whatever their leverage; a start for robustFit. Candidates `accept` rejects are skipped (a
 * degenerate explanation can fit half the samples exactly). Null when no candidate was left.
 */
export function leastMedianStart(
  features: Float64Array, targets: Float64Array, p: number, trials: number, random: () => number,
  accept: (beta: number[]) => boolean = () => true,
): number[] | null {
  const n = targets.length;
  if (n < p) return null;
  const residuals = new Float64Array(n);
  let best: number[] | null = null, bestMedian = Infinity;
  const pickF = new Float64Array(p * p), pickT = new Float64Array(p), ones = new Float64Array(p).fill(1);
  const needBelow = n % 2 ? (n >> 1) + 1 : n >> 1;
  for (let trial = 0; trial < trials; trial++) {
    for (let j = 0; j < p; j++) {
      const s = Math.floor(random() * n);
      for (let c = 0; c < p; c++) pickF[j * p + c] = features[s * p + c];
      pickT[j] = targets[s];
    }
    const beta = weightedSolve(pickF, pickT, ones, p);
    if (!beta || !accept(beta)) continue;
    let below = 0; // residuals smaller than the best median so far
    for (let s = 0; s < n; s++) {
      let fit = 0;
      for (let j = 0; j < p; j++) fit += beta[j] * features[s * p + j];
      const r = targets[s] - fit;
      residuals[s] = r;
      if (Math.abs(r) < bestMedian) below++;
    }
    // The median is below the best only if more than half the residuals are (for an even count, at
    // least half: the mean of the two middle ones): most candidates are not, and need no selection.
    if (below < needBelow) continue;
    const median = medianAbs(residuals);
    if (median < bestMedian) { bestMedian = median; best = beta; }
  }
  return best;
}

/**
 * Median of |values| (the mean of the two middle ones for an even count), by selection rather than a
 * full sort: robustFit and leastMedianStart take it 70+ times per fit over up to 4096 residuals, and
 * sorting was half the time of a whole alignment. Exactly the sorted median (selection finds the
 * same order statistics); with a NaN among the values it falls back to sorting, whose NaN order is
 * what it always was.
 */
export function medianAbs(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const a = scratch;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v !== v) return sortedMedianAbs(values);
    a[i] = Math.abs(v);
  }
  const m = n >> 1;
  const upper = select(a, n, m);
  if (n % 2) return upper;
  // After selecting rank m, ranks 0..m-1 lie in a[0..m): the largest of them is rank m - 1.
  let lower = a[0];
  for (let i = 1; i < m; i++) if (a[i] > lower) lower = a[i];
  return 0.5 * (lower + upper);
}

let scratch = new Float64Array(4096);

/** Rearranges a[0..n) so a[k] is the value of rank k, smaller ones before it, larger after (Hoare's selection). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    // Median of three as the pivot: sorted or constant runs stay linear.
    const mid = (lo + hi) >> 1;
    let x = a[lo], y = a[mid], z = a[hi];
    if (x > y) { const t = x; x = y; y = t; }
    if (y > z) { y = z; if (x > y) y = x; }
    const pivot = y;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    // Now a[lo..j] <= pivot <= a[i..hi], and a[j+1..i-1] (if any) equal the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function sortedMedianAbs(values: Float64Array): number {
  const a = Float64Array.from(values, Math.abs).sort();
  const m = a.length >> 1;
  return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]);
}

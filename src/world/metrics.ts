/**
 * Image quality metrics for "does the photo come back": PSNR and SSIM between two images of the same
 * size, as float arrays in 0..1 (or any arrays with a stated peak), `channels` values per pixel.
 */

/** Peak signal-to-noise ratio in dB: 10 log10(peak^2 / MSE); Infinity for identical images. */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>, peak = 1): number {
  if (a.length !== b.length || a.length === 0) throw new Error(`psnr: expected two non-empty images of one size, found ${a.length} and ${b.length} values`);
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    se += d * d;
  }
  return 10 * Math.log10((peak * peak) / (se / a.length));
}

/**
 * Structural similarity (Wang et al. 2004) with the usual constants: 11x11 Gaussian window of std
 * 1.5 px, K1 = 0.01, K2 = 0.03, computed per channel over the pixels where the whole window fits
 * ("valid" region) and averaged over pixels and channels. 1 for identical images.
 */
export function ssim(a: ArrayLike<number>, b: ArrayLike<number>, width: number, height: number, channels: number, peak = 1): number {
  const n = width * height * channels;
  if (a.length !== n || b.length !== n) throw new Error(`ssim: expected ${n} values for ${width}x${height}x${channels}, found ${a.length} and ${b.length}`);
  const radius = 5;
  if (width <= 2 * radius || height <= 2 * radius) throw new Error(`ssim: expected an image larger than 11x11, found ${width}x${height}`);
  const window = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * 1.5 * 1.5)));
  const total = window.reduce((s, w) => s + w, 0);
  for (let i = 0; i < window.length; i++) window[i] /= total;
  const c1 = (0.01 * peak) ** 2, c2 = (0.03 * peak) ** 2;
  const plane = width * height;
  let sum = 0, count = 0;
  const x = new Float64Array(plane), y = new Float64Array(plane);
  for (let ch = 0; ch < channels; ch++) {
    for (let i = 0; i < plane; i++) { x[i] = a[i * channels + ch]; y[i] = b[i * channels + ch]; }
    const blur = (f: (i: number) => number) => gaussianValid(f, width, height, window, radius);
    const mx = blur((i) => x[i]), my = blur((i) => y[i]);
    const xx = blur((i) => x[i] * x[i]), yy = blur((i) => y[i] * y[i]), xy = blur((i) => x[i] * y[i]);
    for (let i = 0; i < mx.length; i++) {
      const vx = xx[i] - mx[i] * mx[i], vy = yy[i] - my[i] * my[i], cxy = xy[i] - mx[i] * my[i];
      sum += ((2 * mx[i] * my[i] + c1) * (2 * cxy + c2)) / ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
      count++;
    }
  }
  return sum / count;
}

/** Separable Gaussian filter of f over the valid region (output (width - 2r) x (height - 2r)). */
function gaussianValid(f: (i: number) => number, width: number, height: number, window: number[], radius: number): Float64Array {
  const ow = width - 2 * radius, oh = height - 2 * radius;
  const rows = new Float64Array(ow * height);
  for (let yy = 0; yy < height; yy++) {
    for (let xx = 0; xx < ow; xx++) {
      let s = 0;
      for (let k = 0; k < window.length; k++) s += window[k] * f(yy * width + xx + k);
      rows[yy * ow + xx] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let yy = 0; yy < oh; yy++) {
    for (let xx = 0; xx < ow; xx++) {
      let s = 0;
      for (let k = 0; k < window.length; k++) s += window[k] * rows[(yy + k) * ow + xx];
      out[yy * ow + xx] = s;
    }
  }
  return out;
}

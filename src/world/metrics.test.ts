import assert from 'node:assert/strict';
import { test } from 'node:test';
import { psnr, ssim } from './metrics.ts';

const close = (a: number, b: number, eps: number, what: string) => assert.ok(Math.abs(a - b) <= eps, `${what}: ${a} vs ${b}`);

test('psnr: a constant error e gives 10 log10(1 / e^2); identical images give Infinity', () => {
  const a = new Float32Array(300).fill(0.5);
  const b = a.map((v) => v + 0.1);
  close(psnr(a, b), 20, 1e-5, 'e = 0.1');
  // Half the values off by 0.2: MSE = 0.02 -> 16.99 dB.
  const c = a.map((v, i) => (i % 2 ? v + 0.2 : v));
  close(psnr(a, c), 10 * Math.log10(1 / 0.02), 1e-4, 'half off by 0.2');
  close(psnr([0, 255], [255, 255], 255), 10 * Math.log10(2), 1e-9, '8-bit peak');
  assert.equal(psnr(a, a), Infinity);
  assert.throws(() => psnr(a, a.subarray(1)), /psnr: expected two non-empty images of one size, found 300 and 299 values/);
});

test('ssim: 1 for identical images; constant images give the luminance term alone', () => {
  const w = 24, h = 20;
  const img = Float32Array.from({ length: w * h * 3 }, (_, i) => 0.5 + 0.4 * Math.sin(i * 0.37));
  close(ssim(img, img, w, h, 3), 1, 1e-9, 'identical');
  // Constant images: variances and covariance are 0, so SSIM = (2 m1 m2 + C1) / (m1^2 + m2^2 + C1).
  const c1 = 1e-4;
  const a = new Float32Array(w * h).fill(0.3), b = new Float32Array(w * h).fill(0.6);
  close(ssim(a, b, w, h, 1), (2 * 0.3 * 0.6 + c1) / (0.09 + 0.36 + c1), 1e-9, 'constants');
});

test('ssim: equals a direct window-by-window evaluation; anti-correlated stripes score near -1', () => {
  // Stripes of period 2 and their negative about mid-grey; the truth is the definition evaluated
  // with explicit 11x11 windows at every valid pixel (no separable filtering).
  const w = 16, h = 16, m = 0.5, amp = 0.2;
  const x = new Float32Array(w * h), y = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) { const s = (i % w) % 2 ? amp : -amp; x[i] = m + s; y[i] = m - s; }
  // Direct SSIM over the valid region, windows built explicitly (no separable trick).
  const g = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / 4.5));
  const gs = g.reduce((a, b) => a + b, 0);
  let sum = 0, count = 0;
  for (let cy = 5; cy < h - 5; cy++) for (let cx = 5; cx < w - 5; cx++) {
    let mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    for (let j = 0; j < 11; j++) for (let i = 0; i < 11; i++) {
      const wt = (g[i] * g[j]) / (gs * gs), p = (cy + j - 5) * w + cx + i - 5;
      mx += wt * x[p]; my += wt * y[p]; sxx += wt * x[p] ** 2; syy += wt * y[p] ** 2; sxy += wt * x[p] * y[p];
    }
    const vx = sxx - mx * mx, vy = syy - my * my, cxy = sxy - mx * my;
    sum += ((2 * mx * my + 1e-4) * (2 * cxy + 9e-4)) / ((mx * mx + my * my + 1e-4) * (vx + vy + 9e-4));
    count++;
  }
  close(ssim(x, y, w, h, 1), sum / count, 1e-9, 'direct');
  assert.ok(sum / count < -0.9, `anti-correlated images have SSIM near -1, found ${sum / count}`);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import { ringAround } from './ring.ts';
import { medianAbs, robustFit } from './robust-fit.ts';

test('robust fit: a line under small noise and 30% wild outliers comes back', () => {
  const random = seededRandom(7);
  const n = 2000, features = new Float64Array(2 * n), targets = new Float64Array(n);
  for (let s = 0; s < n; s++) {
    const a = 0.1 + random();
    features.set([a, 1], 2 * s);
    targets[s] = 1.7 * a - 0.25 + 0.002 * (random() - 0.5) + (random() < 0.3 ? 5 * random() : 0);
  }
  const fit = robustFit(features, targets, 2)!;
  assert.ok(Math.abs(fit.beta[0] - 1.7) < 0.01 && Math.abs(fit.beta[1] + 0.25) < 0.01, `beta ${fit.beta}`);
  // Plain least squares is pulled far off by the same outliers (so the test can tell them apart).
  const plain = robustFit(features, targets, 2, { iterations: 0 })!;
  assert.ok(Math.abs(plain.beta[1] + 0.25) > 0.3, `least squares ${plain.beta}`);
});

test('robust fit: a singular system is null, a ridge makes it solvable at the prior', () => {
  const features = new Float64Array([1, 1, 1, 1, 1, 1]), targets = new Float64Array([2, 2, 2]);
  assert.equal(robustFit(features, targets, 2), null);
  const fit = robustFit(features, targets, 2, { ridge: [1e-3, 0], prior: [0, 0] })!;
  assert.ok(Math.abs(fit.beta[0]) < 1e-2 && Math.abs(fit.beta[1] - 2) < 1e-2, `beta ${fit.beta}`);
});

test('ring: known pixels within the radius (Chebyshev) of a hole pixel, as counted one by one', () => {
  const random = seededRandom(3);
  const w = 37, h = 23, r = 3;
  const mask = Uint8Array.from({ length: w * h }, () => (random() < 0.02 ? 1 : 0));
  const ring = ringAround(mask, w, h, r);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let near = 0;
      for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) {
        const xx = x + dx, yy = y + dy;
        if (xx >= 0 && yy >= 0 && xx < w && yy < h && mask[yy * w + xx]) near = 1;
      }
      assert.equal(ring[y * w + x], mask[y * w + x] ? 0 : near, `(${x}, ${y})`);
    }
  }
});

test('medianAbs: the same value as sorting |values|, for odd and even counts, ties, runs and NaN', () => {
  const random = seededRandom(11);
  const sorted = (v: Float64Array) => { const a = Float64Array.from(v, Math.abs).sort(); const m = a.length >> 1; return a.length % 2 ? a[m] : 0.5 * (a[m - 1] + a[m]); };
  const cases: Float64Array[] = [new Float64Array([3]), new Float64Array([-2, 1]), new Float64Array(5000).fill(-0.25)];
  for (const n of [2, 3, 4, 7, 64, 1001, 4096, 9000]) {
    cases.push(Float64Array.from({ length: n }, () => (random() - 0.5) * 10));
    cases.push(Float64Array.from({ length: n }, () => Math.round((random() - 0.5) * 6))); // many ties
    cases.push(Float64Array.from({ length: n }, (_, i) => n - i)); // a sorted run, descending
  }
  cases.push(new Float64Array([1, NaN, 2, 5]));
  for (const c of cases) assert.ok(Object.is(medianAbs(c), sorted(c)) || (Number.isNaN(medianAbs(c)) && Number.isNaN(sorted(c))), `n ${c.length}: ${medianAbs(c)} vs ${sorted(c)}`);
  assert.ok(Number.isNaN(medianAbs(new Float64Array(0))));
});

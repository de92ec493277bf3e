import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import { ringAround } from './ring.ts';
import { leastMedianStart, medianAbs, robustFit } from './robust-fit.ts';

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

test('leastMedianStart: the candidate a median taken of every candidate picks, for odd and even counts, ties and NaN', () => {
  // The search as written out plainly: every accepted candidate's median of |residuals|, the least wins.
  const plain = (features: Float64Array, targets: Float64Array, trials: number, random: () => number, accept: (b: number[]) => boolean) => {
    const n = targets.length;
    let best: number[] | null = null, bestMedian = Infinity;
    for (let t = 0; t < trials; t++) {
      const s0 = Math.floor(random() * n), s1 = Math.floor(random() * n);
      const [a0, a1, b0, b1] = [features[2 * s0], features[2 * s0 + 1], features[2 * s1], features[2 * s1 + 1]];
      const beta = solve2(a0, a1, b0, b1, targets[s0], targets[s1]);
      if (!beta || !accept(beta)) continue;
      const abs = Float64Array.from(targets, (y, s) => Math.abs(y - (0 + beta[0] * features[2 * s] + beta[1] * features[2 * s + 1]))).sort();
      const m = n >> 1, median = n % 2 ? abs[m] : 0.5 * (abs[m - 1] + abs[m]);
      if (median < bestMedian) { bestMedian = median; best = beta; }
    }
    return best;
  };
  // The 2x2 normal equations as weightedSolve forms them (unit weights) and eliminates them.
  const solve2 = (a0: number, a1: number, b0: number, b1: number, t0: number, t1: number): number[] | null => {
    const m = [0 + a0 * a0 + b0 * b0, 0 + a0 * a1 + b0 * b1, 0 + a1 * a0 + b1 * b0, 0 + a1 * a1 + b1 * b1];
    const r = [0 + a0 * t0 + b0 * t1, 0 + a1 * t0 + b1 * t1];
    const norm = Math.max(...m.map(Math.abs));
    if (!(norm > 0)) return null;
    if (Math.abs(m[2]) > Math.abs(m[0])) { [m[0], m[1], m[2], m[3]] = [m[2], m[3], m[0], m[1]]; [r[0], r[1]] = [r[1], r[0]]; }
    if (!(Math.abs(m[0]) > 1e-12 * norm)) return null;
    const f = m[2] / m[0];
    m[3] -= f * m[1]; r[1] -= f * r[0];
    if (!(Math.abs(m[3]) > 1e-12 * norm)) return null;
    const x1 = r[1] / m[3];
    return [(r[0] - m[1] * x1) / m[0], x1];
  };
  let compared = 0;
  for (const n of [1, 2, 3, 40, 41, 999, 1000, 4096]) {
    for (const kind of ['noise', 'ties', 'nan']) {
      const random = seededRandom(n + kind.length);
      const features = new Float64Array(2 * n), targets = new Float64Array(n);
      for (let s = 0; s < n; s++) {
        const a = kind === 'ties' ? Math.round(4 * random()) / 4 : 0.1 + random();
        features[2 * s] = a; features[2 * s + 1] = 1;
        targets[s] = 1.3 * a + 0.2 + (random() < 0.3 ? 3 * random() : 0.01 * (random() - 0.5));
        if (kind === 'nan' && random() < 0.01) targets[s] = NaN;
      }
      const accept = (b: number[]) => b[0] > 0.2;
      const got = leastMedianStart(features, targets, 2, 64, seededRandom(5), accept);
      const want = plain(features, targets, 64, seededRandom(5), accept);
      assert.deepEqual(got, want, `n ${n}, ${kind}`);
      if (want) compared++;
    }
  }
  assert.ok(compared >= 15, `only ${compared} searches found a candidate`);
});

/**
 * inputViewColours runs its steps in one fused pass down the picture (steps in flight a few rows
 * apart). Checked here against the definition written out plainly: W built whole (inputViewWeights),
 * then each step c <- clamp(c - size / colsum * W^T (W c - target)) over all splats at once (size 1.4,
 * or 1.1, 2.9, 1.6 when there are 3 steps), with the
 * gradient formed from W c by applyWeights and W^T by scattering. Random depths with ties, translucent
 * splats, both sigma classes, and pictures thinner than the 2-row reach, so the rows at the borders
 * and the overlap of the steps in flight are exercised. Both ways of stepping: the WebAssembly SIMD
 * kernel (the default) and the JavaScript loops.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colourStepsKernel, colourStepsModuleBytes } from './colour-steps-simd.ts';
import { applyWeights, inputViewColours, inputViewWeights, type InputViewSplats } from './input-view-colours.ts';
import { randomInputView } from './random-input-view.ts';

function plainSteps(splats: InputViewSplats, target: Float32Array, iterations: number, maxColour: number): Float32Array {
  const w = inputViewWeights(splats);
  const c = Float32Array.from(target), rendered = new Float32Array(c.length), gradient = new Float32Array(c.length);
  for (let it = 0; it < iterations; it++) {
    applyWeights(w, c, rendered);
    gradient.fill(0);
    for (let p = 0; p + 1 < w.start.length; p++) {
      for (let e = w.start[p]; e < w.start[p + 1]; e++) {
        for (let ch = 0; ch < 3; ch++) gradient[3 * w.splat[e] + ch] += w.weight[e] * (rendered[3 * p + ch] - target[3 * p + ch]);
      }
    }
    for (let q = 0; q < w.columnSum.length; q++) {
      const size = iterations === 3 ? [1.1, 2.9, 1.6][it] : 1.4;
      const step = w.columnSum[q] > 1e-6 ? size / w.columnSum[q] : 0;
      for (let ch = 0; ch < 3; ch++) c[3 * q + ch] = Math.min(maxColour, Math.max(0, c[3 * q + ch] - step * gradient[3 * q + ch]));
    }
  }
  return c;
}

for (const simd of [true, false]) test(`the fused pass (${simd ? 'WebAssembly SIMD' : 'JavaScript'} steps) gives the colours of whole-W Jacobi steps`, () => {
  let worst = 0;
  for (const [width, height, iterations] of [[37, 29, 4], [16, 3, 3], [5, 1, 2], [1, 7, 4], [23, 9, 1]]) {
    const { splats, target } = randomInputView(width, height, width * 131 + height);
    const fused = inputViewColours(splats, target, { iterations, maxColour: 1.25, simd });
    const plain = plainSteps(splats, target, iterations, 1.25);
    let moved = 0;
    for (let i = 0; i < fused.length; i++) {
      worst = Math.max(worst, Math.abs(fused[i] - plain[i]));
      moved = Math.max(moved, Math.abs(plain[i] - target[i]));
    }
    assert.ok(moved > 0.05, `${width}x${height}: the steps moved the colours by ${moved} at most`);
  }
  // Float32 storage of the gradient in one (and float32 sums in the SIMD steps), float64 sums in the
  // other: rounding apart only.
  assert.ok(worst < 1e-5, `fused and plain differ by ${worst}`);
});

test('the SIMD module is valid WebAssembly where SIMD is (Node 20 has it)', () => {
  assert.ok(WebAssembly.validate(colourStepsModuleBytes()), 'the written module does not validate');
  assert.ok(colourStepsKernel(1 << 20), 'the kernel does not instantiate, so inputViewColours steps in JavaScript');
});

test('colours written over their own target (out = target, as lift does) equal the colours into a new array', () => {
  for (const simd of [true, false]) {
    for (const iterations of [0, 3]) {
      const { splats, target } = randomInputView(19, 11, 7);
      const fresh = inputViewColours(splats, target, { iterations, simd });
      const same = Float32Array.from(target);
      assert.equal(inputViewColours(splats, same, { iterations, simd, out: same }), same);
      assert.deepEqual(same, fresh, `simd ${simd}, ${iterations} steps`);
      if (iterations > 0) assert.notDeepEqual(same, target);
    }
  }
});

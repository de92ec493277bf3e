/**
 * InputViewSplats.solve (expansion's lift solves only near its kept pixels): the colours of a region's
 * splats, solved with `solve` = the region's colour reach (colour-reach.ts), are those of solving every
 * pixel, byte for byte, in the SIMD steps and in the JavaScript ones; a splat outside keeps its target.
 * A reach one step short changes them at 3 steps (so the comparison can fail; at 4 steps the farthest
 * contributions happen to round away here).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { colourReach } from './colour-reach.ts';
import { inputViewColours } from './input-view-colours.ts';
import { randomInputView } from './random-input-view.ts';

const W = 90, H = 70;
// A disc, a lone pixel and a strip along the right edge: runs of every length, the picture's edge.
const region = Uint8Array.from({ length: W * H }, (_, i) => {
  const x = i % W, y = Math.floor(i / W);
  return (x - 30) ** 2 + (y - 30) ** 2 < 10 ** 2 || (x === 70 && y === 12) || x >= 86 ? 1 : 0;
});
const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const pick = (a: Float32Array, mask: Uint8Array) => Float32Array.from({ length: a.length }, (_, j) => (mask[Math.floor(j / 3)] ? a[j] : 0));

for (const simd of [true, false]) {
  test(`solve = the colour reach of a region gives the region's colours of the whole solve, byte for byte (${simd ? 'SIMD' : 'JavaScript'} steps)`, () => {
    const { splats, target } = randomInputView(W, H, 11, 0.97);
    for (const iterations of [3, 4]) {
      const whole = inputViewColours(splats, target, { iterations, simd });
      const solve = colourReach(region, W, H, iterations);
      const part = inputViewColours({ ...splats, solve }, target, { iterations, simd });
      assert.deepEqual(bytes(pick(part, region)), bytes(pick(whole, region)), `${iterations} steps`);
      const outside = Uint8Array.from(solve, (s) => 1 - s);
      assert.deepEqual(bytes(pick(part, outside)), bytes(pick(target, outside)), `${iterations} steps: outside keeps the target`);
      if (iterations !== 3) continue;
      const short = inputViewColours({ ...splats, solve: colourReach(region, W, H, iterations - 1) }, target, { iterations, simd });
      assert.notDeepEqual(bytes(pick(short, region)), bytes(pick(whole, region)), `${iterations} steps, a reach one step short`);
    }
    assert.throws(() => inputViewColours({ ...splats, solve: new Uint8Array(3) }, target, { simd }), /^Error: colours: expected solve as one value per pixel of 90x70, found 3$/);
  });
}

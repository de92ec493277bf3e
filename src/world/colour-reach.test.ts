/** colourReach against the definition: every pixel within Chebyshev distance 4k of a marked pixel. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { colourReach } from './colour-reach.ts';

test('colourReach marks exactly the pixels within 4 px per step (Chebyshev) of a marked pixel, the edges of the picture included', () => {
  const W = 37, H = 29, random = seededRandom(3);
  const mask = Uint8Array.from({ length: W * H }, () => (random() < 0.004 ? 1 : 0));
  mask[0] = 1; mask[W * H - 1] = 1;
  for (const steps of [0, 1, 3]) {
    const r = 4 * steps;
    const expected = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      for (let v = Math.max(0, y - r); v <= Math.min(H - 1, y + r); v++) for (let u = Math.max(0, x - r); u <= Math.min(W - 1, x + r); u++) if (mask[v * W + u]) expected[y * W + x] = 1;
    }
    assert.deepEqual(colourReach(mask, W, H, steps), expected, `${steps} steps`);
  }
  assert.throws(() => colourReach(new Uint8Array(5), W, H, 3), /^Error: colour reach: expected 1073 mask values for 37x29, found 5$/);
});

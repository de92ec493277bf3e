import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expNonPositive } from './exp.ts';

test('expNonPositive agrees with Math.exp to a few ulp over the range the rasterizer uses and beyond', () => {
  let worst = 0, worstPositive = 0;
  for (let i = 0; i <= 400000; i++) {
    const x = -20 + (i / 400000) * 20.03; // -20 .. 0.03
    const err = Math.abs(expNonPositive(x) - Math.exp(x)) / Math.exp(x);
    if (x <= 0) worst = Math.max(worst, err);
    else worstPositive = Math.max(worstPositive, err);
  }
  assert.ok(worst < 1e-15, `worst relative error ${worst}`);
  // Slightly positive arguments (rounding noise at a splat's centre) are still accurate.
  assert.ok(worstPositive < 1e-14, `worst relative error above 0: ${worstPositive}`);
  assert.equal(expNonPositive(0), 1);
  assert.equal(expNonPositive(-800), 0);
  assert.ok(Number.isNaN(expNonPositive(NaN)));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { areaDownsample } from './resample.ts';

test('areaDownsample to the same size gives each value back as float32, as the weighted sums did (-0 as 0)', () => {
  const data = Float64Array.from([0.1, -0, 3, 1e-40, 255, -2.5, 1 / 3, 7, 0.7, 1e6, -0, 42]);
  const out = areaDownsample(data, 2, 2, 3, 2, 2);
  assert.equal(out.length, data.length);
  // The sums start from 0 and add the one weight-1 term: 0 + -0 is 0.
  for (let i = 0; i < data.length; i++) assert.ok(Object.is(out[i], Math.fround(data[i]) + 0), `value ${i}: ${out[i]} for ${data[i]}`);
  // And the shrinking path still averages (2x2 -> 1x1).
  assert.deepEqual([...areaDownsample(Uint8Array.from([0, 10, 20, 30]), 2, 2, 1, 1, 1)], [15]);
});

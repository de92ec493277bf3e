import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { sortByKey } from './sort.ts';

test('sortByKey orders non-negative floats like a stable comparison sort', () => {
  const rand = seededRandom(7);
  for (const n of [0, 1, 2, 17, 5000]) {
    const keys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      // A wide range of magnitudes, exact zeros, and many ties.
      const r = rand();
      keys[i] = r < 0.1 ? 0 : r < 0.3 ? Math.floor(rand() * 10) : Math.exp(rand() * 40 - 20);
    }
    const copy = keys.slice();
    const order = sortByKey(keys);
    assert.deepEqual(keys, copy, 'the keys are left as they were');
    // Truth: Array.prototype.sort, stable since ES2019.
    const expected = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
    assert.deepEqual([...order], expected, `n = ${n}`);
  }
});

test('sortByKey sorts only the first count keys', () => {
  const keys = new Float32Array([3, 1, 2, 0, 0]);
  assert.deepEqual([...sortByKey(keys, 3)], [1, 2, 0]);
  assert.throws(() => sortByKey(keys, 6), /count <= 5/);
});

test('keys that differ in their high bits only, and a subarray view, sort correctly', () => {
  const backing = new Float32Array([9, 1e30, 1e-30, 65536, 1, 2 ** -126, 9]);
  const keys = backing.subarray(1, 6); // 1e30, 1e-30, 65536, 1, 2^-126
  assert.deepEqual([...sortByKey(keys)], [4, 1, 3, 2, 0]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { touchMotion } from './touch-gesture.ts';

test('one finger looks, two fingers pan by their centroid and pinch by their spread', () => {
  assert.deepEqual(touchMotion([{ id: 1, x: 10, y: 10 }], [{ id: 1, x: 15, y: 7 }]).look, [5, -3]);
  const two = touchMotion(
    [{ id: 1, x: 0, y: 0 }, { id: 2, x: 100, y: 0 }],
    [{ id: 1, x: -10, y: 20 }, { id: 2, x: 130, y: 20 }],
  );
  assert.deepEqual(two.pan, [10, 20]);
  assert.equal(two.pinch, 40);
  assert.deepEqual(two.look, [0, 0]);
});

test('a finger added or lifted gives no motion (no jump)', () => {
  const m = touchMotion([{ id: 1, x: 0, y: 0 }], [{ id: 1, x: 50, y: 0 }, { id: 2, x: 0, y: 0 }]);
  assert.deepEqual(m, { look: [0, 0], pan: [0, 0], pinch: 0 });
});

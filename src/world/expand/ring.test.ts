import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distanceToKnown } from './ring.ts';

test('distanceToKnown: chamfer and capped chessboard distances from one known pixel (closed form)', () => {
  const w = 5, h = 5, mask = new Uint8Array(w * h).fill(1);
  mask[2 * w + 2] = 0; // the centre is known
  const chamfer = distanceToKnown(mask, w, h);
  const at = (d: Float32Array, x: number, y: number) => d[y * w + x];
  assert.equal(at(chamfer, 2, 2), 0);
  assert.equal(at(chamfer, 2, 0), 2); // two straight steps
  assert.ok(Math.abs(at(chamfer, 0, 0) - 2 * Math.SQRT2) < 1e-6); // two diagonal steps
  assert.ok(Math.abs(at(chamfer, 0, 1) - (1 + Math.SQRT2)) < 1e-6); // one of each
  const chessboard = distanceToKnown(mask, w, h, 1, 1.5);
  assert.equal(at(chessboard, 1, 1), 1);
  assert.equal(at(chessboard, 3, 2), 1);
  assert.equal(at(chessboard, 0, 0), 1.5); // 2 away, counted up to the cap
  assert.equal(at(chessboard, 4, 1), 1.5);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quatFromAxisAngle, quatToMat3 } from './quat.ts';
import { seededRandom } from './random.ts';
import { symmetricEigen3 } from './sym3-eigen.ts';

/** R diag(values) R^T as [xx, xy, xz, yy, yz, zz], R row-major. */
function compose(R: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const e = (a: number, b: number) => R[3 * a] * R[3 * b] * values[0] + R[3 * a + 1] * R[3 * b + 1] * values[1] + R[3 * a + 2] * R[3 * b + 2] * values[2];
  return [e(0, 0), e(0, 1), e(0, 2), e(1, 1), e(1, 2), e(2, 2)];
}

function check(m: number[], expected: number[] | null, start?: ArrayLike<number>) {
  const values = new Float64Array(3), vectors = new Float64Array(9);
  symmetricEigen3(m[0], m[1], m[2], m[3], m[4], m[5], values, vectors, start);
  const scale = Math.abs(m[0]) + Math.abs(m[3]) + Math.abs(m[5]);
  // Orthonormal columns, determinant +1.
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      const dot = vectors[a] * vectors[b] + vectors[3 + a] * vectors[3 + b] + vectors[6 + a] * vectors[6 + b];
      assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-12, `columns ${a}, ${b}: ${dot}`);
    }
  }
  const v = vectors;
  const det = v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6]);
  assert.ok(Math.abs(det - 1) < 1e-12, `determinant ${det}`);
  // V diag V^T gives the matrix back.
  const back = compose(vectors, values);
  for (let i = 0; i < 6; i++) assert.ok(Math.abs(back[i] - m[i]) <= 1e-12 * scale, `entry ${i}: ${back[i]} vs ${m[i]}`);
  if (expected) {
    const got = [...values].sort((a, b) => a - b), want = [...expected].sort((a, b) => a - b);
    // Each eigenvalue to its own relative precision, the smallest (a flat splat's) included.
    for (let i = 0; i < 3; i++) assert.ok(Math.abs(got[i] - want[i]) <= 1e-9 * Math.abs(want[i]) + 1e-15 * scale, `eigenvalue ${i}: ${got[i]} vs ${want[i]}`);
  }
}

test('symmetricEigen3: matrices made from known eigenpairs (flat, repeated, diagonal, zero) come apart into them', () => {
  const random = seededRandom(11);
  for (let n = 0; n < 300; n++) {
    const axis: [number, number, number] = [random() - 0.5, random() - 0.5, random() - 0.5];
    const R = quatToMat3(quatFromAxisAngle(axis, 6 * random()));
    const kind = n % 5;
    const values = kind === 0 ? [1e-4 * random(), 1 + random(), 2 + random()] // a flat splat
      : kind === 1 ? [0.5, 0.5, 0.001] // a round disc: two equal
      : kind === 2 ? [3, 3, 3] // a ball: any axes
      : kind === 3 ? [random(), random(), random()]
      : [0, 1e-3 * random(), 1e-3 * random()];
    check(compose(R, values), values);
  }
  check([2, 0, 0, 5, 0, 1e-6], [2, 5, 1e-6]);
  check([0, 0, 0, 0, 0, 0], [0, 0, 0]);
});

test('symmetricEigen3: a start guess (near or far from the answer) gives the same decomposition', () => {
  const random = seededRandom(5);
  for (let n = 0; n < 100; n++) {
    const q = quatFromAxisAngle([random() - 0.5, random() - 0.5, random() - 0.5], 6 * random());
    const R = quatToMat3(q);
    const values = [1e-3 * random(), 1 + random(), 1 + random()];
    const near = quatToMat3(quatFromAxisAngle([random() - 0.5, random() - 0.5, random() - 0.5], 0.2));
    const start = n % 2 === 0 ? R.map((_, i) => R[i]) : quatToMat3(quatFromAxisAngle([random(), random(), random() - 0.5], 3));
    // near: R rotated a little
    const nudged = Array.from({ length: 9 }, (_, i) => {
      const r = Math.floor(i / 3), c = i % 3;
      return near[3 * r] * start[c] + near[3 * r + 1] * start[3 + c] + near[3 * r + 2] * start[6 + c];
    });
    check(compose(R, values), values, nudged);
  }
});

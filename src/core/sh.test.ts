import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quatFromAxisAngle, quatToMat3 } from './quat.ts';
import { shBasisRest, shRestCount, shRotation } from './sh.ts';

test('a flip of Y and Z (OpenCV <-> program axes) changes SH signs by each basis function parity', () => {
  // Basis functions odd under (x,y,z) -> (x,-y,-z) change sign; even ones keep it (worked out by hand
  // from the polynomial of each function).
  const expected = [-1, -1, 1, -1, 1, 1, -1, 1, -1, 1, -1, -1, 1, -1, 1];
  const m = shRotation(3, [1, 0, 0, 0, -1, 0, 0, 0, -1]);
  for (let i = 0; i < 15; i++) {
    for (let j = 0; j < 15; j++) {
      const want = i === j ? expected[i] : 0;
      assert.ok(Math.abs(m[i * 15 + j] - want) < 1e-9, `M[${i}][${j}] = ${m[i * 15 + j]}, expected ${want}`);
    }
  }
});

test('rotated coefficients reproduce the original radiance in the rotated direction', () => {
  const r = quatToMat3(quatFromAxisAngle([0.3, 1, -0.4], 1.1));
  const n = shRestCount(3);
  const c = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3));
  const m = shRotation(3, r);
  const rotated = Array.from({ length: n }, (_, i) => c.reduce((s, cj, j) => s + m[i * n + j] * cj, 0));
  const b = new Float64Array(n);
  for (const d of [[0, 0, 1], [0.6, 0.8, 0], [-0.36, 0.48, 0.8]]) {
    shBasisRest(3, d[0], d[1], d[2], b);
    const before = c.reduce((s, cj, j) => s + cj * b[j], 0);
    const rd = [r[0] * d[0] + r[1] * d[1] + r[2] * d[2], r[3] * d[0] + r[4] * d[1] + r[5] * d[2], r[6] * d[0] + r[7] * d[1] + r[8] * d[2]];
    shBasisRest(3, rd[0], rd[1], rd[2], b);
    const after = rotated.reduce((s, cj, j) => s + cj * b[j], 0);
    assert.ok(Math.abs(before - after) < 1e-9, `${before} vs ${after}`);
  }
});

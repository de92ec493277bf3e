import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Mat3, multiply3 } from '../core/mat3.ts';
import { type Quat, quatFromAxisAngle, quatToMat3 } from '../core/quat.ts';
import { randomCloud } from '../core/random.ts';
import { type ShDegree, shRestCount, shRotation } from '../core/sh.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { SH_REST_PARITY, quatFromFileAxes, quatToFileAxes } from './opencv-axes.ts';
import { readPly } from './ply-reader.ts';
import { writePly } from './ply-writer.ts';

const FLIP: Mat3 = [1, 0, 0, 0, -1, 0, 0, 0, -1];

test('the SH parity table is shRotation of the Y/Z flip (diagonal, signs only)', () => {
  const m = shRotation(3, FLIP);
  for (let i = 0; i < 15; i++) {
    for (let j = 0; j < 15; j++) assert.ok(Math.abs(m[i * 15 + j] - (i === j ? SH_REST_PARITY[i] : 0)) < 1e-9, `M[${i}][${j}]`);
  }
});

test('quaternions: the file rotation matrix is FLIP * ours, and the two maps invert each other exactly', () => {
  const out: number[] = [0, 0, 0, 0];
  const back: number[] = [0, 0, 0, 0];
  for (const [axis, angle] of [[[0.2, 1, -0.5], 0.7], [[1, 0, 0], 2], [[0, 0, 1], -1.2]] as const) {
    const q = quatFromAxisAngle([...axis], angle);
    quatToFileAxes(q[0], q[1], q[2], q[3], out);
    const want = multiply3(FLIP, quatToMat3(q));
    quatToMat3(out as Quat).forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `R[${i}]`));
    quatFromFileAxes(out[0], out[1], out[2], out[3], back);
    assert.deepEqual(back, [...q]);
  }
});

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what} length`);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

test('write then read gives back the original cloud, at every SH degree', () => {
  for (const degree of [0, 1, 2, 3] as const) {
    const c = randomCloud(300, 10 + degree, degree);
    const r = readPly(writePly(c));
    assert.equal(r.shDegree, degree);
    assert.deepEqual(r.positions, c.positions); // negation is exact
    assertClose(r.colors, c.colors, 1e-6, 'colors');
    assertClose(r.opacities, c.opacities, 1e-5, 'opacities');
    assertClose(r.scales, c.scales, 1e-6, 'scales');
    assertClose(r.rotations, c.rotations, 1e-6, 'rotations');
    if (degree > 0) assert.deepEqual(r.sh, c.sh); // sign flips are exact
  }
});

/**
 * The raw values of our own file read with no axis change at all (only the unit encodings undone),
 * by offsets of the reference record layout. This is the cloud "as the file sees it".
 */
function rawFileCloud(bytes: Uint8Array, count: number, degree: ShDegree): SplatCloud {
  const headerLength = bytes.length - count * 248;
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerLength);
  const f = (i: number, k: number) => view.getFloat32((i * 62 + k) * 4, true);
  const c = SplatCloud.create(count, degree);
  const k = shRestCount(degree);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < 3; a++) {
      c.positions[i * 3 + a] = f(i, a);
      c.colors[i * 3 + a] = 0.5 + 0.28209479177387814 * f(i, 6 + a);
      c.scales[i * 3 + a] = Math.exp(f(i, 55 + a));
    }
    c.opacities[i] = 1 / (1 + Math.exp(-f(i, 54)));
    const q = [f(i, 58), f(i, 59), f(i, 60), f(i, 61)];
    const len = Math.hypot(...q);
    c.rotations.set(q.map((v) => v / len), i * 4);
    for (let coef = 0; coef < k; coef++) for (let ch = 0; ch < 3; ch++) c.sh![(i * k + coef) * 3 + ch] = f(i, 9 + ch * 15 + coef);
  }
  return c;
}

test('reading equals SplatCloud.transform by 180 degrees about X applied to the raw file values', () => {
  const count = 200;
  const file = writePly(randomCloud(count, 99, 3));
  const expected = rawFileCloud(file, count, 3).transform({ rotation: quatFromAxisAngle([1, 0, 0], Math.PI) });
  const read = readPly(file);
  assertClose(read.positions, expected.positions, 1e-6, 'positions');
  assertClose(read.scales, expected.scales, 1e-6, 'scales');
  assertClose(read.colors, expected.colors, 1e-6, 'colors');
  assertClose(read.opacities, expected.opacities, 1e-6, 'opacities');
  assertClose(read.sh!, expected.sh!, 1e-5, 'sh');
  // A quaternion and its negation are the same rotation.
  for (let i = 0; i < count; i++) {
    const a = read.rotations.subarray(i * 4, i * 4 + 4);
    const b = expected.rotations.subarray(i * 4, i * 4 + 4);
    const sign = a[0] * b[0] + a[1] * b[1] + a[2] * b[2] + a[3] * b[3] < 0 ? -1 : 1;
    for (let j = 0; j < 4; j++) assert.ok(Math.abs(a[j] - sign * b[j]) < 1e-6, `rotation ${i}`);
  }
});

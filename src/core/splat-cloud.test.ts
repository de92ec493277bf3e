import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quatFromAxisAngle, quatToMat3 } from './quat.ts';
import { randomCloud } from './random.ts';
import { shBasisRest } from './sh.ts';
import { SplatCloud } from './splat-cloud.ts';

test('append grows the cloud and keeps both parts intact, padding missing SH with zeros', () => {
  const a = randomCloud(10, 1, 2);
  const b = randomCloud(2000, 2, 0);
  const world = a.clone().append(b);
  assert.equal(world.count, 2010);
  assert.deepEqual(world.positions.subarray(0, 30), a.positions);
  assert.deepEqual(world.positions.subarray(30), b.positions);
  assert.deepEqual(world.colors.subarray(30), b.colors);
  assert.ok(world.sh!.subarray(10 * 24).every((v) => v === 0));
  assert.deepEqual(world.sh!.subarray(0, 240), a.sh);
});

test('subset copies the chosen splats in order; bad indices are named', () => {
  const c = randomCloud(5, 3, 1);
  const s = c.subset([4, 0]);
  assert.equal(s.count, 2);
  assert.deepEqual(s.positions.subarray(0, 3), c.positions.subarray(12, 15));
  assert.deepEqual(s.sh!.subarray(9, 18), c.sh!.subarray(0, 9));
  assert.throws(() => c.subset([5]), /expected indices in 0..4, found 5/);
});

test('bounds are the extremes of the centres', () => {
  const c = SplatCloud.create(2);
  c.positions.set([1, -2, 3, -4, 5, 0.5]);
  assert.deepEqual(c.bounds(), { min: [-4, -2, 0.5], max: [1, 5, 3] });
  assert.equal(SplatCloud.create(0).bounds(), null);
});

test('transform moves, turns and scales splats, and keeps view-dependent colour attached', () => {
  const c = randomCloud(3, 4, 3);
  const before = c.clone();
  const q = quatFromAxisAngle([0, 1, 0], Math.PI / 2);
  c.transform({ rotation: q, translation: [1, 2, 3], scale: 2 });
  // A 90 degree turn about +Y takes +X to -Z.
  const [x, y, z] = before.positions.subarray(0, 3);
  assert.ok(Math.abs(c.positions[0] - (2 * z + 1)) < 1e-5);
  assert.ok(Math.abs(c.positions[1] - (2 * y + 2)) < 1e-5);
  assert.ok(Math.abs(c.positions[2] - (-2 * x + 3)) < 1e-5);
  assert.ok(Math.abs(c.scales[0] - 2 * before.scales[0]) < 1e-6);
  // SH seen along d before equals SH seen along R d after.
  const r = quatToMat3(q);
  const d = [0.48, -0.6, 0.64];
  const rd = [r[0] * d[0] + r[1] * d[1] + r[2] * d[2], r[3] * d[0] + r[4] * d[1] + r[5] * d[2], r[6] * d[0] + r[7] * d[1] + r[8] * d[2]];
  const b0 = new Float64Array(15), b1 = new Float64Array(15);
  shBasisRest(3, d[0], d[1], d[2], b0);
  shBasisRest(3, rd[0], rd[1], rd[2], b1);
  let v0 = 0, v1 = 0;
  for (let k = 0; k < 15; k++) {
    v0 += b0[k] * before.sh![k * 3];
    v1 += b1[k] * c.sh![k * 3];
  }
  assert.ok(Math.abs(v0 - v1) < 1e-5, `${v0} vs ${v1}`);
});

test('fromColumns rejects columns of disagreeing lengths', () => {
  const f = (n: number) => new Float32Array(n);
  assert.throws(
    () => SplatCloud.fromColumns({ positions: f(6), scales: f(6), rotations: f(8), opacities: f(2), colors: f(5) }),
    /expected colors to hold 6 values \(2 splats x 3\), found 5/,
  );
});

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

const COLUMNS = ['positions', 'scales', 'rotations', 'opacities', 'colors', 'sh'] as const;
const columnsOf = (c: SplatCloud) => COLUMNS.map((key) => c[key] ?? new Float32Array(0));

test('reserve changes no splat and not the count, and writes through the columns still land in the cloud', () => {
  const loaded = randomCloud(500, 6, 2);
  // As a file is loaded: columns of exactly the count, capacity == count.
  const [positions, scales, rotations, opacities, colors, sh] = columnsOf(loaded).map((column) => Float32Array.from(column));
  const cloud = SplatCloud.fromColumns({ positions, scales, rotations, opacities, colors, sh });
  const before = columnsOf(cloud).map((column) => Float32Array.from(column));
  assert.equal(cloud.reserve(5000), cloud);
  assert.equal(cloud.count, 500);
  columnsOf(cloud).forEach((column, i) => assert.deepEqual(column, before[i], COLUMNS[i]));
  cloud.reserve(10); // smaller than held: nothing to do
  columnsOf(cloud).forEach((column, i) => assert.deepEqual(column, before[i], COLUMNS[i]));
  cloud.positions[0] = 42;
  cloud.sh![5] = -7;
  cloud.append(randomCloud(3, 7, 2));
  assert.equal(cloud.positions[0], 42);
  assert.equal(cloud.sh![5], -7);
  assert.deepEqual(cloud.colors.subarray(0, 1500), before[4]);
});

test('appends up to the reserved capacity keep the storage: only the appended splats are copied', () => {
  const cloud = randomCloud(1000, 8, 1);
  cloud.reserve(1000 + 3 * 700);
  const buffers = () => columnsOf(cloud).map((column) => column.buffer);
  const reserved = buffers();
  const parts = [randomCloud(700, 9, 1), randomCloud(700, 10, 0), randomCloud(700, 11, 1)];
  for (const part of parts) {
    cloud.append(part);
    buffers().forEach((buffer, i) => assert.equal(buffer, reserved[i], `${COLUMNS[i]} storage replaced at count ${cloud.count}`));
  }
  assert.equal(cloud.count, 3100);
  assert.deepEqual(cloud.positions.subarray(3 * 2400), parts[2].positions);
  // Past the reserved capacity it grows as before.
  cloud.append(randomCloud(1, 12, 1));
  assert.notEqual(cloud.positions.buffer, reserved[0]);
  assert.equal(cloud.count, 3101);
});

test('reserve names a capacity that is not a non-negative integer', () => {
  const cloud = randomCloud(2);
  for (const bad of [-1, 1.5, NaN, Infinity]) {
    assert.throws(() => cloud.reserve(bad), { message: `SplatCloud.reserve: expected a non-negative integer capacity, found ${bad}` });
  }
});

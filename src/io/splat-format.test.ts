import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomCloud } from '../core/random.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { readSplat, writeSplat } from './splat-format.ts';

/** One antimatter15 record built byte by byte. */
function record(position: number[], scale: number[], rgba: number[], quatBytes: number[]): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  [...position, ...scale].forEach((v, i) => view.setFloat32(i * 4, v, true));
  out.set(rgba, 24);
  out.set(quatBytes, 28);
  return out;
}

test('a written splat has the hand-computed 32 bytes', () => {
  const c = SplatCloud.create(1);
  c.positions.set([1, 2, 3]);
  c.scales.set([0.5, 1, 2]);
  c.colors.set([1, 0.5, 0]);
  c.opacities[0] = 0.2;
  // Identity here is (w, x, y, z) = (0, 1, 0, 0) in OpenCV axes: bytes 0*128+128, 1*128+128 -> 255, ...
  const expected = record([1, -2, -3], [0.5, 1, 2], [255, 128, 0, 51], [128, 255, 128, 128]);
  assert.deepEqual(writeSplat(c), expected);
});

test('hand-made bytes read back to the hand-computed splat', () => {
  const cloud = readSplat(record([1, -2, -3], [0.5, 1, 2], [255, 51, 0, 102], [128, 255, 128, 128]));
  assert.equal(cloud.shDegree, 0);
  assert.deepEqual(Array.from(cloud.positions), [1, 2, 3]);
  assert.deepEqual(Array.from(cloud.scales), [0.5, 1, 2]);
  assert.deepEqual(Array.from(cloud.colors), [1, Math.fround(0.2), 0]);
  assert.equal(cloud.opacities[0], Math.fround(0.4));
  assert.deepEqual(Array.from(cloud.rotations, (v) => v + 0), [1, 0, 0, 0]);
});

test('a round trip is exact for positions and scales and within the byte quantisation otherwise', () => {
  const c = randomCloud(2000, 7, 2);
  const r = readSplat(writeSplat(c));
  assert.equal(r.count, c.count);
  assert.deepEqual(r.positions, c.positions);
  assert.deepEqual(r.scales, c.scales);
  for (let i = 0; i < c.colors.length; i++) assert.ok(Math.abs(r.colors[i] - c.colors[i]) <= 0.5 / 255 + 1e-7, `colour ${i}`);
  for (let i = 0; i < c.count; i++) {
    assert.ok(Math.abs(r.opacities[i] - c.opacities[i]) <= 0.5 / 255 + 1e-7, `opacity ${i}`);
    // Each component is off by at most 1/256 before normalising: the rotations stay within ~1 degree.
    let dot = 0;
    for (let j = 0; j < 4; j++) dot += r.rotations[i * 4 + j] * c.rotations[i * 4 + j];
    assert.ok(Math.abs(dot) > 0.9999, `rotation ${i}: |dot| = ${Math.abs(dot)}`);
  }
});

test('bad .splat files are refused with one-line reasons', () => {
  assert.throws(() => readSplat(new Uint8Array(1000)), /^Error: \.splat: expected a multiple of 32 bytes, found 1000 \(31 whole splats and 8 bytes\)$/);
  assert.throws(() => readSplat(new Uint8Array(0)), /^Error: \.splat: expected at least one 32-byte splat, found an empty file$/);
  const ok = record([0, 0, 0], [1, 1, 1], [0, 0, 0, 255], [255, 128, 128, 128]);
  const nan = record([0, NaN, 0], [1, 1, 1], [0, 0, 0, 255], [255, 128, 128, 128]);
  const inf = record([0, 0, 0], [1, Infinity, 1], [0, 0, 0, 255], [255, 128, 128, 128]);
  const zero = record([0, 0, 0], [1, 1, 1], [0, 0, 0, 255], [128, 128, 128, 128]);
  const both = (b: Uint8Array) => new Uint8Array([...ok, ...b]);
  assert.throws(() => readSplat(both(nan)), /\.splat: expected a finite position, found \(0, NaN, 0\) in splat 1/);
  assert.throws(() => readSplat(both(inf)), /\.splat: expected finite non-negative scales, found \(1, Infinity, 1\) in splat 1/);
  assert.throws(() => readSplat(both(zero)), /\.splat: expected a non-zero rotation, found bytes 128 128 128 128 in splat 1/);
  const c = SplatCloud.create(2);
  c.opacities[1] = NaN;
  assert.throws(() => writeSplat(c), /\.splat: cannot write splat 1: expected finite values/);
});

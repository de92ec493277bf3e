import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SH_C0 } from '../core/sh.ts';
import { SplatCloud } from '../core/splat-cloud.ts';
import { randomCloud } from '../core/random.ts';
import { plyChunks, plyChunksReusing, writePly } from './ply-writer.ts';

/** The header the reference 3DGS trainer writes for N vertices, spelled out by hand. */
function referenceHeader(n: number): string {
  let s = `ply\nformat binary_little_endian 1.0\nelement vertex ${n}\n`;
  for (const p of ['x', 'y', 'z', 'nx', 'ny', 'nz', 'f_dc_0', 'f_dc_1', 'f_dc_2']) s += `property float ${p}\n`;
  for (let i = 0; i < 45; i++) s += `property float f_rest_${i}\n`;
  for (const p of ['opacity', 'scale_0', 'scale_1', 'scale_2', 'rot_0', 'rot_1', 'rot_2', 'rot_3']) s += `property float ${p}\n`;
  return s + 'end_header\n';
}

/** One degree-1 splat with values whose file encoding is easy to work out by hand. */
function handCloud(): SplatCloud {
  const c = SplatCloud.create(1, 1);
  c.positions.set([1, 2, 3]);
  c.colors.set([0.5, 0.5 + SH_C0, 0.5 - 2 * SH_C0]);
  c.opacities[0] = 0.75;
  c.scales.set([1, Math.E, 0.5]);
  c.rotations.set([0, 1, 0, 0]); // 180 degrees about X
  // sh[k][c] = 10k + c + 1
  c.sh!.set([1, 2, 3, 11, 12, 13, 21, 22, 23]);
  return c;
}

function floatsAfterHeader(bytes: Uint8Array, headerLength: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + headerLength);
  return Array.from({ length: (bytes.length - headerLength) / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

test('the header is the reference trainer header, byte for byte', () => {
  const bytes = writePly(handCloud());
  const header = referenceHeader(1);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, header.length)), header);
  assert.equal(bytes.length, header.length + 62 * 4);
});

test('each of the 62 floats of a record holds the hand-computed file value', () => {
  const header = referenceHeader(1);
  const f = floatsAfterHeader(writePly(handCloud()), header.length);
  const expected = new Array(62).fill(0);
  expected.splice(0, 3, 1, -2, -3); // (x, -y, -z)
  expected.splice(6, 3, 0, 1, -2); // (rgb - 0.5) / C0
  // f_rest_{c*15 + k} = parity[k] * sh[k][c], parity = (-1, -1, +1) for degree 1.
  for (let c = 0; c < 3; c++) {
    expected[9 + c * 15 + 0] = -(c + 1);
    expected[9 + c * 15 + 1] = -(11 + c);
    expected[9 + c * 15 + 2] = 21 + c;
  }
  expected[54] = Math.log(3); // logit(0.75)
  expected.splice(55, 3, 0, 1, Math.log(0.5));
  // (w, x, y, z) = (0, 1, 0, 0) -> (-x, w, -z, y) = (-1, 0, 0, 0): the turn about X cancels out.
  expected.splice(58, 4, -1, 0, 0, 0);
  f.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `float ${i} = ${v}, expected ${expected[i]}`));
});

test('opacities 0 and 1 are clamped so logit stays finite; zero scales are clamped too', () => {
  const c = SplatCloud.create(2);
  c.opacities.set([0, 1]);
  c.scales.set([0, 1, 1, 1, 1, 1]);
  const f = floatsAfterHeader(writePly(c), referenceHeader(2).length);
  const logit = (p: number) => Math.log(p / (1 - p));
  assert.ok(Math.abs(f[54] - logit(1e-6)) < 1e-4, `${f[54]}`);
  assert.ok(Math.abs(f[62 + 54] - logit(1 - 1e-6)) < 1e-2, `${f[62 + 54]}`);
  assert.ok(Math.abs(f[55] - Math.log(1e-30)) < 1e-4);
});

test('values no reader would accept are refused with the splat named', () => {
  const c = SplatCloud.create(3);
  c.positions[4] = NaN;
  assert.throws(() => writePly(c), /^Error: PLY: cannot write splat 1: expected finite values, non-negative scales and a non-zero rotation, found position \(0, NaN, 0\)/);
  const z = SplatCloud.create(2);
  z.rotations.fill(0, 4, 8);
  assert.throws(() => writePly(z), /cannot write splat 1: .* rotation \(0, 0, 0, 0\)/);
  const s = SplatCloud.create(1);
  s.scales[2] = -1;
  assert.throws(() => writePly(s), /cannot write splat 0/);
});

test('plyChunks yields the header, then fresh body pieces that concatenate to writePly', () => {
  const c = SplatCloud.create(5, 2);
  for (let i = 0; i < c.positions.length; i++) c.positions[i] = i;
  const chunks = [...plyChunks(c, { splatsPerChunk: 2 })];
  assert.deepEqual(chunks.map((x) => x.length), [referenceHeader(5).length, 496, 496, 248]);
  assert.notEqual(chunks[1].buffer, chunks[2].buffer);
  const joined = new Uint8Array(chunks.reduce((s, x) => s + x.length, 0));
  let at = 0;
  for (const x of chunks) {
    joined.set(x, at);
    at += x.length;
  }
  assert.deepEqual(joined, writePly(c));
  assert.throws(() => [...plyChunks(c, { splatsPerChunk: 0 })], /PLY: expected a positive integer splatsPerChunk, found 0/);
});

test('an empty cloud is a header with zero vertices', () => {
  assert.equal(new TextDecoder().decode(writePly(SplatCloud.create(0))), referenceHeader(0));
});

test('plyChunksReusing gives the bytes of writePly for every degree, chunk size and ring size', () => {
  for (const degree of [0, 1, 2, 3] as const) {
    const c = randomCloud(23, 7 + degree, degree);
    // Runs of equal opacities (the writer keeps the last logit) between changing ones, 0 and 1 (clamped) among them.
    c.opacities.set([0.3, 0.3, 0.3, 0.9, 0.3, 0, 0, 1, 1, 0.5]);
    const whole = writePly(c);
    for (const splatsPerChunk of [1, 5, 23, 100]) {
      for (const buffers of [1, 2, 3]) {
        const parts: Uint8Array[] = [];
        for (const chunk of plyChunksReusing(c, { splatsPerChunk, buffers })) parts.push(chunk.slice()); // copied before the ring turns
        const joined = new Uint8Array(parts.reduce((s, x) => s + x.length, 0));
        parts.reduce((at, x) => (joined.set(x, at), at + x.length), 0);
        assert.deepEqual(joined, whole, `degree ${degree}, ${splatsPerChunk} per chunk, ${buffers} buffers`);
      }
    }
  }
});

test('each opacity is written as its own logit, whatever the one before it', () => {
  const c = SplatCloud.create(6);
  const values = [0.25, 0.25, 0.8, 0.25, 0.999, 0.999];
  c.opacities.set(values);
  const f = floatsAfterHeader(writePly(c), referenceHeader(6).length);
  values.map(Math.fround).forEach((p, i) => assert.equal(f[i * 62 + 54], Math.fround(Math.log(p / (1 - p))), `splat ${i}`)); // stored as float32
});

test('plyChunksReusing turns a ring of buffers: a chunk is overwritten once `buffers` more are taken', () => {
  const c = randomCloud(10, 3);
  const gen = plyChunksReusing(c, { splatsPerChunk: 2, buffers: 2 });
  gen.next(); // header
  const first = gen.next().value as Uint8Array;
  const copy = first.slice();
  const second = gen.next().value as Uint8Array;
  assert.notEqual(second.buffer, first.buffer);
  assert.deepEqual(first, copy, 'still valid after one more chunk');
  const third = gen.next().value as Uint8Array;
  assert.equal(third.buffer, first.buffer);
  assert.notDeepEqual(first, copy, 'the third chunk reused the first one\'s buffer');
  assert.throws(() => [...plyChunksReusing(c, { buffers: 0 })], /PLY: expected a positive integer count of buffers, found 0/);
  assert.throws(() => [...plyChunksReusing(c, { splatsPerChunk: 1.5 })], /PLY: expected a positive integer splatsPerChunk, found 1.5/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SH_C0 } from '../core/sh.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { readPly, readPlyStream } from './ply-reader.ts';
import { type RawSplat, type TestProperty, buildPly, chunksOf, concat, rowsFor, splatProperties } from './ply-test-files.ts';

/*
 * Two splats with raw file values chosen so the decoded values are known by hand:
 *   A: position (1, 2, 3) -> (1, -2, -3); f_dc (0, 1, -1) -> colour (0.5, 0.5 + C0, 0.5 - C0);
 *      opacity 0 -> 0.5; scales (0, ln 2, -ln 4) -> (1, 2, 0.25);
 *      rot (2, 0, 0, 0) -> unit (1, 0, 0, 0) in the file -> (0, -1, 0, 0) here: (x, -w, z, -y).
 *   B: position (-1, 0.5, -4) -> (-1, -0.5, 4); opacity ln 3 -> 0.75; scales 0 -> 1;
 *      rot (0, 0, 3, 4) -> (0, 0, 0.6, 0.8) in the file -> (0, 0, 0.8, -0.6) here.
 */
const A: RawSplat = { x: 1, y: 2, z: 3, f_dc_0: 0, f_dc_1: 1, f_dc_2: -1, opacity: 0, scale_0: 0, scale_1: Math.LN2, scale_2: -Math.log(4), rot_0: 2, rot_1: 0, rot_2: 0, rot_3: 0 };
const B: RawSplat = { x: -1, y: 0.5, z: -4, f_dc_0: 0, f_dc_1: 0, f_dc_2: 0, opacity: Math.log(3), scale_0: 0, scale_1: 0, scale_2: 0, rot_0: 0, rot_1: 0, rot_2: 3, rot_3: 4 };

function assertHandValues(cloud: SplatCloud): void {
  assert.equal(cloud.count, 2);
  close(cloud.positions, [1, -2, -3, -1, -0.5, 4]);
  close(cloud.colors, [0.5, 0.5 + SH_C0, 0.5 - SH_C0, 0.5, 0.5, 0.5]);
  close(cloud.opacities, [0.5, 0.75]);
  close(cloud.scales, [1, 2, 0.25, 1, 1, 1]);
  close(cloud.rotations, [0, -1, 0, 0, 0, 0, 0.8, -0.6]);
}

function close(actual: ArrayLike<number>, expected: number[], tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length, 'length');
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, `[${i}] = ${actual[i]}, expected ${expected[i]}`);
  }
}

const vertex = (properties: TestProperty[], splats: RawSplat[] = [A, B]) => ({ name: 'vertex', properties, rows: rowsFor(properties, splats) });

test('the standard all-float layout decodes to the hand-computed values', () => {
  assertHandValues(readPly(buildPly([vertex(splatProperties())])));
});

test('properties in any order, with extra properties of every type, decode the same', () => {
  const standard = splatProperties();
  const shuffled: TestProperty[] = [
    { name: 'red', type: 'uchar' },
    ...standard.slice(7).reverse(),
    { name: 'nx', type: 'double' },
    ...standard.slice(0, 7),
    { name: 'label', type: 'short' },
  ];
  assertHandValues(readPly(buildPly([vertex(shuffled)])));
});

test('values stored as double, and big-endian bodies, decode the same', () => {
  assertHandValues(readPly(buildPly([vertex(splatProperties(0, 'double'))])));
  assertHandValues(readPly(buildPly([vertex(splatProperties())], { format: 'binary_big_endian' })));
  assertHandValues(readPly(buildPly([vertex(splatProperties(0, 'double'))], { format: 'binary_big_endian' })));
});

test('integer property types are read as their raw numbers', () => {
  // A file may store, say, integer positions; the reader takes the number as the file value.
  const types = ['char', 'uchar', 'short', 'ushort', 'int', 'uint'] as const;
  for (const type of types) {
    const props = splatProperties().map((p) => (p.name === 'x' || p.name === 'rot_0' ? { name: p.name, type } : p));
    const cloud = readPly(buildPly([vertex(props, [{ ...A, x: 7, rot_0: 5 }])]));
    assert.equal(cloud.positions[0], 7, type);
    close(cloud.rotations, [0, -1, 0, 0]);
  }
});

test('ascii bodies (with CRLF header and comments) decode the same', () => {
  const file = buildPly([vertex(splatProperties())], { format: 'ascii', lineEnd: '\r\n', headerLines: ['comment hand made', 'obj_info test'] });
  assertHandValues(readPly(file));
});

test('fixed-size elements before and after the vertices are skipped, in binary and ascii', () => {
  const camera = { name: 'camera', properties: [{ name: 'fx', type: 'double' as const }, { name: 'id', type: 'uchar' as const }], rows: [[500, 1], [600, 2], [700, 3]] };
  const extra = { name: 'extra', properties: [{ name: 'v', type: 'int' as const }], rows: [[9]] };
  for (const format of ['binary_little_endian', 'binary_big_endian', 'ascii'] as const) {
    assertHandValues(readPly(buildPly([camera, vertex(splatProperties()), extra], { format })));
  }
});

test('f_rest is channel-major in the file and gets the parity signs of the axis change', () => {
  // Degree 1: file f_rest_{c*3 + k} = 10c + k + 1; ours [k][c] = parity[k] * that, parity = (-1, -1, +1).
  const raw: RawSplat = { ...A };
  for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) raw[`f_rest_${c * 3 + k}`] = 10 * c + k + 1;
  const expected = [-1, -11, -21, -2, -12, -22, 3, 13, 23];
  const cloud = readPly(buildPly([vertex(splatProperties(9), [raw])]));
  assert.equal(cloud.shDegree, 1);
  close(cloud.sh!, expected);
  // The same with the f_rest properties out of order (the decoder's general path).
  const shuffled = splatProperties(9).reverse();
  close(readPly(buildPly([vertex(shuffled, [raw])])).sh!, expected);
  close(readPly(buildPly([vertex(splatProperties(9, 'double'), [raw])], { format: 'ascii' })).sh!, expected);
});

test('the SH degree is the lowest that drops only exact zeros', () => {
  const withRest = (count: number, nonZero: number[]) => {
    const raw: RawSplat = { ...A };
    for (const i of nonZero) raw[`f_rest_${i}`] = 0.25;
    return readPly(buildPly([vertex(splatProperties(count), [raw, B])]));
  };
  assert.equal(withRest(45, []).shDegree, 0);
  assert.equal(withRest(45, []).sh, null);
  // f_rest_17 is green coefficient 2 (degree 1); f_rest_38 is blue coefficient 8 (degree 3).
  const one = withRest(45, [17]);
  assert.equal(one.shDegree, 1);
  close(one.sh!, [0, 0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(withRest(45, [38]).shDegree, 3);
  assert.equal(withRest(24, [3]).shDegree, 2);
  assert.equal(withRest(24, [2]).shDegree, 1);
});

test('a truncated body names the whole vertices it holds', () => {
  const file = buildPly([vertex(splatProperties())]);
  assert.throws(
    () => readPly(file.subarray(0, file.length - 60)),
    /^Error: PLY: expected 112 bytes of body \(2 vertices of 56 bytes, as the header declares\), found 52 bytes: 0 whole vertices$/,
  );
  assert.throws(() => readPly(file.subarray(0, file.length - 1)), /found 111 bytes: 1 whole vertices/);
});

test('bytes after the declared body are rejected', () => {
  const file = concat(buildPly([vertex(splatProperties())]), new Uint8Array(12));
  assert.throws(() => readPly(file), /^Error: PLY: expected the body to end after 112 bytes \(2 vertices of 56 bytes\), found 12 more bytes$/);
});

test('missing required properties, list properties and broken f_rest numbering are named', () => {
  const without = (name: string) => splatProperties().filter((p) => p.name !== name);
  assert.throws(() => readPly(buildPly([vertex(without('opacity'))])), /PLY: expected the 3DGS vertex properties .*, found no opacity$/);
  assert.throws(() => readPly(buildPly([vertex(without('rot_3').filter((p) => p.name !== 'y'))])), /found no y, rot_3$/);
  const header = (lines: string) => new TextEncoder().encode(`ply\nformat ascii 1.0\n${lines}\nend_header\n`);
  const required = splatProperties().map((p) => `property float ${p.name}`).join('\n');
  assert.throws(() => readPly(header(`element vertex 0\n${required}\nproperty list uchar int idx`)), /PLY: expected fixed-size vertex properties, found list property "idx"/);
  assert.throws(
    () => readPly(header(`element vertex 0\n${required}\nelement face 0\nproperty list uchar int vertex_indices`)),
    /PLY: expected fixed-size properties in element 'face' besides the vertices, found list property "vertex_indices"/,
  );
  assert.throws(() => readPly(header(`element face 0\nproperty float x`)), /PLY: expected an element 'vertex', found elements "face"/);
  const gap = splatProperties(9).filter((p) => p.name !== 'f_rest_4').concat([{ name: 'f_rest_9', type: 'float' }]);
  assert.throws(() => readPly(buildPly([vertex(gap)])), /PLY: expected 0, 9, 24 or 45 f_rest properties numbered from f_rest_0, found 9 \(/);
  assert.throws(() => readPly(buildPly([vertex(splatProperties(6))])), /found 6$/);
});

test('NaN or infinite used values, overflowing log-scales and zero quaternions are rejected; unused NaN is fine', () => {
  const props = [...splatProperties(9), { name: 'nx', type: 'float' as const }];
  const bad = (change: RawSplat) => buildPly([vertex(props, [A, { ...B, ...change }])]);
  assert.throws(() => readPly(bad({ x: NaN })), /^Error: PLY: expected finite numbers, found NaN in x of vertex 1$/);
  assert.throws(() => readPly(bad({ opacity: -Infinity })), /found -Infinity in opacity of vertex 1/);
  assert.throws(() => readPly(bad({ f_rest_7: Infinity })), /found Infinity in f_rest_7 of vertex 1/);
  assert.throws(() => readPly(bad({ scale_2: 100 })), /PLY: expected log-scales below 88.72 .*found scale_2 = 100 in vertex 1/);
  assert.throws(() => readPly(bad({ rot_2: 0, rot_3: 0 })), /PLY: expected a non-zero rotation quaternion, found rot_0..3 = \(0, 0, 0, 0\) in vertex 1/);
  assert.equal(readPly(bad({ nx: NaN })).count, 2);
});

test('a vertex count the body cannot hold fails before any allocation', () => {
  const file = new TextEncoder().encode(`ply\nformat binary_little_endian 1.0\nelement vertex 4000000000000\n${splatProperties().map((p) => `property float ${p.name}\n`).join('')}end_header\n`);
  assert.throws(() => readPly(file), /PLY: expected 224000000000000 bytes of body \(4000000000000 vertices of 56 bytes, as the header declares\), found 0 bytes: 0 whole vertices/);
  const ascii = buildPly([vertex(splatProperties())], { format: 'ascii' });
  const lie = new TextEncoder().encode(new TextDecoder().decode(ascii).replace('element vertex 2', 'element vertex 2000000'));
  assert.throws(() => readPly(lie), /PLY: expected an ascii body that can hold the 28000000 numbers of 2000000 vertices the header declares, found \d+ bytes, room for at most \d+ numbers/);
});

test('ascii bodies: a word that is not a number, too few or too many numbers are named', () => {
  const text = new TextDecoder().decode(buildPly([vertex(splatProperties())], { format: 'ascii' }));
  const ascii = (s: string) => new TextEncoder().encode(s);
  assert.throws(() => readPly(ascii(text.replace('\n1 2 ', '\n1 2x '))), /PLY: expected a number, found "2x" in the ascii body \(vertex 0, property y\)/);
  assert.throws(() => readPly(ascii(text.replace(/ 4\n$/, '\n'))), /^Error: PLY: expected 2 vertices of 14 numbers \(as the header declares\), found 1 whole vertices in the ascii body and 13 more numbers$/);
  assert.throws(() => readPly(ascii(text + '5\n')), /PLY: expected the ascii body to end after the 28 numbers the header declares, found more: "5"/);
  assertHandValues(readPly(ascii(text + '\n \r\n')));
});

test('streaming gives the same cloud for any chunk size, with progress up to 1', async () => {
  const file = buildPly([{ name: 'camera', properties: [{ name: 'f', type: 'double' }], rows: [[1]] }, vertex(splatProperties(24)), { name: 'tail', properties: [{ name: 't', type: 'uchar' }], rows: [[1], [2], [3]] }]);
  for (const size of [1, 3, 7, 64, 1 << 20]) {
    const fractions: number[] = [];
    const cloud = await readPlyStream(chunksOf(file, size), { totalBytes: file.length, onProgress: (f, stage) => { fractions.push(f); assert.equal(stage, 'reading PLY'); } });
    assertHandValues(cloud);
    assert.equal(fractions.at(-1), 1);
    assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]));
    // Without totalBytes the columns grow as vertices arrive.
    assertHandValues(await readPlyStream(chunksOf(file, size)));
  }
  assertHandValues(await readPlyStream(chunksOf(buildPly([vertex(splatProperties())], { format: 'ascii' }), 5)));
});

test('streaming reports the same errors as whole-file reading', async () => {
  const file = buildPly([vertex(splatProperties())]);
  await assert.rejects(readPlyStream(chunksOf(file.subarray(0, file.length - 1), 10)), /PLY: expected 112 bytes of body \(2 vertices of 56 bytes, as the header declares\), found 111 bytes: 1 whole vertices/);
  await assert.rejects(readPlyStream(chunksOf(concat(file, new Uint8Array(3)), 10)), /found 3 more bytes/);
  await assert.rejects(readPlyStream(chunksOf(new TextEncoder().encode('solid cube\n'), 4)), /PLY: expected a PLY file starting with 'ply', found "soli"/);
  await assert.rejects(readPlyStream(chunksOf(new Uint8Array(0), 4)), /PLY: expected a PLY file starting with 'ply', found an empty file/);
  await assert.rejects(readPlyStream(chunksOf(file.subarray(0, 30), 4)), /PLY: expected an 'end_header' line, found the end of the file after 30 bytes/);
  // A declared count larger than totalBytes allows is rejected before the columns are allocated.
  const headerLength = file.length - 112;
  await assert.rejects(readPlyStream(chunksOf(file, headerLength + 1), { totalBytes: file.length - 60 }), /found 52 bytes: 0 whole vertices/);
});

test('an aborted signal stops a stream with its reason', async () => {
  const file = buildPly([vertex(splatProperties(), Array(100).fill(A))]);
  const controller = new AbortController();
  let chunks = 0;
  async function* slow() {
    for await (const c of chunksOf(file, 256)) {
      if (++chunks === 3) controller.abort(new Error('user cancelled'));
      yield c;
    }
  }
  await assert.rejects(readPlyStream(slow(), { signal: controller.signal }), /user cancelled/);
  assert.equal(chunks, 3);
});

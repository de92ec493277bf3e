/**
 * Fuzzing the PLY reader: thousands of seeded mutations of valid files must each end in either a
 * sound cloud or an Error whose message starts with "PLY:". Never a TypeError, a RangeError, a hang
 * or a cloud with NaN in it. A failure prints the seed and mutations, so it can be replayed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomCloud, seededRandom } from '../core/random.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { mutate } from './ply-mutations.ts';
import { readPly, readPlyStream } from './ply-reader.ts';
import { type TestProperty, buildPly, chunksOf, splatProperties } from './ply-test-files.ts';
import { writePly } from './ply-writer.ts';

function seedFiles(): { name: string; bytes: Uint8Array }[] {
  const rand = seededRandom(5);
  const raw = (props: TestProperty[], n: number) =>
    Array.from({ length: n }, () => props.map((p) => (p.name.startsWith('rot') ? 0.5 + rand() : p.type === 'uchar' ? Math.floor(rand() * 256) : rand() * 2 - 1)));
  const extra: TestProperty[] = [{ name: 'nx', type: 'double' }, ...splatProperties(9), { name: 'red', type: 'uchar' }];
  return [
    { name: 'ours, degree 3', bytes: writePly(randomCloud(4, 1, 3)) },
    { name: 'ours, degree 1', bytes: writePly(randomCloud(6, 2, 1)) },
    { name: 'mixed types with other elements', bytes: buildPly([{ name: 'camera', properties: [{ name: 'f', type: 'float' }], rows: [[1], [2]] }, { name: 'vertex', properties: extra, rows: raw(extra, 5) }]) },
    { name: 'big-endian doubles, degree 2', bytes: buildPly([{ name: 'vertex', properties: splatProperties(24, 'double'), rows: raw(splatProperties(24), 3) }], { format: 'binary_big_endian' }) },
    { name: 'ascii, degree 1, CRLF', bytes: buildPly([{ name: 'vertex', properties: splatProperties(9), rows: raw(splatProperties(9), 4) }], { format: 'ascii', lineEnd: '\r\n', headerLines: ['comment fuzz'] }) },
    { name: 'ascii, degree 0', bytes: buildPly([{ name: 'vertex', properties: splatProperties(0), rows: raw(splatProperties(0), 6) }], { format: 'ascii' }) },
  ];
}

/** A parse that succeeded must be a sound cloud. */
function assertSound(cloud: SplatCloud, context: string): void {
  const n = cloud.count;
  assert.ok(Number.isInteger(n) && n >= 0, context);
  const columns: [Float32Array, number][] = [[cloud.positions, 3], [cloud.scales, 3], [cloud.rotations, 4], [cloud.opacities, 1], [cloud.colors, 3]];
  for (const [column, per] of columns) {
    assert.equal(column.length, n * per, `${context}: column length`);
    assert.ok(column.every(Number.isFinite), `${context}: finite values`);
  }
  assert.ok(cloud.scales.every((s) => s >= 0), `${context}: scales`);
  assert.ok(cloud.opacities.every((o) => o >= 0 && o <= 1), `${context}: opacities`);
  for (let i = 0; i < n; i++) {
    const r = cloud.rotations.subarray(i * 4, i * 4 + 4);
    assert.ok(Math.abs(Math.hypot(...r) - 1) < 1e-5, `${context}: unit rotation ${i}`);
  }
  if (cloud.sh) {
    assert.equal(cloud.sh.length, n * cloud.shCoefficients * 3, `${context}: sh length`);
    assert.ok(cloud.sh.every(Number.isFinite), `${context}: finite sh`);
  }
}

type Outcome = { ok: true; cloud: SplatCloud } | { ok: false; message: string };

function assertPlyError(e: unknown, context: string): string {
  assert.ok(e instanceof Error && e.constructor === Error, `${context}: threw ${String(e)} (${(e as object)?.constructor?.name})`);
  assert.ok(e.message.startsWith('PLY: '), `${context}: message ${JSON.stringify(e.message)}`);
  assert.ok(!e.message.includes('\n'), `${context}: one-line message ${JSON.stringify(e.message)}`);
  return e.message;
}

function outcome(bytes: Uint8Array, context: string): Outcome {
  try {
    const cloud = readPly(bytes);
    assertSound(cloud, context);
    return { ok: true, cloud };
  } catch (e) {
    if (e instanceof assert.AssertionError) throw e;
    return { ok: false, message: assertPlyError(e, context) };
  }
}

test('every mutated file reads to a sound cloud or fails with a one-line "PLY:" error', () => {
  const files = seedFiles();
  for (const f of files) assert.equal(outcome(f.bytes, f.name).ok, true, `seed file ${f.name} must be valid`);
  const perFile = 800;
  let failures = 0;
  for (const [index, f] of files.entries()) {
    for (let i = 0; i < perFile; i++) {
      const seed = index * 100000 + i;
      const { bytes, names } = mutate(f.bytes, seededRandom(seed));
      if (!outcome(bytes, `${f.name}, seed ${seed}, ${names.join(' + ')}`).ok) failures++;
    }
  }
  // Most mutations must be caught, but some are harmless (a flipped bit in a colour).
  assert.ok(failures > files.length * perFile * 0.3 && failures < files.length * perFile, `${failures} failures`);
});

test('streaming a mutated file in random chunks agrees with reading it whole', async () => {
  const files = seedFiles();
  for (const [index, f] of files.entries()) {
    for (let i = 0; i < 60; i++) {
      const seed = 7000000 + index * 1000 + i;
      const rand = seededRandom(seed);
      const { bytes, names } = mutate(f.bytes, rand);
      const context = `stream: ${f.name}, seed ${seed}, ${names.join(' + ')}`;
      const whole = outcome(bytes, context);
      const chunk = 1 + Math.floor(rand() * 300);
      const withSize = rand() < 0.5;
      let streamed: Outcome;
      try {
        streamed = { ok: true, cloud: await readPlyStream(chunksOf(bytes, chunk), withSize ? { totalBytes: bytes.length } : {}) };
      } catch (e) {
        streamed = { ok: false, message: assertPlyError(e, context) };
      }
      assert.equal(streamed.ok, whole.ok, `${context}: whole ${whole.ok ? 'ok' : (whole as { message: string }).message}, streamed ${streamed.ok ? 'ok' : (streamed as { message: string }).message}`);
      if (streamed.ok && whole.ok) {
        assert.deepEqual(streamed.cloud.positions, whole.cloud.positions, context);
        assert.deepEqual(streamed.cloud.sh, whole.cloud.sh, context);
      }
    }
  }
});

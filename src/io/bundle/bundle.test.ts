import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { readBundle } from './bundle-reader.ts';
import { testWorld, withFreshChecksum } from './bundle-test-files.ts';
import { writeBundle } from './bundle-writer.ts';
import { crc32 } from './crc32.ts';

test('crc32 agrees with zlib', () => {
  for (const text of ['', 'a', '123456789', 'The quick brown fox jumps over the lazy dog']) {
    const bytes = new TextEncoder().encode(text);
    assert.equal(crc32(bytes), zlibCrc32(bytes), text);
  }
  assert.equal(crc32(new TextEncoder().encode('123456789')), 0xcbf43926); // the standard check value
});

test('a world round-trips exactly: splats with SH, frames with pictures, poses, intrinsics, ranges, prompts, time stamps', () => {
  const world = testWorld();
  const back = readBundle(writeBundle(world));
  for (const key of ['positions', 'scales', 'rotations', 'opacities', 'colors', 'sh'] as const) {
    assert.deepEqual(back.splats[key], world.splats[key], key);
  }
  assert.equal(back.splats.shDegree, 2);
  assert.equal(back.frames.length, 2);
  back.frames.forEach((f, i) => {
    const g = world.frames[i];
    assert.deepEqual([f.id, f.width, f.height, f.splatStart, f.splatCount, f.prompt, f.timestamp], [g.id, g.width, g.height, g.splatStart, g.splatCount, g.prompt, g.timestamp]);
    assert.deepEqual(f.intrinsics, g.intrinsics);
    assert.deepEqual(f.pose.position, g.pose.position);
    f.pose.rotation.forEach((q, j) => assert.ok(Math.abs(q - g.pose.rotation[j]) < 1e-15));
    assert.deepEqual(f.rgb, g.rgb);
    assert.deepEqual(f.depth, g.depth);
    assert.deepEqual(f.confidence, g.confidence);
  });
});

test('the bytes follow the documented layout', () => {
  const world = testWorld(5, 0);
  const bytes = writeBundle(world);
  const view = new DataView(bytes.buffer);
  assert.equal(new TextDecoder().decode(bytes.subarray(0, 8)), 'WSBUNDLE');
  assert.equal(view.getUint32(8, true), 1);
  const h = view.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + h)));
  assert.deepEqual(header.splats, { count: 5, shDegree: 0 });
  const payload = (16 + h + 3) & ~3;
  assert.equal(view.getFloat32(payload, true), world.splats.positions[0]); // first block: positions
  assert.equal(view.getFloat32(payload + 60, true), world.splats.scales[0]); // after 5 x 3 floats
  assert.equal(view.getUint32(bytes.length - 4, true), zlibCrc32(bytes.subarray(0, bytes.length - 4)));
  // 5 splats x 14 floats, frame pictures 15 and 6 pixels x (3 + 4 + 1) bytes, each block padded to 4
  const frames = [15, 6].reduce((s, p) => s + ((3 * p + 3) & ~3) + 4 * p + ((p + 3) & ~3), 0);
  assert.equal(bytes.length, payload + 5 * 14 * 4 + frames + 4);
});

function assertBundleError(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => readBundle(bytes), (e: Error) => {
    assert.equal(e.constructor, Error);
    assert.match(e.message, /^bundle: expected .*, found /);
    assert.ok(!e.message.includes('\n'), e.message);
    assert.match(e.message, pattern);
    return true;
  });
}

test('truncated, corrupt, foreign and wrong-version files fail with one line', () => {
  const bytes = writeBundle(testWorld());
  assertBundleError(bytes.subarray(0, 10), /at least 20 bytes, found 10/);
  assertBundleError(bytes.subarray(0, bytes.length - 1), /checksum .* truncated or corrupt/);
  const flipped = bytes.slice();
  flipped[bytes.length - 40] ^= 4;
  assertBundleError(flipped, /checksum/);
  const ply = new TextEncoder().encode('ply\nformat binary_little_endian 1.0\nelement vertex 0\nend_header\n');
  assertBundleError(ply, /magic "WSBUNDLE", found bytes 70 6c 79 0a/);
  const v2 = bytes.slice();
  new DataView(v2.buffer).setUint32(8, 2, true);
  assertBundleError(withFreshChecksum(v2, crc32), /format version 1, found 2/);
});

test('a header that lies about the payload, or holds bad values, fails before anything loads', () => {
  const edit = (from: string, to: string) => {
    const bytes = writeBundle(testWorld());
    const h = new DataView(bytes.buffer).getUint32(12, true);
    const text = new TextDecoder().decode(bytes.subarray(16, 16 + h));
    assert.ok(text.includes(from), from);
    const header = new TextEncoder().encode(text.replace(from, to));
    assert.equal(header.length, h, 'keep the length so only the meaning changes');
    const out = bytes.slice();
    out.set(header, 16);
    return withFreshChecksum(out, crc32);
  };
  assertBundleError(edit('"count":7', '"count":8'), /expected \d+ bytes for 8 splats and 2 frames, found \d+/);
  assertBundleError(edit('"splatCount":4', '"splatCount":5'), /frames\[1\]\.splatCount to be an integer in 0\.\.4, found 5/);
  assertBundleError(edit('"id":2', '"id":0'), /frames\[1\]\.id above 0 \(ids grow\), found 0/);
  assertBundleError(edit('"prompt":null', '"prompt":1234'), /frames\[0\]\.prompt to be a string or null, found 1234/);
  assertBundleError(edit('"shDegree":2', '"shDegree":7'), /splats\.shDegree to be an integer in 0\.\.3, found 7/);
  assertBundleError(edit('{"splats"', '["splats"'), /a JSON header, found/);
});

test('non-finite or out-of-range payload values are refused', () => {
  const world = testWorld();
  world.splats.opacities[2] = 1.5;
  assertBundleError(writeBundle(world), /opacities in 0\.\.1, found 1\.5 at splat 2/);
  const w2 = testWorld();
  w2.frames[1].depth[3] = NaN;
  assertBundleError(writeBundle(w2), /finite frame 2 depth, found NaN at value 3/);
});

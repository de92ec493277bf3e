/**
 * The viewer's world loading on bad files, without a browser: each failure is one line naming the
 * file, thrown before a cloud exists (viewer-app's open() shows only a fully loaded world, so a
 * throw here leaves the shown world as it was).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomCloud } from '../../core/random.ts';
import { writeBundle } from '../../io/bundle/bundle-writer.ts';
import { writePly } from '../../io/ply-writer.ts';
import { writeSplat } from '../../io/splat-format.ts';
import { fileKind } from './file-kind.ts';
import { loadWorldFromStream } from './load-world.ts';

const inChunks = (bytes: Uint8Array, size = 1000) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (let i = 0; i < bytes.length; i += size) c.enqueue(bytes.slice(i, i + size));
      c.close();
    },
  });
const load = (name: string, bytes: Uint8Array) => loadWorldFromStream(name, inChunks(bytes), bytes.length);
const oneLine = async (name: string, bytes: Uint8Array, message: string | RegExp) => {
  await assert.rejects(load(name, bytes), (e: Error) => {
    assert.ok(!e.message.includes('\n'), e.message);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
};

const cloud = randomCloud(100, 3, 0);
const ply = writePly(cloud), splat = writeSplat(cloud), bundle = writeBundle({ splats: cloud, frames: [] });
const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);

test('renamed files go by their bytes: a bundle named .ply, a PLY named .worldsplat, a JPEG named .worldsplat', () => {
  assert.equal(fileKind('world.ply', bundle.subarray(0, 16)), 'bundle');
  assert.equal(fileKind('world.worldsplat', ply.subarray(0, 16)), 'world');
  assert.equal(fileKind('world.worldsplat', jpeg), 'photo');
  // Empty files go by name, to the reader that says "empty" in its own words.
  assert.deepEqual(['a.ply', 'a.splat', 'a.worldsplat', 'a.jpg'].map((n) => fileKind(n, new Uint8Array(0))), ['world', 'world', 'bundle', 'photo']);
});

test('an empty, truncated or mislabelled world file is one line naming it', async () => {
  await oneLine('a.ply', new Uint8Array(0), 'a.ply: expected splat data, found an empty file');
  await oneLine('a.splat', splat.subarray(0, splat.length - 5), 'a.splat: .splat: expected a multiple of 32 bytes, found 3195 (99 whole splats and 27 bytes)');
  await oneLine('a.ply', ply.subarray(0, ply.length - 300), /^a\.ply: PLY: expected \d+ bytes of body \(100 vertices of 248 bytes, as the header declares\), found \d+ bytes: 98 whole vertices$/);
  await oneLine('photo.ply', jpeg, /^photo\.ply: PLY: expected a PLY file starting with 'ply', found /);
  await oneLine('notes.txt', new TextEncoder().encode('[{"eye":[0,0,0]}]'), 'notes.txt: expected a .ply or .splat splat file, found "notes.txt" starting with bytes 5b 7b 22 65');
  // (?url= hands a bundle to this loader, which returns splats only)
  await oneLine('saved.worldsplat', bundle, 'saved.worldsplat: expected a .ply or .splat here, found a .worldsplat bundle (open it as a file: drop it on the page or use Open)');
  assert.equal((await load('a.ply', ply)).count, 100);
  assert.equal((await load('a.splat', splat)).count, 100);
});

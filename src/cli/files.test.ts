/**
 * saveWorld's PLY path writes chunk i while it encodes chunk i + 1 into a ring of two buffers: the file
 * must still be exactly writePly's bytes (checked across several turns of the ring), and a failure
 * (while a write is in flight, or opening the file) must leave neither the file nor its .partial.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import { randomCloud } from '../core/random.ts';
import { readPly } from '../io/ply-reader.ts';
import { writePly } from '../io/ply-writer.ts';
import { World } from '../world/world.ts';
import { checkOutputName, droppedFramesNote, loadWorld, saveWorld } from './files.ts';

const dir = mkdtempSync(join(tmpdir(), 'worldsplat-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a PLY of several chunks is byte for byte writePly, and reads back', async () => {
  const cloud = randomCloud(70_000, 5, 1); // > 4 chunks of 16384 splats: the ring of two buffers turns twice
  const path = join(dir, 'big.ply');
  const seen: number[] = [];
  await saveWorld(path, World.restore(cloud, []), (f) => seen.push(f));
  const bytes = new Uint8Array(readFileSync(path));
  assert.deepEqual(bytes, writePly(cloud));
  assert.equal(readPly(bytes).count, 70_000);
  assert.ok(seen.length >= 5 && seen.at(-1)! > 0.99, `progress ${seen.join(', ')}`);
  assert.ok(!existsSync(`${path}.partial`));
});

test('a splat no reader accepts, met while an earlier chunk is being written, leaves no file', async () => {
  const cloud = randomCloud(40_000, 6);
  cloud.positions[3 * 35_000 + 1] = NaN; // in the third chunk
  const path = join(dir, 'bad.ply');
  await assert.rejects(saveWorld(path, World.restore(cloud, [])), /^Error: PLY: cannot write splat 35000: expected finite values/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('bad')), []);
});

test('a folder that does not exist is one line, and nothing is written', async () => {
  const path = join(dir, 'missing', 'world.ply');
  await assert.rejects(saveWorld(path, World.restore(randomCloud(10, 1), [])), {
    message: `${path}: expected an existing folder for the output, found no folder '${join(dir, 'missing')}'`,
  });
  assert.ok(!existsSync(join(dir, 'missing')));
});

test('a folder where the output should be, or given as the input, is one line and stays as it was', async () => {
  const folder = join(dir, 'taken.ply');
  mkdirSync(folder);
  writeFileSync(join(folder, 'inside'), 'kept');
  await assert.rejects(saveWorld(folder, World.restore(randomCloud(10, 1), [])), { message: `${folder}: expected a file name for the output, found a folder` });
  await assert.rejects(loadWorld(folder), { message: `${folder}: expected a world file, found a folder` });
  assert.deepEqual(readdirSync(folder), ['inside']);
  assert.equal(readFileSync(join(folder, 'inside'), 'utf8'), 'kept');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('taken')), ['taken.ply']);
});

test('only a .worldsplat keeps remembered views: the others say how many are left out', () => {
  const cloud = randomCloud(10, 1);
  const frame = (id: number) => ({ id, pose: Pose.identity(), intrinsics: intrinsicsFromFov(4, 3, 60), width: 4, height: 3, rgb: new Uint8Array(36), depth: new Float32Array(12), confidence: new Uint8Array(12), splatStart: 0, splatCount: 10, prompt: null, timestamp: 0 });
  const two = World.restore(cloud, [frame(0), frame(1)]);
  assert.equal(droppedFramesNote('a.ply', two), "a.ply: splats only; the world's 2 remembered views are not written (a .worldsplat keeps them)");
  assert.equal(droppedFramesNote('a.SPLAT', World.restore(cloud, [frame(0)])), "a.SPLAT: splats only; the world's 1 remembered view is not written (a .worldsplat keeps them)");
  assert.equal(droppedFramesNote('a.WorldSplat', two), undefined);
  assert.equal(droppedFramesNote('a.ply', World.restore(cloud, [])), undefined);
});

test('an empty file name (a variable not set) is named as one, not made the message\'s subject', async () => {
  // were ": expected a readable file, found none" and ": expected an output ending in ..., found ''"
  await assert.rejects(loadWorld(''), { message: "expected a world file, found an empty file name ('')" });
  assert.throws(() => checkOutputName(''), { message: "output: expected a file name ending in .ply, .splat or .worldsplat, found an empty one ('')" });
});

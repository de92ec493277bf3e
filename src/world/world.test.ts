import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pose, intrinsicsFromFov } from '../core/camera.ts';
import { randomCloud } from '../core/random.ts';
import type { FrameInput } from './memory/posed-frame-memory.ts';
import { World } from './world.ts';

const k = intrinsicsFromFov(32, 24, 60);
const frame = (depth = 2): FrameInput => ({
  pose: Pose.identity(),
  intrinsics: k,
  image: { width: 32, height: 24, data: new Uint8Array(32 * 24 * 3) },
  depth: { width: 32, height: 24, data: new Float32Array(32 * 24).fill(depth) },
});

test('append records each frame with the range its splats occupy and never changes earlier splats', () => {
  const world = World.empty(1, { now: () => 7 });
  const a = randomCloud(5, 1, 1), b = randomCloud(3, 2, 1);
  const before = a.clone();
  const ra = world.append(frame(), a);
  const rb = world.append(frame(), b);
  assert.deepEqual([ra.splatStart, ra.splatCount, rb.splatStart, rb.splatCount, world.splats.count], [0, 5, 5, 3, 8]);
  assert.deepEqual(world.splats.positions.subarray(0, 15), before.positions);
  assert.deepEqual(world.splats.sh!.subarray(0, 5 * 9), before.sh);
  assert.deepEqual(world.splats.positions.subarray(15), b.positions);
  assert.deepEqual(world.memory.frames.map((f) => f.id), [0, 1]);
});

test('a bad frame adds nothing', () => {
  const world = World.empty();
  const bad = { ...frame(), image: { width: 8, height: 8, data: new Uint8Array(192) } };
  assert.throws(() => world.append(bad, randomCloud(4)), /^Error: memory: expected the image to be 32x24/);
  assert.equal(world.splats.count, 0);
  assert.equal(world.memory.size, 0);
});

test('restore refuses frames whose splats lie past the end of the cloud', () => {
  const world = World.empty();
  world.append(frame(), randomCloud(4));
  assert.throws(() => World.restore(randomCloud(3), world.memory.frames), /^Error: world: expected frame 0's splats 0..3 within the 3 splats/);
  assert.equal(World.restore(randomCloud(4), world.memory.frames).memory.size, 1);
});

test('a world saved as a bundle comes back with the same splats, frames and retrieval', async () => {
  // The bundle (src/io) holds frames of the same shape as the memory's, without importing world code.
  const { readBundle } = await import('../io/bundle/bundle-reader.ts');
  const { writeBundle } = await import('../io/bundle/bundle-writer.ts');
  const world = World.empty(2, { now: () => 99 });
  world.append({ ...frame(3), prompt: 'a courtyard' }, randomCloud(6, 3, 2));
  world.append(frame(4), randomCloud(2, 4, 1));
  const saved = readBundle(writeBundle({ splats: world.splats, frames: world.memory.frames }));
  const back = World.restore(saved.splats, saved.frames);
  assert.deepEqual(back.splats.positions, world.splats.positions);
  assert.deepEqual(back.splats.sh, world.splats.sh);
  assert.deepEqual(back.memory.frames.map((f) => [f.id, f.splatStart, f.splatCount, f.prompt, f.timestamp]), [[0, 0, 6, 'a courtyard', 99], [1, 6, 2, null, 99]]);
  const ids = (w: World) => w.memory.nearest(Pose.identity(), k, 2).map((r) => [r.frame.id, r.score]);
  assert.deepEqual(ids(back), ids(world));
});

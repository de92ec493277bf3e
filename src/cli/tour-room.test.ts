/**
 * The tour's room against a real tour: a turn whose stops each see a wide hole grows the world inside
 * the room (its column storage is never replaced) into the same splats and frames as without it; a
 * room the machine cannot give leaves the cloud to grow as before.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intrinsicsFromFov } from '../core/camera.ts';
import { randomCloud } from '../core/random.ts';
import { expandView } from '../world/expand/expand-view.ts';
import { InpaintCompleter } from '../world/expand/inpaint-completer.ts';
import { courtyardScene, worldFromView, yawPose } from '../world/expand/synthetic-scene.ts';
import type { World } from '../world/world.ts';
import { renderRows } from '../render/rasterizer.ts';
import { Pose } from '../core/camera.ts';
import type { SplatCloud } from '../core/splat-cloud.ts';
import { RenderCopy } from './render-copy.ts';
import { reserveRoom, tourRoom } from './tour-room.ts';

const COLUMNS = ['positions', 'scales', 'rotations', 'opacities', 'colors'] as const;

test('a turn grows the world inside the tour\'s room, into the same world as without it', async () => {
  const k = intrinsicsFromFov(64, 48, 60);
  const scene = courtyardScene();
  const eye: [number, number, number] = [0, 1.6, 0];
  const stops = [-70, -140, -210, -280, -350];
  const tour = async (room: boolean) => {
    const world = worldFromView(scene, yawPose(eye, 0), k);
    if (room) reserveRoom(world.splats, tourRoom(world.splats.count, stops.length, k.width, k.height));
    const storage = world.splats.positions.buffer;
    let replaced = 0, added = 0;
    for (const yaw of stops) {
      added += (await expandView(world, yawPose(eye, yaw), k, new InpaintCompleter())).added;
      if (world.splats.positions.buffer !== storage) replaced++;
    }
    return { world, replaced, added };
  };
  const roomy = await tour(true), plain = await tour(false);
  // Each stop turns 70 degrees of a 60 degree view: most of every view is a hole.
  assert.ok(roomy.added > 3 * k.width * k.height, `${roomy.added} splats added`);
  assert.equal(roomy.replaced, 0, 'the room held the whole tour');
  assert.ok(plain.replaced > 0, 'without the room the storage is regrown (else this test shows nothing)');
  assertSameWorld(roomy.world, plain.world);
});

test('a room that cannot be had is no room: the cloud is as it was and grows at the appends', () => {
  const cloud = randomCloud(100, 3);
  const before = Float32Array.from(cloud.positions);
  reserveRoom(cloud, 2 ** 33); // 3 x 2^33 floats: past V8's typed-array length
  assert.deepEqual(cloud.positions, before);
  cloud.append(randomCloud(5, 4));
  assert.equal(cloud.count, 105);
  assert.throws(() => reserveRoom(cloud, -1), { message: 'SplatCloud.reserve: expected a non-negative integer capacity, found -1' });
});

test('the render thread\'s copy is made with the room it is sent, and keeps its storage through appends up to it', () => {
  const world = randomCloud(1000, 5, 1);
  const parts = [randomCloud(400, 6, 1), randomCloud(400, 7, 0)];
  const copy = new RenderCopy();
  const held = () => (copy as unknown as { cloud: SplatCloud }).cloud;
  const columns = (c: SplatCloud, from = 0, to = c.count) => ({ positions: c.positions.slice(3 * from, 3 * to), scales: c.scales.slice(3 * from, 3 * to), rotations: c.rotations.slice(4 * from, 4 * to), opacities: c.opacities.slice(from, to), colors: c.colors.slice(3 * from, 3 * to), sh: c.sh!.slice(9 * from, 9 * to) });
  copy.append({ type: 'append', start: 0, room: 1800, shDegree: 1, columns: columns(world) });
  const storage = held().positions.buffer;
  for (const part of parts) {
    const start = world.count;
    world.append(part);
    copy.append({ type: 'append', start, shDegree: 1, columns: columns(world, start) });
    assert.equal(held().positions.buffer, storage, `storage replaced at ${world.count}`);
  }
  const k = intrinsicsFromFov(40, 30, 60);
  const band = copy.render({ type: 'render', id: 1, count: world.count, pose: Pose.identity(), intrinsics: k, rows: [5, 30], cancel: new Int32Array(1) });
  assert.deepEqual(band, renderRows(world, Pose.identity(), k, [5, 30]));
});

function assertSameWorld(a: World, b: World): void {
  assert.equal(a.splats.count, b.splats.count);
  for (const key of COLUMNS) assert.deepEqual(a.splats[key], b.splats[key], key);
  assert.equal(a.memory.size, b.memory.size);
  a.memory.frames.forEach((f, i) => {
    const g = b.memory.frames[i];
    assert.deepEqual([f.splatStart, f.splatCount, f.rgb, f.depth], [g.splatStart, g.splatCount, g.rgb, g.depth], `frame ${i}`);
  });
}
